"""Benchmark: the full regeneration of the open-data files (« /donnees/ ») after a national
vintage — 333 indicators × 34 969 communes ≈ 11.6 M values.

    .venv/bin/python bench/bench_opendata.py [--keep] [--indicators 333]
    .venv/bin/python bench/bench_opendata.py --export-only   # again, on the database kept

Like ``bench_import.py`` (whose helpers it uses), it runs in a separate database
(``bench_observatoire``, dropped at the end unless ``--keep``): the real communes when the platform
database holds them, else synthetic ones; the same deterministic wide file, loaded by the real
importer (``values_import``). The regeneration (``observatoire.opendata.bulk_export``: every CSV
and Parquet file, the ``datapackage.json`` with sizes and SHA-256) then runs in a fresh child
process, so that its peak memory (``VmHWM``) is the regeneration's alone. Prints the duration,
the peak memory, each file's rows and size; the rows of the vintage's file are checked against
the database. Results in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_import  # noqa: E402  (its database and file helpers)

GIB = 1024**3


def peak_rss() -> int:
    """This process's peak resident memory, in bytes: ``VmHWM`` of /proc/self/status. Not
    ``ru_maxrss``, which Linux keeps across ``execve``: a child started by this script would
    report the peak of the parent it was forked from (the values' loader)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def export_child(target: str) -> None:
    """In the child process: regenerate the files into ``target``; print the figures as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import pyarrow.parquet  # noqa: F401  (in the baseline: loaded by any regeneration)
    from django.conf import settings

    from observatoire.opendata import bulk_export

    settings.CACHE_DIR = Path(target)
    baseline = peak_rss()
    started = time.perf_counter()
    cpu = time.process_time()
    package = bulk_export()
    figures = {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "baseline_bytes": baseline,
        "maxrss_bytes": peak_rss(),
        "resources": [
            {
                "name": r["name"],
                "rows": r["rows"],
                "csv_bytes": r["bytes"],
                "parquet_bytes": r["parquet"]["bytes"],
            }
            for r in package["resources"]
        ],
    }
    print("RESULT " + json.dumps(figures))


def regenerate(target: Path) -> dict:
    print(f"Régénération (charge moyenne {os.getloadavg()[0]:.1f} au départ)…", flush=True)
    child = subprocess.run(
        [sys.executable, __file__, "--export", str(target)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    line = next(x for x in child.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def report(figures: dict, in_db: int | None) -> None:
    print(f"charge moyenne à la fin : {os.getloadavg()[0]:.1f}")
    print(f"{'fichier':24} {'lignes':>12} {'CSV Mo':>9} {'Parquet Mo':>11}")
    for r in figures["resources"]:
        print(
            f"{r['name']:24} {r['rows']:>12,} {r['csv_bytes'] / 1e6:>9.1f} "
            f"{r['parquet_bytes'] / 1e6:>11.1f}"
        )
    rss = figures["maxrss_bytes"]
    print(
        f"Régénération complète : {figures['seconds']:.1f} s "
        f"(CPU du processus {figures['cpu_seconds']:.1f} s), "
        f"mémoire de pointe {rss / 1e6:.0f} Mo ({'<' if rss < GIB else '≥'} 1 Gio ; "
        f"{figures['baseline_bytes'] / 1e6:.0f} Mo avant la régénération, Django et pyarrow "
        "chargés)"
    )
    if in_db is not None:
        vintage = next(
            r for r in figures["resources"] if r["name"] == f"valeurs_{bench_import.YEAR}"
        )
        assert vintage["rows"] == in_db, (vintage["rows"], in_db)
        print(f"Lignes du fichier valeurs_{bench_import.YEAR} = lignes de la base : {in_db:,}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", action="store_true", help="Garder la base de mesure.")
    parser.add_argument("--indicators", type=int, default=333)
    parser.add_argument("--communes", type=int, default=34_969)
    parser.add_argument("--export-only", action="store_true", help="Sur la base gardée.")
    parser.add_argument("--export", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export:
        export_child(args.export)
        return
    if args.export_only:
        from urllib.parse import urlsplit, urlunsplit

        from config.embedded_db import embedded_database_url

        base_url = os.environ.get("DATABASE_URL") or embedded_database_url(ROOT / ".pgdata")
        parts = urlsplit(base_url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{bench_import.BENCH_DB}"))
        target = Path(tempfile.mkdtemp(prefix="bench_opendata_"))
        try:
            report(regenerate(target), None)
        finally:
            shutil.rmtree(target, ignore_errors=True)
        return

    base_url = bench_import.setup_database(args.keep)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from config.fixtures import reference_fixtures
    from observatoire.models import Indicator, IndicatorValue
    from observatoire.services import values_import
    from territoires.models import Level, Territory

    year = bench_import.YEAR
    target = Path(tempfile.mkdtemp(prefix="bench_opendata_"))
    try:
        call_command("migrate", verbosity=0)
        call_command("loaddata", *reference_fixtures(), verbosity=0)
        IndicatorValue.objects.all().delete()
        Territory.objects.filter(level=Level.COMMUNE).delete()
        real = bench_import.real_communes(base_url)
        if len(real) >= 30_000:
            communes, geography = real, f"géographie réelle ({len(real)} communes)"
        else:
            communes = bench_import.synthetic_communes(args.communes)
            geography = f"{len(communes)} communes synthétiques (codes au format INSEE)"
        Territory.objects.bulk_create(
            [
                Territory(
                    level=Level.COMMUNE,
                    code=code,
                    name=name,
                    search_name=name.lower(),
                    population=population,
                    echelon="local",
                )
                for code, name, population in communes
            ],
            batch_size=5_000,
        )
        Indicator.objects.all().delete()
        # Not demo indicators: the open-data files leave demo data out.
        Indicator.objects.bulk_create(
            Indicator(code=f"BENCH_{i:03d}", label=f"Indicateur de mesure {i}")
            for i in range(1, args.indicators + 1)
        )
        codes = [code for code, _, _ in communes]
        path = Path(f"/tmp/bench_opendata_{len(codes)}x{args.indicators}.csv")
        codes_path = path.with_suffix(".codes")
        codes_path.write_text("\n".join(codes))
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "bench_import.py"),
                "--generate",
                str(path),
                "--codes",
                str(codes_path),
                "--indicators",
                str(args.indicators),
            ],
            check=True,
        )
        print(
            f"Machine : {os.cpu_count()} cœurs, charge moyenne {os.getloadavg()[0]:.1f} ; "
            f"PostgreSQL : {connection.pg_version}"
        )
        print(f"Géographie : {geography}")
        print(f"Fichier généré en {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        run = values_import(data=path.read_bytes(), file_name=path.name, year=year)
        assert run.status == "reussi", run.message
        in_db = IndicatorValue.objects.filter(year=year).count()
        print(
            f"Millésime {year} chargé : {in_db:,} valeurs en {time.perf_counter() - started:.1f} s"
        )
        path.unlink()
        codes_path.unlink()
        connection.close()  # the child process has the server to itself

        report(regenerate(target), in_db)
    finally:
        shutil.rmtree(target, ignore_errors=True)
        if not args.keep:
            from django.db import connection as conn

            conn.close()
            bench_import.drop_database(base_url)


if __name__ == "__main__":
    main()
