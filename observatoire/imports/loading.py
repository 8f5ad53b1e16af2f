"""Loading indicator values with PostgreSQL binary COPY and set-based statements.

Measured (docs/benchmarks.md): COPY into a table whose foreign keys are ``DEFERRABLE INITIALLY
DEFERRED`` checks each row at COMMIT (minutes for 11 M rows), and ``ON CONFLICT DO UPDATE`` of
every row is slow and bloats. So:

- small files (one indicator for all communes…): COPY into a temporary staging table, count what
  changes, then one ``INSERT … ON CONFLICT DO UPDATE … WHERE value IS DISTINCT FROM``;
- a full vintage (≥ ``BULK_ROWS``): in one transaction, drop the indexes and foreign keys of the
  values table, COPY, rebuild them (a foreign key added afterwards is checked by one join, not
  row by row). Readers of the table wait for that transaction.

Rows are encoded to the binary COPY format with numpy (no Python loop per row).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.db import connection

from observatoire.imports.values import Block
from observatoire.models import IndicatorValue

TABLE = IndicatorValue._meta.db_table
logger = logging.getLogger(__name__)
STAGE = "observatoire_stage_values"
COLUMNS = "indicator_id, territory_id, year, value"
# From this many rows a load drops and rebuilds the indexes around the COPY.
BULK_ROWS = 1_000_000
# Advisory lock taken by every values load (an arbitrary constant of this app).
LOCK_KEY = 5_180_305
# Rows per chunk written to the COPY stream.
CHUNK_ROWS = 500_000

COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)
_FULL = np.dtype(
    [
        ("n", ">i2"),
        ("l1", ">i4"),
        ("indicator", ">i8"),
        ("l2", ">i4"),
        ("territory", ">i8"),
        ("l3", ">i4"),
        ("year", ">i2"),
        ("l4", ">i4"),
        ("value", ">f8"),
    ]
)
_NULL = np.dtype([(name, _FULL.fields[name][0]) for name in _FULL.names[:-1]])

Progress = Callable[[float, str], None]


def _no_progress(fraction: float, label: str) -> None:
    return None


@dataclass
class Counts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    method: str = ""


def encode_block(block: Block) -> bytes:
    """Rows of a block in PostgreSQL's binary COPY tuple format (without header/trailer)."""
    missing = np.isnan(block.values)
    parts = []
    for dtype, mask in ((_FULL, ~missing), (_NULL, missing)):
        count = int(mask.sum())
        if not count:
            continue
        rows = np.empty(count, dtype=dtype)
        rows["n"] = 4
        rows["l1"] = 8
        rows["indicator"] = block.indicator_ids[mask]
        rows["l2"] = 8
        rows["territory"] = block.territory_ids[mask]
        rows["l3"] = 2
        rows["year"] = block.years[mask]
        if dtype is _FULL:
            rows["l4"] = 8
            rows["value"] = block.values[mask]
        else:
            rows["l4"] = -1
        parts.append(rows.tobytes())
    return b"".join(parts)


def copy_blocks(
    table: str,
    blocks: Iterable[Block],
    *,
    total_blocks: int,
    progress: Progress = _no_progress,
    start: float = 0.0,
    end: float = 1.0,
) -> int:
    """Binary COPY of every block into ``table``; returns the number of rows."""
    rows = 0
    started = time.perf_counter()
    statement = f"COPY {table} ({COLUMNS}) FROM STDIN (FORMAT BINARY)"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(COPY_HEADER)
        for position, block in enumerate(blocks, start=1):
            for offset in range(0, len(block), CHUNK_ROWS):
                part = Block(
                    block.indicator_ids[offset : offset + CHUNK_ROWS],
                    block.territory_ids[offset : offset + CHUNK_ROWS],
                    block.years[offset : offset + CHUNK_ROWS],
                    block.values[offset : offset + CHUNK_ROWS],
                )
                copy.write(encode_block(part))
                rows += len(part)
            if total_blocks:
                progress(start + (end - start) * position / total_blocks, "copie")
        copy.write(COPY_TRAILER)
    logger.debug("COPY %s : %s lignes en %.2f s", table, rows, time.perf_counter() - started)
    return rows


def _table_definitions(table: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(name, definition) of the primary key / foreign keys, and of the other indexes."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = %s::regclass AND contype IN ('p', 'f', 'u')
            ORDER BY contype DESC, conname
            """,
            [table],
        )
        constraints = list(cursor.fetchall())
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = %s::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid
                              AND c.conrelid = x.indrelid)
            ORDER BY i.relname
            """,
            [table],
        )
        indexes = list(cursor.fetchall())
    return constraints, indexes


def _drop_keys(table: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    constraints, indexes = _table_definitions(table)
    with connection.cursor() as cursor:
        # ALTER TABLE refuses to run while deferred checks of this transaction are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for name, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return constraints, indexes


def _rebuild_keys(
    table: str, constraints: list[tuple[str, str]], indexes: list[tuple[str, str]]
) -> None:
    with connection.cursor() as cursor:
        # Enough memory for the index sorts to stay in memory (11.6 M rows: ~0.5 GB each), and
        # for the hash joins that check the foreign keys.
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # Primary key first (an index build), then the other indexes, then the foreign keys
        # (each validated by one join over the table, not by per-row triggers).
        for name, definition in sorted(constraints, key=lambda c: not c[1].startswith("PRIMARY")):
            started = time.perf_counter()
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            logger.debug("%s : %.2f s", name, time.perf_counter() - started)
            if definition.startswith("PRIMARY"):
                for index_name, index_definition in indexes:
                    started = time.perf_counter()
                    cursor.execute(index_definition)
                    logger.debug("%s : %.2f s", index_name, time.perf_counter() - started)


def _create_stage() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGE} (indicator_id bigint NOT NULL, "
            "territory_id bigint NOT NULL, year smallint NOT NULL, value double precision)"
        )


def _drop_stage() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")


def _has_rows(indicator_ids: list[int], years: list[int]) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {TABLE} WHERE indicator_id = ANY(%s) AND year = ANY(%s))",
            [indicator_ids, years],
        )
        return bool(cursor.fetchone()[0])


def values_load(
    blocks: Iterable[Block],
    *,
    total_blocks: int,
    expected_rows: int,
    indicator_ids: list[int],
    years: list[int],
    dry_run: bool,
    progress: Progress = _no_progress,
) -> Counts:
    """Load the rows; must run inside ``transaction.atomic`` (the caller rolls back a dry run).

    Returns how many rows were (or, in a dry run, would be) created, updated, unchanged.
    """
    bulk = expected_rows >= BULK_ROWS
    with connection.cursor() as cursor:
        # One values load at a time: two first loads must not both skip the staging table.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    if not _has_rows(indicator_ids, years):
        if dry_run:
            return Counts(expected_rows, created=expected_rows, method="vérification")
        if bulk:
            # First load of a vintage: straight into the table, keys rebuilt afterwards.
            progress(0.2, "suppression des index")
            constraints, indexes = _drop_keys(TABLE)
            rows = copy_blocks(
                TABLE, blocks, total_blocks=total_blocks, progress=progress, start=0.2, end=0.75
            )
            progress(0.75, "reconstruction des index et des clés")
            _rebuild_keys(TABLE, constraints, indexes)
            return Counts(rows, created=rows, method="copie directe, index reconstruits")
    _create_stage()
    rows = copy_blocks(
        STAGE, blocks, total_blocks=total_blocks, progress=progress, start=0.2, end=0.6
    )
    progress(0.6, "comparaison avec les valeurs en base")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {STAGE}")
        cursor.execute(
            f"""
            SELECT count(*) FILTER (WHERE t.year IS NULL),
                   count(*) FILTER (WHERE t.year IS NOT NULL AND t.value IS DISTINCT FROM s.value)
            FROM {STAGE} s LEFT JOIN {TABLE} t
              ON t.indicator_id = s.indicator_id AND t.territory_id = s.territory_id
             AND t.year = s.year
            """
        )
        created, updated = cursor.fetchone()
    counts = Counts(rows, created, updated, rows - created - updated)
    if dry_run or not (created or updated):
        counts.method = "vérification" if dry_run else "aucun changement"
        _drop_stage()
        return counts
    progress(0.7, "écriture")
    with connection.cursor() as cursor:
        if bulk:
            cursor.execute(
                f"""DELETE FROM {TABLE} t USING {STAGE} s
                WHERE t.indicator_id = s.indicator_id AND t.territory_id = s.territory_id
                  AND t.year = s.year"""
            )
            constraints, indexes = _drop_keys(TABLE)
            cursor.execute(f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {COLUMNS} FROM {STAGE}")
            progress(0.8, "reconstruction des index et des clés")
            _rebuild_keys(TABLE, constraints, indexes)
            counts.method = "remplacement du millésime, index reconstruits"
        else:
            cursor.execute(
                f"""INSERT INTO {TABLE} AS t ({COLUMNS}) SELECT {COLUMNS} FROM {STAGE}
                ON CONFLICT (indicator_id, territory_id, year) DO UPDATE SET value = EXCLUDED.value
                WHERE t.value IS DISTINCT FROM EXCLUDED.value"""
            )
            counts.method = "mise à jour (upsert)"
    _drop_stage()
    return counts


def arrondissement_totals_refresh(
    *, indicator_ids: list[int], years: list[int], present: set[int]
) -> int:
    """Paris, Lyon and Marseille from their arrondissements municipaux, for additive indicators:
    a commune the file has a row for keeps its own value; a commune the file gives only by
    arrondissement gets their sum (NULL unless every arrondissement has a value). Returns the
    number of rows created or changed. Arrondissements never count in the upper levels' totals
    (those sum communes only), so nothing is counted twice."""
    from observatoire.models import Indicator
    from territoires.models import Level, Territory

    additive = list(
        Indicator.objects.filter(pk__in=indicator_ids, additive=True).values_list("pk", flat=True)
    )
    if not additive or not years:
        return 0
    territories = Territory._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH members AS (
                SELECT commune_id, count(*) AS n FROM {territories}
                WHERE level = %(arrondissement)s AND commune_id IS NOT NULL GROUP BY 1
            ), sums AS (
                SELECT v.indicator_id, a.commune_id, v.year,
                       count(v.value) AS filled, sum(v.value) AS total
                FROM {TABLE} v JOIN {territories} a ON a.id = v.territory_id
                WHERE a.level = %(arrondissement)s AND a.commune_id IS NOT NULL
                  AND NOT (a.commune_id = ANY(%(present)s))
                  AND v.indicator_id = ANY(%(indicators)s) AND v.year = ANY(%(years)s)
                GROUP BY 1, 2, 3
            )
            INSERT INTO {TABLE} AS t ({COLUMNS})
            SELECT s.indicator_id, s.commune_id, s.year, CASE WHEN s.filled = m.n THEN s.total END
            FROM sums s JOIN members m ON m.commune_id = s.commune_id
            ON CONFLICT (indicator_id, territory_id, year) DO UPDATE SET value = EXCLUDED.value
            WHERE t.value IS DISTINCT FROM EXCLUDED.value
            """,
            {
                "arrondissement": Level.ARRONDISSEMENT,
                "present": sorted(present),
                "indicators": additive,
                "years": years,
            },
        )
        return cursor.rowcount


def additive_aggregates_refresh(*, indicator_ids: list[int], years: list[int]) -> int:
    """Sum the communes' values of additive indicators (counts) into their EPCI, département,
    région and France; rates are never aggregated. A total is written only when every member
    commune has a value (otherwise NULL: a missing commune never yields a wrong total).
    Returns the number of rows created or changed."""
    from observatoire.models import Indicator
    from territoires.models import Level, Territory

    additive = list(
        Indicator.objects.filter(pk__in=indicator_ids, additive=True).values_list("pk", flat=True)
    )
    if not additive or not years:
        return 0
    territories = Territory._meta.db_table
    changed = 0
    parents = [
        ("c.epci_id", "epci_id IS NOT NULL"),
        ("c.departement_id", "departement_id IS NOT NULL"),
        ("c.region_id", "region_id IS NOT NULL"),
        (
            f"(SELECT id FROM {territories} WHERE level = '{Level.COUNTRY}' ORDER BY id LIMIT 1)",
            f"EXISTS (SELECT 1 FROM {territories} WHERE level = '{Level.COUNTRY}')",
        ),
    ]
    with connection.cursor() as cursor:
        for parent, present in parents:
            cursor.execute(
                f"""
                WITH members AS (
                    SELECT {parent} AS parent_id, count(*) AS n
                    FROM {territories} c WHERE c.level = %(commune)s AND {present}
                    GROUP BY 1
                ), sums AS (
                    SELECT v.indicator_id, {parent} AS parent_id, v.year,
                           count(v.value) AS filled, sum(v.value) AS total
                    FROM {TABLE} v JOIN {territories} c ON c.id = v.territory_id
                    WHERE c.level = %(commune)s AND {present}
                      AND v.indicator_id = ANY(%(indicators)s) AND v.year = ANY(%(years)s)
                    GROUP BY 1, 2, 3
                )
                INSERT INTO {TABLE} AS t ({COLUMNS})
                SELECT s.indicator_id, s.parent_id, s.year,
                       CASE WHEN s.filled = m.n THEN s.total END
                FROM sums s JOIN members m ON m.parent_id = s.parent_id
                ON CONFLICT (indicator_id, territory_id, year) DO UPDATE SET value = EXCLUDED.value
                WHERE t.value IS DISTINCT FROM EXCLUDED.value
                """,
                {"commune": Level.COMMUNE, "indicators": additive, "years": years},
            )
            changed += cursor.rowcount
    return changed


def peer_distributions_refresh(*, indicator_ids: list[int], years: list[int]) -> int:
    """Rebuild, for these indicators and years, the distribution of values per territorial
    level and size segment (count and 101 quantiles, computed by PostgreSQL). Returns the
    number of distributions written."""
    from observatoire.models import PER_INHABITANTS, Indicator, PeerDistribution
    from territoires.models import SizeSegment, Territory

    if not indicator_ids or not years:
        return 0
    table = PeerDistribution._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE indicator_id = ANY(%s) AND year = ANY(%s)",
            [indicator_ids, years],
        )
        # The ordered-set aggregates sort every value once (1 GB measured no faster than 256 MB).
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            f"""
            INSERT INTO {table} (indicator_id, year, level, segment_id, count, quantiles)
            SELECT p.indicator_id, p.year, p.level, p.segment_id, count(*),
                   to_jsonb(percentile_cont(%(quantiles)s::float8[])
                            WITHIN GROUP (ORDER BY p.positioned))
            FROM (
                -- A count is positioned per 1 000 inhabitants, never raw (Indicator.kind).
                SELECT v.indicator_id, v.year, t.level, s.id AS segment_id,
                       CASE WHEN i.kind = 'effectif'
                            THEN v.value * %(per)s / NULLIF(t.population, 0)
                            ELSE v.value END AS positioned
                FROM {TABLE} v
                JOIN {Indicator._meta.db_table} i ON i.id = v.indicator_id
                JOIN {Territory._meta.db_table} t ON t.id = v.territory_id
                JOIN {SizeSegment._meta.db_table} s ON t.population >= s.min_population
                     AND (s.max_population IS NULL OR t.population < s.max_population)
                WHERE v.indicator_id = ANY(%(indicators)s) AND v.year = ANY(%(years)s)
                  AND v.value IS NOT NULL
            ) p
            WHERE p.positioned IS NOT NULL
            GROUP BY p.indicator_id, p.year, p.level, p.segment_id
            """,
            {
                "per": PER_INHABITANTS,
                "quantiles": [step / 100 for step in range(101)],
                "indicators": indicator_ids,
                "years": years,
            },
        )
        return cursor.rowcount
