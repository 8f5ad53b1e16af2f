"""Benchmark of the territory report (PDF): cold and warm generation for a commune and the
largest EPCI, on whatever the database holds (run `manage.py setup_platform --demo` first).

    .venv/bin/python bench/bench_report.py [--runs 7] [--commune 94080]

Figures:
- first report of the process: empty caches, kaleido's browser not started yet;
- cold (warm process): no cached PDF and no cached chart image — collect + export + render;
- warm: no cached PDF, chart images cached — collect + render (a data change that leaves the
  charts as they were, or a template change);
- cached: a second download — the key's queries and a file read.
"""

from __future__ import annotations

import argparse
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

from observatoire.report import charts, render  # noqa: E402
from observatoire.report.cache import get_report, report_dir  # noqa: E402
from observatoire.report.collect import collect_report_data  # noqa: E402
from territoires.models import Level, Territory  # noqa: E402

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
    args = parser.parse_args()
    settings.CACHE_DIR = Path(tempfile.mkdtemp(prefix="bench-report-"))

    commune = Territory.objects.filter(level=Level.COMMUNE, code=args.commune).first()
    commune = (
        commune or Territory.objects.filter(level=Level.COMMUNE).order_by("-population").first()
    )
    epci = Territory.objects.filter(level=Level.EPCI).order_by("-population").first()
    if commune is None or epci is None:
        sys.exit(
            "Pas de commune ou d'EPCI en base : lancez d'abord manage.py setup_platform --demo."
        )
    print(
        f"Base : {Territory.objects.count()} territoires ; CACHE_DIR temporaire {settings.CACHE_DIR}"
    )
    rows = []
    first = None
    for territory in (commune, epci):
        data = collect_report_data(territory)
        pages_info = (
            f"{territory.name} ({territory.code}), {len([d for d in data.domains if d.indicators])} "
            f"domaines renseignés, pratiques : {data.practices.people_label} personnes"
        )
        if first is None:
            clear(territory, charts_too=True)
            first = timed(lambda t=territory: get_report(t))
        cold, warm, cached, collect = [], [], [], []
        for _ in range(args.runs):
            clear(territory, charts_too=True)
            cold.append(timed(lambda t=territory: get_report(t)))
        CPU.clear()
        for _ in range(args.runs):
            clear(territory, charts_too=False)
            warm.append(timed(lambda t=territory: get_report(t)))
        warm_cpu = statistics.median(CPU)
        for _ in range(args.runs):
            cached.append(timed(lambda t=territory: get_report(t)))
        for _ in range(args.runs):
            collect.append(timed(lambda t=territory: collect_report_data(t)))
        settings.DEBUG = True
        reset_queries()
        clear(territory, charts_too=False)
        pdf, _ = get_report(territory)
        queries = len(connection.queries)
        reset_queries()
        get_report(territory)
        hit_queries = len(connection.queries)
        settings.DEBUG = False
        rows.append(
            (
                pages_info,
                statistics.median(cold),
                statistics.median(warm),
                warm_cpu,
                statistics.median(cached),
                statistics.median(collect),
                queries,
                hit_queries,
                len(pdf),
            )
        )
    load = f"charge {os.getloadavg()[0]:.1f} sur {os.cpu_count()} cœurs"
    print(
        f"Premier rapport du processus (démarrage de Chromium/kaleido compris) : {first:.2f} s"
        f" (objectif < 2 s avec le préchauffage au démarrage ; {load})"
    )
    print(f"Médianes sur {args.runs} essais, processus chaud ({load}) :")
    for i, (info, cold, warm, warm_cpu, cached, collect, queries, hit_queries, size) in enumerate(
        rows
    ):
        goals = i == 0  # the goals of issue 13 are set on the commune (Vincennes)
        print(f"- {info}")
        print(
            f"    rien en cache (graphiques à exporter) : {cold:.2f} s"
            + (" (objectif < 1 s)" if goals else "")
        )
        print(
            f"    graphiques en cache (le rendu seul) : {warm:.2f} s, CPU {warm_cpu:.2f} s"
            + (" (objectif < 0,6 s)" if goals else "")
        )
        print(
            f"    re-téléchargement en cache : {cached * 1000:.1f} ms, {hit_queries} requêtes"
            + (" (objectif < 20 ms)" if goals else "")
        )
        print(
            f"    collecte des données : {collect * 1000:.0f} ms, {queries} requêtes (génération)"
        )
        print(f"    PDF : {size / 1024:.0f} Kio")
    print(
        f"Exports kaleido : {charts.stats['exports']}, rendus WeasyPrint : {render.stats['renders']}"
    )
    shutil.rmtree(settings.CACHE_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
