"""The report's render alone (WeasyPrint, charts already exported) for each variant, interleaved
in the same run so that each sees the same machine load: CPU time of the process (the machine may
be shared; wall time is printed too), pages, PDF size, and the number of Python function calls
of one profiled render (does not depend on the machine's load: a steady proxy of the work).

    .venv/bin/python bench/bench_render_variants.py [--commune 94080] [--runs 5]

Each variant is the current report with one change (a stylesheet rule applied after the report's
stylesheet, a change to its HTML, or a WeasyPrint option), so the first line is the report as shipped and the
others say what each option would gain or cost (issue 13, second pass).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _setup  # noqa: F401
from django.conf import settings

from config import pdf
from observatoire.report import charts, render
from observatoire.report.collect import collect_report_data
from territoires.models import Level, Territory


def same(html: str) -> str:
    return html


def no_charts(html: str) -> str:
    return re.sub(r'<img src="data:[^"]*"', '<img src=""', html)


def inline_css(html: str) -> str:
    return html.replace("</head>", f"<style>{render.stylesheet()}</style></head>", 1)


# name: (change to the HTML, CSS rule added after the report's stylesheet, WeasyPrint options)
Variant = tuple[Callable[[str], str], str, dict[str, Any]]
VARIANTS: dict[str, Variant] = {
    "rapport actuel (tableaux fixed, CSS analysée une fois)": (same, "", {}),
    "tableaux en table-layout: auto (première passe)": (same, "table { table-layout: auto; }", {}),
    "CSS dans le <style>, analysée à chaque rendu": (inline_css, "", {"no_sheet": True}),
    "en-têtes de tableau non répétés": (same, "thead { display: table-row-group; }", {}),
    "domaines coupables entre deux pages": (
        same,
        "table.indicators tbody { break-inside: auto; }",
        {},
    ),
    "tableaux border-collapse: separate": (
        same,
        "table { border-collapse: separate; border-spacing: 0; }",
        {},
    ),
    "sans graphiques (coût des SVG)": (no_charts, "", {}),
    "sans balisage PDF/UA (non retenu)": (same, "", {"pdf_variant": None}),
}


def options_of(rule: str, extra: dict[str, Any]) -> dict[str, Any]:
    """WeasyPrint options of a variant: the shared ones, the report's parsed stylesheet (unless
    the variant inlines it) and the variant's rule."""
    extra = dict(extra)
    sheets = [] if extra.pop("no_sheet", False) else [pdf.stylesheet(render.stylesheet())]
    if rule:
        sheets.append(pdf.stylesheet(rule))
    return {**pdf.pdf_options(), "stylesheets": sheets, **extra}


def write_options(options: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in options.items() if k not in {"font_config", "stylesheets"}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commune", default="94080")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings.CACHE_DIR = Path(tempfile.mkdtemp(prefix="bench-variants-"))
    from weasyprint import HTML

    territory = Territory.objects.filter(level=Level.COMMUNE, code=args.commune).first()
    if territory is None:
        territory = Territory.objects.filter(level=Level.COMMUNE).order_by("-population").first()
    data = collect_report_data(territory)
    html = render.render_html(data, charts.draw(data))
    cpu: dict[str, list[float]] = {k: [] for k in VARIANTS}
    wall: dict[str, list[float]] = {k: [] for k in VARIANTS}
    pages: dict[str, int] = {}
    size: dict[str, int] = {}
    loads = []
    for _ in range(args.runs + 1):  # the first round warms fonts and caches, not counted
        for name, (change, rule, extra) in VARIANTS.items():
            options = options_of(rule, extra)
            start, c0 = time.perf_counter(), time.process_time()
            document = HTML(string=change(html), base_url=str(settings.BASE_DIR)).render(**options)
            output = document.write_pdf(**write_options(options))
            cpu[name].append(time.process_time() - c0)
            wall[name].append(time.perf_counter() - start)
            pages[name], size[name] = len(document.pages), len(output)
            loads.append(os.getloadavg()[0])
    calls: dict[str, int] = {}
    for name, (change, rule, extra) in VARIANTS.items():
        options = options_of(rule, extra)
        profiler = cProfile.Profile()
        profiler.enable()
        document = HTML(string=change(html), base_url=str(settings.BASE_DIR)).render(**options)
        document.write_pdf(**write_options(options))
        profiler.disable()
        calls[name] = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
    print(
        f"{territory.name} : rendu seul, médiane de {args.runs}"
        f" (charge {min(loads):.1f}–{max(loads):.1f}, {os.cpu_count()} cœurs)"
    )
    first = next(iter(VARIANTS))
    base = statistics.median(cpu[first][1:])
    for name in VARIANTS:
        median = statistics.median(cpu[name][1:])
        print(
            f"  {name:<48} CPU {median:.2f} s ({100 * (median - base) / base:+.0f} %)"
            f" · mur {statistics.median(wall[name][1:]):.2f} s · {pages[name]} pages"
            f" · {size[name] // 1024} Kio · {calls[name] / 1e6:.2f} M appels"
            f" ({100 * (calls[name] - calls[first]) / calls[first]:+.0f} %)"
        )


if __name__ == "__main__":
    main()
