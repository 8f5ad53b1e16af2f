"""Duration of the whole test suite, as `make test` runs it (issue 15: under 3 minutes).

    .venv/bin/python bench/bench_suite.py            # make test (parallel workers)
    .venv/bin/python bench/bench_suite.py --serial   # the same, then TEST_WORKERS=0 for comparison

Runs `make test` (and with --serial, the suite in one process) and prints, one line per figure:
wall time, CPU time of pytest and its children (user + sys), the pytest summary line and the load
average before and after. The goal applies to the wall time of `make test`.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 180


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run(workers: str) -> None:
    before_load = load()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run(
        ["make", "test", f"TEST_WORKERS={workers}", "PYTEST_ARGS=-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = [
        line for line in result.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)
    ]
    label = "make test" if workers == "auto" else f"make test TEST_WORKERS={workers}"
    goal = f"goal < {GOAL_SECONDS} s" if workers == "auto" else "reference, no goal"
    verdict = "" if workers != "auto" else (" OK" if wall < GOAL_SECONDS else " MISSED")
    print(f"{label}: wall {wall:.0f} s ({goal}){verdict}")
    print(f"{label}: CPU user+sys of pytest and children {cpu:.0f} s")
    print(
        f"{label}: {summary[-1].strip('= ') if summary else 'no summary, exit ' + str(result.returncode)}"
    )
    print(f"{label}: load average before {before_load}, after {load()}")
    if result.returncode:
        print(result.stdout[-3000:], file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serial", action="store_true", help="also run the suite in one process")
    arguments = parser.parse_args()
    run("auto")
    if arguments.serial:
        run("0")


if __name__ == "__main__":
    main()
