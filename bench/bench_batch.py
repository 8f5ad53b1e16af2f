"""Report batch on 1 process and on N processes, same territories, in the same run (issue 13).

    .venv/bin/python bench/bench_batch.py [--count 12] [--processes 2]

The N largest EPCI by population (nothing cached before each pass: a fresh CACHE_DIR; the pool
processes' start is included, as in the worker). Prints the rate in reports per minute, the time
to the first report (the pool's start) and the steady rate after it, where one report's time goes
on 1 process (cache key, data collection and its SQL queries, chart export, HTML, WeasyPrint),
the load average, and the projection for the 1 255 EPCI with its goal.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import _setup  # noqa: F401
from django.conf import settings
from django.db import connection

from config import pdf
from observatoire.report import batch, cache, charts, render, warm
from observatoire.report.batch import batch_create, batch_run
from territoires.models import Level, Territory

GOAL_MINUTES = 5
ALL_EPCI = 1255
SPENT: dict[str, float] = defaultdict(float)


def timed(module: Any, name: str, label: str) -> None:
    """Add the wall time of ``module.name`` to SPENT[label] (this process only)."""
    original = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label] += time.perf_counter() - start

    setattr(module, name, wrapper)


def stamped(results: Callable[..., Iterator[Any]], stamps: list[float]) -> Callable[..., Any]:
    """batch._results, recording when each report comes back."""

    def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for item in results(*args, **kwargs):
            stamps.append(time.perf_counter())
            yield item

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    codes = list(
        Territory.objects.filter(level=Level.EPCI)
        .order_by("-population")
        .values_list("code", flat=True)[: args.count]
    )
    warm.warm()  # the 1-process pass runs here: warmed as the worker is at its start
    batch.POOL_MIN_REPORTS = 0  # measure the pool even on a short batch
    timed(cache, "report_key", "clé du cache (requêtes)")
    timed(cache, "collect_report_data", "collecte des données (requêtes)")
    timed(charts, "draw", "dessin des graphiques")
    timed(render, "render_html", "gabarit HTML + typographie")
    timed(pdf, "html_to_pdf", "rendu WeasyPrint")
    queries = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[0] += 1
        return execute(sql, params, many, context)

    rows = []
    original_results = batch._results
    for processes in (1, args.processes):
        cache_dir = Path(tempfile.mkdtemp(prefix="bench-batch-"))
        settings.CACHE_DIR = cache_dir
        os.environ["CACHE_DIR"] = str(cache_dir)  # the pool's processes read it from the settings
        stamps: list[float] = []
        batch._results = stamped(original_results, stamps)  # type: ignore[assignment]
        SPENT.clear()
        queries[0] = 0
        load0 = os.getloadavg()[0]
        start = time.perf_counter()
        with connection.execute_wrapper(count):
            progress = batch_run(
                batch_create(level=Level.EPCI, codes=codes)["id"], processes=processes
            )
        seconds = time.perf_counter() - start
        spent = dict(SPENT) if processes == 1 else {}
        rows.append(
            (
                processes,
                seconds,
                progress,
                load0,
                os.getloadavg()[0],
                stamps,
                start,
                spent,
                queries[0],
            )
        )
        shutil.rmtree(cache_dir, ignore_errors=True)
    batch._results = original_results  # type: ignore[assignment]
    n = len(codes)
    print(f"Lot de {n} EPCI (les plus peuplés), rien en cache, {os.cpu_count()} cœurs :")
    for processes, seconds, progress, load0, load1, stamps, start, spent, count_q in rows:
        steady = (len(stamps) - 1) / (stamps[-1] - stamps[0]) * 60 if len(stamps) > 1 else 0.0
        print(
            f"  {processes} processus : {seconds:.1f} s · {60 * n / seconds:.1f} rapports/min"
            f" · premier rapport après {stamps[0] - start:.1f} s · ensuite {steady:.1f} rapports/min"
            f" · produits {progress['rendered']}, échecs {progress['failed']}"
            f" · charge {load0:.1f} → {load1:.1f}"
        )
        if spent:
            print(
                f"    un rapport sur 1 processus (moyenne sur {n}), {count_q / n:.0f} requêtes SQL :"
            )
            for label, total in sorted(spent.items(), key=lambda kv: -kv[1]):
                print(f"      {label:<36} {1000 * total / n:7.0f} ms")
    one, many = rows[0][1], rows[1][1]
    print(f"  gain de {args.processes} processus sur 1 : × {one / many:.2f}")
    for processes, seconds, *_ in rows:
        minutes = ALL_EPCI * seconds / n / 60
        print(
            f"  {ALL_EPCI} EPCI à ce rythme sur {processes} processus : {minutes:.1f} min"
            f" (objectif < {GOAL_MINUTES} min)"
        )


if __name__ == "__main__":
    main()
