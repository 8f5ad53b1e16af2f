"""Benchmark: load 333 indicators × 34 969 communes (≈ 11.6 M values, one wide CSV).

    .venv/bin/python bench/bench_import.py [--keep] [--communes 34969] [--indicators 333]

Figures and goals (issue 13): the national load all included ≤ 3 × the bare binary COPY of the
same rows measured in the same run (and < 27 s); the re-import of the same file < 10 s; a reader
of another vintage (every 100 ms, another process) during the national load never waits > 1 s.

Runs in a separate database (``bench_observatoire``) of the embedded PostgreSQL of the worktree
(or of DATABASE_URL's server), dropped at the end unless ``--keep``. Geography: the real communes
when the platform database holds them (``manage.py setup_platform`` loads them), otherwise 34 969
synthetic communes with INSEE-shaped codes, labelled as such. Prints its figures; the results are
recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "bench_observatoire"
YEAR = 2022
SEED = 20261121


def generate(path: Path, communes: list[str], indicators: int) -> None:
    """The wide file, deterministic: `;`, decimal comma, Latin-1, ~2 % secret/missing cells."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(SEED)
    matrix = np.round(rng.gamma(2.0, 20.0, size=(len(communes), indicators)), 1)
    frame = pd.DataFrame(matrix, columns=[f"BENCH_{i:03d}" for i in range(1, indicators + 1)])
    secret = rng.random(size=matrix.shape) < 0.02
    frame = frame.mask(secret)
    frame.insert(0, "CODGEO", communes)
    # Secret cells written as « s », the INSEE marker.
    frame.to_csv(path, sep=";", decimal=",", na_rep="s", index=False, encoding="latin-1")


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_database(keep: bool) -> str:
    """Create the bench database on the same server and point Django at it."""
    import psycopg

    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url:
        from config.embedded_db import embedded_database_url

        base_url = embedded_database_url(ROOT / ".pgdata")
    with psycopg.connect(base_url, autocommit=True) as conn:
        # A fresh database each run, so that measures do not depend on a previous run.
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(base_url)
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    return base_url


def drop_database(base_url: str) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def real_communes(base_url: str) -> list[tuple[str, str, int | None]]:
    import psycopg

    try:
        with psycopg.connect(base_url) as conn:
            return conn.execute(
                "SELECT code, name, population FROM territoires_territory "
                "WHERE level = 'commune' ORDER BY code"
            ).fetchall()
    except psycopg.Error:
        return []


def synthetic_communes(count: int) -> list[tuple[str, str, int]]:
    departements = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
    per = -(-count // len(departements))
    codes = [f"{dep}{n:03d}" for dep in departements for n in range(1, per + 1)][:count]
    return [
        (code, f"Commune synthétique {code}", 100 + i * 7 % 50_000) for i, code in enumerate(codes)
    ]


READER_YEAR = YEAR - 1
READER_COLUMNS = 40  # indicators of the other vintage: > 1 M values, so it has its partition


def reader(url: str, territory_ids: list[int], stop: Any, out: Any) -> None:
    """Another process reads another vintage every 100 ms: one territory's values of that year
    (pruned to its partition), then the territory page's shape (all years, no pruning)."""
    import random

    import psycopg

    waits: dict[str, list[float]] = {"annee": [], "toutes_annees": []}
    rng = random.Random(SEED)
    with psycopg.connect(url, autocommit=True) as conn:
        while not stop.is_set():
            territory = rng.choice(territory_ids)
            for name, sql, params in (
                (
                    "annee",
                    "SELECT count(*), sum(value) FROM observatoire_indicatorvalue "
                    "WHERE year = %s AND territory_id = %s",
                    [READER_YEAR, territory],
                ),
                (
                    "toutes_annees",
                    "SELECT count(*) FROM observatoire_indicatorvalue WHERE territory_id = %s",
                    [territory],
                ),
            ):
                started = time.perf_counter()
                conn.execute(sql, params).fetchall()
                waits[name].append(time.perf_counter() - started)
            time.sleep(0.1)
    out.put(waits)


def columns_of(data: bytes, count: int) -> bytes:
    """The file's code column and its first ``count`` indicators."""
    lines = data.decode("latin-1").splitlines()
    return "\n".join(";".join(line.split(";")[: count + 1]) for line in lines).encode("latin-1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", action="store_true", help="Garder la base de mesure.")
    parser.add_argument("--communes", type=int, default=34_969)
    parser.add_argument("--indicators", type=int, default=333)
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    parser.add_argument("--codes", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        communes = Path(args.codes).read_text().split()
        generate(Path(args.generate), communes, args.indicators)
        return

    base_url = setup_database(args.keep)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("observatoire").setLevel(logging.DEBUG)
    import numpy as np
    from django.core.management import call_command
    from django.db import connection, transaction

    from config.fixtures import reference_fixtures
    from observatoire.imports import loading
    from observatoire.imports.values import read_values_file
    from observatoire.models import Indicator, IndicatorValue
    from observatoire.services import values_import
    from territoires.models import Level, Territory

    try:
        call_command("migrate", verbosity=0)
        call_command("loaddata", *reference_fixtures(), verbosity=0)
        IndicatorValue.objects.all().delete()
        Territory.objects.filter(level=Level.COMMUNE).delete()
        real = real_communes(base_url)
        if len(real) >= 30_000:
            communes, geography = real, f"géographie réelle ({len(real)} communes de la base)"
        else:
            communes = synthetic_communes(args.communes)
            geography = (
                f"{len(communes)} communes synthétiques (codes au format INSEE), base de mesure "
                f"séparée « {BENCH_DB} » — la base de la plateforme n’a pas la géographie réelle"
            )
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
        Indicator.objects.bulk_create(
            [
                Indicator(
                    code=f"BENCH_{i:03d}",
                    label=f"Indicateur de mesure {i}",
                    is_demo=True,
                    note="banc d’essai bench/bench_import.py",
                )
                for i in range(1, args.indicators + 1)
            ]
        )
        codes = [code for code, _, _ in communes]
        path = Path(f"/tmp/bench_observatoire_{len(codes)}x{args.indicators}.csv")
        codes_path = path.with_suffix(".codes")
        codes_path.write_text("\n".join(codes))
        started = time.perf_counter()
        # Generated in a child process so this process's peak memory is the import's.
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--generate",
                str(path),
                "--codes",
                str(codes_path),
                "--indicators",
                str(args.indicators),
            ],
            check=True,
        )
        generation = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6
        print(
            f"Machine : {os.cpu_count()} cœurs, charge moyenne {os.getloadavg()[0]:.1f} ; "
            f"PostgreSQL : {connection.pg_version}"
        )
        print(f"Géographie : {geography}")
        print(f"Fichier : {path} ({size_mb:.0f} Mo, généré en {generation:.1f} s)")
        rss_before = maxrss_mb()
        data = path.read_bytes()

        # 0. Another vintage, so that a reader has something to read during the national load.
        other = columns_of(data, READER_COLUMNS)
        started = time.perf_counter()
        run = values_import(data=other, file_name="autre_millesime.csv", year=READER_YEAR)
        assert run.status == "reussi", run.message
        print(
            f"Autre millésime ({READER_YEAR}, {run.values_read:,} valeurs) chargé en "
            f"{time.perf_counter() - started:.1f} s (charge {os.getloadavg()[0]:.1f})"
        )
        context = multiprocessing.get_context("spawn")
        stop, out = context.Event(), context.Queue()
        territory_ids = list(
            Territory.objects.filter(level=Level.COMMUNE).values_list("pk", flat=True)
        )
        reading = context.Process(
            target=reader, args=(os.environ["DATABASE_URL"], territory_ids, stop, out)
        )
        reading.start()
        time.sleep(2)  # the reader's process is up and reading

        # 1. Full load of the vintage.
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        run = values_import(data=data, file_name=path.name, year=YEAR)
        full = time.perf_counter() - started
        stop.set()
        waits = out.get(timeout=60)
        reading.join(timeout=10)
        assert run.status == "reussi", run.message
        peak = maxrss_mb()
        print(
            f"Chargement complet : {run.values_read:,} valeurs en {full:.1f} s "
            f"({run.values_read / full:,.0f} valeurs/s ; charge {load_before:.1f} → "
            f"{os.getloadavg()[0]:.1f}) — {run.message}"
        )
        print(
            f"Mémoire de pointe du processus : {peak:.0f} Mo (avant import : {rss_before:.0f} Mo)"
        )
        for name, label in (
            ("annee", f"valeurs d’une commune en {READER_YEAR}"),
            ("toutes_annees", "valeurs d’une commune, toutes années (forme de la page)"),
        ):
            times = waits[name]
            print(
                f"FIGURE lecteur pendant le chargement ({label}) : {len(times)} lectures, "
                f"attente max {max(times) * 1000:.0f} ms, médiane "
                f"{sorted(times)[len(times) // 2] * 1000:.1f} ms — objectif : max ≤ 1 000 ms"
            )

        # 2. Same file again: nothing changes.
        started = time.perf_counter()
        again = values_import(data=data, file_name=path.name, year=YEAR)
        second = time.perf_counter() - started
        print(
            f"FIGURE ré-import du même fichier : {second:.1f} s — {again.changed} changement(s) "
            f"({again.unchanged:,} inchangées ; charge {os.getloadavg()[0]:.1f}) — "
            f"objectif : < 10 s"
        )

        # 3. One indicator for all communes, with new values.
        rng = np.random.default_rng(SEED + 1)
        lines = ["CODGEO;BENCH_001"] + [
            f"{code};{value:.1f}".replace(".", ",")
            for code, value in zip(codes, rng.gamma(2.0, 20.0, len(codes)), strict=True)
        ]
        one = "\n".join(lines).encode("latin-1")
        started = time.perf_counter()
        single = values_import(data=one, file_name="un_indicateur.csv", year=YEAR)
        one_time = time.perf_counter() - started
        print(
            f"Ré-import d’un indicateur pour toutes les communes : {one_time:.2f} s — "
            f"{single.message}"
        )

        # 3b. A commune among its peers (the territory page), on the full vintage.
        from django.db import reset_queries
        from django.test.utils import CaptureQueriesContext

        from observatoire.queries import territory_for_indicators, territory_indicator_profile

        code = sorted(codes)[len(codes) // 2]
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            profile = territory_indicator_profile(territory_for_indicators(Level.COMMUNE, code))
            profile_time = time.perf_counter() - started
        ranked = sum(1 for d in profile.domains for line in d.lines if line.peers)
        print(
            f"Une commune parmi ses pairs ({profile.line_count} indicateurs, {ranked} centiles) : "
            f"{profile_time * 1000:.0f} ms, {len(queries)} requêtes"
        )

        # 4. Bare binary COPY of the same rows into an unindexed table, same run.
        territory_codes = dict(
            Territory.objects.filter(level=Level.COMMUNE).values_list("code", "pk")
        )
        indicator_codes = dict(Indicator.objects.values_list("code", "pk"))
        values_file = read_values_file(
            data,
            file_name=path.name,
            year=YEAR,
            level=Level.COMMUNE,
            code_column="CODGEO",
            territory_codes=territory_codes,
            indicator_codes=indicator_codes,
        )
        ddl = (
            "CREATE TABLE bench_bare (indicator_id bigint, territory_id bigint, "
            "year smallint, value double precision)"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_bare")
            cursor.execute(ddl)
            started = time.perf_counter()
            statement = "COPY bench_bare FROM STDIN (FORMAT BINARY)"
            with cursor.copy(statement) as copy:
                copy.set_types(["int8", "int8", "int2", "float8"])
                for block in values_file.blocks():
                    for row in zip(
                        block.indicator_ids.tolist(),
                        block.territory_ids.tolist(),
                        block.years.tolist(),
                        [None if v != v else v for v in block.values.tolist()],
                        strict=True,
                    ):
                        copy.write_row(row)
            bare_write_row = time.perf_counter() - started
            cursor.execute("DROP TABLE bench_bare")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(ddl)
            started = time.perf_counter()
            loading.copy_blocks(
                "bench_bare", values_file.blocks(), total_blocks=values_file.block_count
            )
            bare_numpy = time.perf_counter() - started
            cursor.execute("DROP TABLE bench_bare")
        print(
            f"COPY binaire nu (write_row, table sans index) : {bare_write_row:.1f} s → "
            f"chargement complet = {full / bare_write_row:.2f} × ce COPY"
        )
        print(
            f"COPY binaire nu (flux numpy du chargeur, table sans index) : {bare_numpy:.1f} s → "
            f"chargement complet = {full / bare_numpy:.2f} × ce COPY"
        )
        print(
            f"FIGURE chargement national tout compris : {full:.1f} s = {full / bare_numpy:.2f} × "
            f"le COPY binaire nu de la même exécution ({bare_numpy:.1f} s) — objectif : ≤ 3 × "
            f"et < 27 s (charge {os.getloadavg()[0]:.1f})"
        )
        print(f"Charge moyenne de la machine à la fin : {os.getloadavg()[0]:.1f}")

        # 5. Demo data (setup_platform --demo) on this geography.
        from io import StringIO

        from observatoire.setup import load_demo

        # As in `setup_platform --demo`: the values table without the 11.6 M values above.
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {IndicatorValue._meta.db_table}")
        out = StringIO()
        started = time.perf_counter()
        load_demo(stdout=out)
        print(
            f"Données de démonstration (load_demo) : {time.perf_counter() - started:.1f} s —{out.getvalue().strip().split(':', 1)[1]}"
        )
    finally:
        connection.close()
        if not args.keep:
            drop_database(base_url)
            print(f"Base de mesure « {BENCH_DB} » supprimée.")


if __name__ == "__main__":
    main()
