"""Benchmark of the territory report (PDF): uncached and cached generation for a commune, the largest
EPCI and the largest région, each beside a one-page WeasyPrint render timed in the same loop
(issue 28: uncached report ≤ 12× the one-page render, on the same machine, in the same run).

On whatever the database holds (``manage.py setup_platform --demo``), or, with ``--synthetic``
(or an empty database), on the seven territories of the report tests, written in a transaction
rolled back at the end.

    .venv/bin/python bench/bench_report.py [--runs 7] [--commune 94080] [--synthetic]

Figures:
- first report of the process: empty caches;
- uncached (warm process): no cached PDF — key, collect, draw the charts (SVG written in Python,
  no browser since the report's charts left kaleido), render; beside it, in the same loop, a
  one-page render through the same pipeline; their ratio is the issue's goal (≤ 12 ×);
- cached: a second download — the key's queries and a file read.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from config import pdf as pdf_pipeline  # noqa: E402
from observatoire.report import charts, render  # noqa: E402
from observatoire.report.cache import get_report, report_dir  # noqa: E402
from observatoire.report.collect import collect_report_data  # noqa: E402
from territoires.models import Level, Territory  # noqa: E402

ONE_PAGE = (
    '<html lang="fr"><head><title>Une page</title></head><body><h1>Une page</h1>'
    "<p>Un paragraphe de texte, <strong>en gras</strong> : 12,5 %.</p>"
    '<table><thead><tr><th scope="col">Indicateur</th><th scope="col">Valeur</th></tr></thead>'
    '<tbody><tr><th scope="row">Taux</th><td>12,5</td></tr></tbody></table></body></html>'
)


def one_page() -> None:
    """A one-page document through the same pipeline (stylesheet, fonts, PDF/UA tagging)."""
    pdf_pipeline.html_to_pdf(ONE_PAGE, stylesheets=[render.stylesheet()], kind="bench-one-page")


def one_page_default() -> None:
    """The same page rendered with WeasyPrint's defaults (no shared caches, its own URL fetcher,
    no tagging): what « a one-page WeasyPrint render » is outside this project's pipeline."""
    from weasyprint import HTML

    HTML(string=ONE_PAGE).write_pdf()


CPU: list[float] = []


def timed(fn: Callable[[], object]) -> float:
    """Wall time of fn; its CPU time (this process) goes to CPU — the machine may be shared."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start


def clear(territory: Territory, *, charts_too: bool) -> None:
    for path in report_dir(territory).glob(f"{territory.code}-*.pdf"):
        path.unlink()
    if charts_too:
        shutil.rmtree(Path(settings.CACHE_DIR) / "charts", ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--commune", default="94080")
    parser.add_argument("--synthetic", action="store_true")
    args = parser.parse_args()
    settings.CACHE_DIR = Path(tempfile.mkdtemp(prefix="bench-report-"))
    from django.db import transaction

    try:
        with transaction.atomic():
            if args.synthetic or not Territory.objects.exists():
                synthetic()
            measure(args)
            raise Rollback
    except Rollback:
        pass
    shutil.rmtree(settings.CACHE_DIR, ignore_errors=True)


class Rollback(Exception):
    pass


def synthetic() -> None:
    from django.core.management import call_command

    from config.fixtures import reference_fixtures
    from tests.observatoire.seven_territories import seven_territories

    call_command("loaddata", *reference_fixtures(), verbosity=0)
    seven_territories()
    print("Données : les sept territoires des tests du rapport (--synthetic), annulées à la fin.")


def measure(args: argparse.Namespace) -> None:
    commune = Territory.objects.filter(level=Level.COMMUNE, code=args.commune).first()
    commune = (
        commune or Territory.objects.filter(level=Level.COMMUNE).order_by("-population").first()
    )
    epci = Territory.objects.filter(level=Level.EPCI).order_by("-population").first()
    region = Territory.objects.filter(level=Level.REGION).order_by("-population").first()
    territories = [t for t in (commune, epci, region) if t is not None]
    print(
        f"Base : {Territory.objects.count()} territoires ; CACHE_DIR temporaire {settings.CACHE_DIR}"
    )
    render.warm()
    one_page()
    rows = []
    first = None
    for territory in territories:
        data = collect_report_data(territory)
        info = (
            f"{territory.name} ({territory.get_level_display()}, {territory.code}), "
            f"{len(data.indicator_lines)} indicateurs, pratiques : {data.practices.people_label}"
        )
        if first is None:
            clear(territory, charts_too=True)
            first = timed(lambda t=territory: get_report(t))
        cold, cached, collect, page = [], [], [], []
        page_cpu, cold_cpu, default_cpu = [], [], []
        for _ in range(args.runs):
            page.append(timed(one_page))  # side by side: the same load for both
            page_cpu.append(CPU[-1])
            timed(one_page_default)
            default_cpu.append(CPU[-1])
            clear(territory, charts_too=True)
            cold.append(timed(lambda t=territory: get_report(t)))
            cold_cpu.append(CPU[-1])
        for _ in range(args.runs):
            cached.append(timed(lambda t=territory: get_report(t)))
        for _ in range(args.runs):
            collect.append(timed(lambda t=territory: collect_report_data(t)))
        settings.DEBUG = True
        reset_queries()
        clear(territory, charts_too=False)
        document, _ = get_report(territory)
        queries = len(connection.queries)
        reset_queries()
        get_report(territory)
        hit_queries = len(connection.queries)
        settings.DEBUG = False
        pages = len(PdfReader(io.BytesIO(document)).pages)
        rows.append(
            (
                info,
                statistics.median(cold),
                statistics.median(cached),
                statistics.median(collect),
                statistics.median(page),
                statistics.median(page_cpu),
                statistics.median(cold_cpu),
                queries,
                hit_queries,
                len(document),
                pages,
                statistics.median(default_cpu),
            )
        )
    load = f"charge {os.getloadavg()[0]:.1f} sur {os.cpu_count()} cœurs"
    print(
        f"Premier rapport du processus (polices et caches de WeasyPrint à remplir) : {first:.2f} s"
    )
    print(f"Médianes sur {args.runs} essais, processus chaud ({load}) :")
    for row in rows:
        info, cold, cached, collect, page, page_cpu, cold_cpu = row[:7]
        queries, hit_queries, size, pages, plain_cpu = row[7:]
        print(f"- {info}")
        print(
            f"    une page WeasyPrint (même processus, même boucle) : {page:.3f} s, "
            f"CPU {page_cpu:.3f} s"
        )
        print(
            f"    rapport sans cache : {cold:.2f} s, soit {cold / page:.1f} × la page seule "
            f"(objectif ≤ 12 ×) ; CPU {cold_cpu:.2f} s, soit {cold_cpu / page_cpu:.1f} ×"
        )
        print(
            f"    même page avec les réglages par défaut de WeasyPrint : CPU {plain_cpu:.3f} s ; "
            f"le rapport en vaut {cold_cpu / plain_cpu:.1f} ×"
        )
        print(f"    re-téléchargement en cache : {cached * 1000:.1f} ms, {hit_queries} requêtes")
        print(
            f"    collecte des données : {collect * 1000:.0f} ms, {queries} requêtes (génération)"
        )
        print(f"    PDF : {size / 1024:.0f} Kio, {pages} pages")
    print(
        f"Exports kaleido : {charts.stats['exports']}, rendus WeasyPrint : {render.stats['renders']}"
    )


if __name__ == "__main__":
    main()
