"""The first report of a new process, with and without the start-up warm-up (issue 13), each in a
fresh Python process, side by side in the same run:

- ``cold``: no warm-up (the former behaviour): the request pays for Chromium and WeasyPrint;
- ``warmed``: the process starts the warm-up thread as a web process does, the request comes
  once it is done (a server started before the official clicks);
- ``racing``: the request comes immediately after the process start, while the warm-up runs.

    .venv/bin/python bench/bench_first_report.py [--commune 94080] [--runs 3]

No chart or PDF is cached (a fresh CACHE_DIR per process).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.conf import settings
settings.CACHE_DIR = Path(tempfile.mkdtemp(prefix="bench-first-"))
from observatoire.report import warm
from observatoire.report.cache import get_report
from territoires.models import Territory
mode = {mode!r}
territory = Territory.objects.filter(level="commune", code={code!r}).first() or (
    Territory.objects.filter(level="commune").order_by("-population").first())
warm_seconds = None
if mode != "cold":
    t0 = time.perf_counter()
    warm.start_in_background(force=True)
    if mode == "warmed":
        warm.done.wait(120)
        warm_seconds = time.perf_counter() - t0
load = os.getloadavg()[0]
start = time.perf_counter()
pdf, hit = get_report(territory)
print(json.dumps({{"seconds": time.perf_counter() - start, "warm": warm_seconds,
                  "load": load, "hit": hit, "bytes": len(pdf)}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commune", default="94080")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", default="cold,warmed,racing")
    args = parser.parse_args()
    env = {**os.environ, "REPORT_WARMUP": "0"}
    results: dict[str, list[dict]] = {mode: [] for mode in args.modes.split(",")}
    for _ in range(args.runs):
        for mode in results:  # interleaved: each mode sees the same machine load
            code = CHILD.format(root=str(ROOT), mode=mode, code=args.commune)
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            results[mode].append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"Premier rapport d'un nouveau processus ({args.runs} essais, médiane) :")
    for mode, rows in results.items():
        seconds = statistics.median(r["seconds"] for r in rows)
        loads = [r["load"] for r in rows]
        extra = ""
        if rows[0]["warm"] is not None:
            extra = f" · préchauffage {statistics.median(r['warm'] for r in rows):.2f} s avant"
        print(
            f"  {mode:<7} {seconds:.2f} s{extra} · charge {min(loads):.1f}–{max(loads):.1f}"
            f" · {rows[0]['bytes'] // 1024} Kio"
        )


if __name__ == "__main__":
    main()
