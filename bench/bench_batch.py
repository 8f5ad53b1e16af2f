"""Report batch on 1 process and on N processes, same territories, in the same run (issue 13).

    .venv/bin/python bench/bench_batch.py [--count 12] [--processes 2]

The N largest EPCI by population (nothing cached before each pass: a fresh CACHE_DIR; the pool
processes' Chromium start is included, as in the worker). Prints the rate in reports per minute
and the load average.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import _setup  # noqa: F401
from django.conf import settings

from observatoire.report import warm
from observatoire.report.batch import batch_create, batch_run
from territoires.models import Level, Territory


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
    rows = []
    for processes in (1, args.processes):
        cache = Path(tempfile.mkdtemp(prefix="bench-batch-"))
        settings.CACHE_DIR = cache
        os.environ["CACHE_DIR"] = str(cache)  # the pool's processes read it from the settings
        load0 = os.getloadavg()[0]
        start = time.perf_counter()
        progress = batch_run(batch_create(level=Level.EPCI, codes=codes)["id"], processes=processes)
        seconds = time.perf_counter() - start
        rows.append((processes, seconds, progress, load0, os.getloadavg()[0]))
        shutil.rmtree(cache, ignore_errors=True)
    print(f"Lot de {len(codes)} EPCI (les plus peuplés), rien en cache :")
    for processes, seconds, progress, load0, load1 in rows:
        print(
            f"  {processes} processus : {seconds:.1f} s · {60 * len(codes) / seconds:.1f} rapports/min"
            f" · produits {progress['rendered']}, échecs {progress['failed']}"
            f" · charge {load0:.1f} → {load1:.1f} ({os.cpu_count()} cœurs)"
        )
    one, many = rows[0][1], rows[1][1]
    print(f"  gain : × {one / many:.2f}")
    print(
        f"  1 255 EPCI à ce rythme : {1255 * many / len(codes) / 60:.1f} min sur {args.processes} processus"
    )


if __name__ == "__main__":
    main()
