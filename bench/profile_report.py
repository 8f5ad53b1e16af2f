"""Where the territory report's render spends its time: cProfile of WeasyPrint's ``write_pdf`` on
one territory (charts exported once beforehand, so only the render is measured).

    .venv/bin/python bench/profile_report.py [--commune 94080] [--runs 3] [--top 25]

Prints the load average, the wall and CPU time of the render phases (HTML parse + CSS, layout,
PDF drawing/fonts/tagging), the CPU time of each section rendered alone (same head and styles),
the cumulative time grouped by WeasyPrint package, and the top functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import _setup  # noqa: F401
from django.conf import settings

from config import pdf
from observatoire.report import charts, render
from observatoire.report.collect import collect_report_data
from territoires.models import Level, Territory

GROUPS = [
    ("weasyprint/layout", "mise en page (layout)"),
    ("weasyprint/text", "texte : Pango, polices, coupure"),
    ("weasyprint/pdf", "écriture PDF (polices, sous-ensembles, balisage)"),
    ("weasyprint/svg", "SVG (analyse et dessin)"),
    ("weasyprint/css", "CSS (cascade, valeurs calculées)"),
    ("weasyprint/draw", "dessin des boîtes"),
    ("weasyprint/images", "images"),
    ("weasyprint/formatting_structure", "construction des boîtes"),
    ("fontTools", "fontTools (sous-ensembles des polices)"),
    ("pydyf", "pydyf (objets PDF, compression)"),
    ("tinycss2", "tinycss2 (analyse CSS)"),
    ("cssselect2", "cssselect2 (sélecteurs)"),
    ("html5lib", "html5lib / analyse HTML"),
    ("tinyhtml5", "tinyhtml5 / analyse HTML"),
    ("zlib", "zlib"),
    ("PIL", "Pillow"),
]


def phases(html: str, options: dict) -> dict[str, float]:
    """Wall time of each of WeasyPrint's steps for one render."""
    from weasyprint import HTML

    out: dict[str, float] = {}
    t0 = time.perf_counter()
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    t1 = time.perf_counter()
    rendered = document.render(**options)
    t2 = time.perf_counter()
    rendered.write_pdf(**{k: v for k, v in options.items() if k not in NOT_FOR_WRITE})
    t3 = time.perf_counter()
    out["analyse HTML"] = t1 - t0
    out["style + mise en page (render)"] = t2 - t1
    out["écriture PDF (write_pdf du document)"] = t3 - t2
    out["pages"] = len(rendered.pages)
    return out


NOT_FOR_WRITE = {"font_config", "stylesheets"}
SECTION = re.compile(r"<section\b.*?</section>", re.S)


def sections(html: str) -> dict[str, str]:
    """Each ``<section>`` of the report alone, in a document with the same head and header."""
    found = SECTION.findall(html)
    first, last = html.index(found[0]), html.rindex(found[-1]) + len(found[-1])
    out = {}
    for i, part in enumerate(found):
        name = re.search(r'aria-labelledby="([^"]+)"', part)
        out[f"{i + 1}. {name.group(1) if name else 'section'}"] = html[:first] + part + html[last:]
    return out


def cpu_of(html: str, options: dict, runs: int) -> tuple[float, int]:
    """Median CPU time of a full render of ``html``, and its page count."""
    from weasyprint import HTML

    times, pages = [], 0
    for _ in range(runs):
        start = time.process_time()
        document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(**options)
        document.write_pdf(**{k: v for k, v in options.items() if k not in NOT_FOR_WRITE})
        times.append(time.process_time() - start)
        pages = len(document.pages)
    return statistics.median(times), pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commune", default="94080")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    settings.CACHE_DIR = Path(tempfile.mkdtemp(prefix="profile-report-"))
    territory = Territory.objects.filter(level=Level.COMMUNE, code=args.commune).first()
    territory = (
        territory or Territory.objects.filter(level=Level.COMMUNE).order_by("-population").first()
    )
    data = collect_report_data(territory)
    images = charts.draw(data)  # exported once: the render alone is profiled
    html = render.render_html(data, images)
    # As render_pdf does: the report's stylesheet parsed once, given beside the HTML.
    options = {**pdf.pdf_options(), "stylesheets": [pdf.stylesheet(render.stylesheet())]}
    render.render_pdf(data, images)  # warm the process (fonts, caches)
    print(f"{territory.name} ({territory.code}) · graphiques SVG écrits en Python")
    print(f"Charge (load average 1 min) : {os.getloadavg()[0]:.1f} sur {os.cpu_count()} cœurs")

    walls, cpus = [], []
    split: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.runs):
        start, cpu = time.perf_counter(), time.process_time()
        for key, value in phases(html, options).items():
            split[key].append(value)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    print(
        f"Rendu seul (médiane de {args.runs}) : {statistics.median(walls):.2f} s mur, "
        f"{statistics.median(cpus):.2f} s CPU"
    )
    for key, values in split.items():
        if key == "pages":
            print(f"  pages : {int(values[0])}")
        else:
            print(f"  {key:<40} {statistics.median(values):.3f} s")

    print(f"Chaque section rendue seule (temps CPU, médiane de {args.runs}) :")
    for name, alone in sections(html).items():
        cpu, pages = cpu_of(alone, options, args.runs)
        print(f"  {name:<40} {cpu:.3f} s CPU · {pages} page(s)")

    profiler = cProfile.Profile()
    profiler.enable()
    phases(html, options)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(tt for (_, _, tt, _, _) in stats.stats.values())
    own: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tt, _, _) in stats.stats.items():
        label = "autre"
        for needle, name in GROUPS:
            if needle in filename.replace("\\", "/"):
                label = name
                break
        else:
            if filename == "~":
                label = "fonctions C (cairo/pango via cffi, zlib, etc.)"
        own[label] += tt
    print(f"Temps propre par groupe (profil, total {total:.2f} s, profilage compris) :")
    for label, value in sorted(own.items(), key=lambda kv: -kv[1]):
        print(f"  {label:<52} {value:6.2f} s  {100 * value / total:5.1f} %")
    print(f"Fonctions les plus coûteuses (temps propre, {args.top} premières) :")
    stats.sort_stats("tottime").print_stats(args.top)
    shutil.rmtree(settings.CACHE_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
