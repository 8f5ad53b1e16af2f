"""Benchmark: time and peak memory of `import_indicateurs --dry-run` on hostile files.

    .venv/bin/python bench/bench_hostile_imports.py [--quick]

Each file (see tests/observatoire/hostile_files.py, full size: the 452 KB workbook that unzips to
133 MB, 1 M empty lines…, plus the largest accepted shapes: an XLSX at the row limit and a CSV of
500 000 unknown codes) is imported by a fresh `manage.py` process on the configured database;
the import's own duration (as recorded on the run), the process's wall time (start-up
included), exit status and peak resident memory (ru_maxrss of the child) are printed. The
results are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def largest_accepted(folder: Path) -> dict[str, Path]:
    from openpyxl import Workbook

    from observatoire.imports.reading import XLSX_MAX_ROWS

    files = {}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("valeurs")
    sheet.append(["CODGEO", "TX_CHOM", "P21_POP", "TX_PAUV"])
    for row in range(XLSX_MAX_ROWS):
        sheet.append([f"{row % 99_999:05d}", row % 97 / 3, row, "s" if row % 50 == 0 else 1.5])
    files["xlsx-at-row-limit"] = folder / "limite.xlsx"
    workbook.save(files["xlsx-at-row-limit"])
    files["csv-500k-unknown-codes"] = folder / "inconnus.csv"
    with files["csv-500k-unknown-codes"].open("w") as out:
        out.write("CODGEO;TX_CHOM\n")
        out.writelines(f"X{row:07d};{row % 100},5\n" for row in range(500_000))
    return files


def run(path: Path) -> tuple[float, float, int, float, str]:
    started = time.monotonic()
    # Output goes to files: a pipe left unread would block a child that prints 1 000 problems.
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "import_indicateurs",
                str(path),
                "--annee",
                "2022",
                "--dry-run",
            ],
            cwd=ROOT,
            stdout=out,
            stderr=err,
            text=True,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    code = os.waitstatus_to_exitcode(status)
    if "Traceback" in stderr:
        message = "TRACE D'ERREUR"
    else:
        errors = [line for line in stderr.splitlines() if line.startswith("CommandError")]
        message = (errors or stdout.strip().splitlines()[-1:] or [""])[-1]
    # The command's first line ends with the import's own duration (« en 0.12 s. »).
    found = re.search(r"en (\d+\.\d+) s\.", stdout)
    duration = float(found[1]) if found else float("nan")
    return elapsed, duration, code, usage.ru_maxrss / 1024, message[:110]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small files only (no limits)")
    args = parser.parse_args()
    from tests.observatoire.hostile_files import WIDE, hostile_files

    with tempfile.TemporaryDirectory() as folder:
        # Reference: an ordinary two-line file (start-up of Django, pandas and the database).
        paths = {"ordinary-2-lines": Path(folder) / "ordinaire.csv"}
        paths["ordinary-2-lines"].write_text(WIDE)
        for name, (file_name, data) in hostile_files(large=not args.quick).items():
            paths[name] = Path(folder) / f"{name}-{file_name}"
            paths[name].write_bytes(data)
        if not args.quick:
            paths.update(largest_accepted(Path(folder)))
        print(
            f"{'fichier':26} {'taille':>10} {'import':>8} {'total':>8} {'sortie':>6} "
            f"{'RSS max':>9}  message",
            flush=True,
        )
        for name, path in paths.items():
            elapsed, duration, code, rss, message = run(path)
            size = path.stat().st_size
            print(
                f"{name:26} {size / 1024:>8.0f}Ko {duration:>7.2f}s {elapsed:>7.1f}s {code:>6} "
                f"{rss:>7.0f}Mo  {message}",
                flush=True,
            )


if __name__ == "__main__":
    main()
