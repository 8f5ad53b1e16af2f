"""The report and territory pages' figures in one run (report, first report, batch, peers, import,
Lighthouse): the bench scripts one after the other, on the same database and machine, each output
printed whole under its heading with the load average before it.

    .venv/bin/python bench/bench_report_pages_all.py [--quick] [--only report,peers]

Run it on a quiet machine after ``manage.py setup_platform --demo`` (the report and batch benches
read the demo data; the import bench uses its own database). ``--quick`` runs fewer repetitions
(a smoke run, not figures to record). Lighthouse needs ``npm`` (see bench/lighthouse.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (name, script and arguments, quick arguments)
BENCHES: list[tuple[str, list[str], list[str]]] = [
    ("report", ["bench/bench_report.py", "--runs", "5"], ["bench/bench_report.py", "--runs", "1"]),
    (
        "first-report",
        ["bench/bench_first_report.py", "--runs", "3"],
        ["bench/bench_first_report.py", "--runs", "1"],
    ),
    (
        "batch",
        ["bench/bench_batch.py", "--count", "60", "--processes", "2"],
        ["bench/bench_batch.py", "--count", "4", "--processes", "2"],
    ),
    ("peers", ["bench/bench_peers.py", "--runs", "60"], ["bench/bench_peers.py", "--runs", "5"]),
    ("import", ["bench/bench_import.py"], ["bench/bench_import.py", "--communes", "2000"]),
    ("lighthouse", ["bench/lighthouse.py", "--runs", "3"], ["bench/lighthouse.py", "--runs", "1"]),
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="", help="names, comma-separated")
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}
    failed = []
    print(f"Machine : {os.cpu_count()} cœurs ; {time.strftime('%Y-%m-%d %H:%M %Z')}")
    for name, full, quick in BENCHES:
        if only and name not in only:
            continue
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
        print(f"\n===== {name} — charge avant : {load} =====", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, *(quick if args.quick else full)], cwd=ROOT)
        print(f"===== {name} : {time.perf_counter() - started:.0f} s, code {done.returncode} =====")
        if done.returncode:
            failed.append(name)
    if failed:
        print("Échecs : " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
