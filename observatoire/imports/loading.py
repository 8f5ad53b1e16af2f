"""Loading indicator values with PostgreSQL binary COPY and set-based statements.

Measured (docs/benchmarks.md): COPY into a table whose foreign keys are ``DEFERRABLE INITIALLY
DEFERRED`` checks each row at COMMIT (minutes for 11 M rows), and ``ON CONFLICT DO UPDATE`` of
every row is slow and bloats. So:

- a re-import first compares checksums per (indicator, year) (``digests``): what is unchanged is
  skipped without touching the database;
- small files (one indicator for all communes…): COPY into a temporary staging table, count what
  changes, then one ``INSERT … ON CONFLICT DO UPDATE … WHERE value IS DISTINCT FROM``;
- a full vintage (≥ ``BULK_ROWS``, one year): the year's partition is built apart and attached
  at the end (``partitions``), its peer distributions computed from the frame in memory while
  PostgreSQL builds the indexes (``distributions``). Readers of the other years never wait.

Rows are encoded to the binary COPY format with numpy (no Python loop per row).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection

from observatoire.imports.digests import (
    Key,
    digests_forget,
    file_digests,
    file_keys,
    stored_digests,
)
from observatoire.imports.distributions import (
    Row,
    memory_distributions,
    peer_distributions_refresh,
    peers_of,
)
from observatoire.imports.partitions import PartitionLoad, references_lock
from observatoire.imports.values import Block, ValuesFile
from observatoire.models import Indicator, IndicatorValue
from territoires.models import Level, Territory

__all__ = ["peer_distributions_refresh"]

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
_FIELDS = [
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
_FULL = np.dtype(_FIELDS)
_NULL = np.dtype(_FIELDS[:-1])

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


class Job:
    """A computation in a thread (numpy releases the GIL while it sorts), joined by ``result``."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self._result: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(function, *args), daemon=True)
        self._thread.start()

    def _run(self, function: Callable[..., Any], *args: Any) -> None:
        try:
            self._result = function(*args)
        except BaseException as error:  # re-raised in the caller's thread
            self._error = error

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result


@dataclass
class Load:
    """What a load wrote, and where the refreshes that follow it must write before ``finish``."""

    counts: Counts
    indicator_ids: list[int] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    table: str = TABLE
    partition: PartitionLoad | None = None
    memory: Job | None = None  # -> list[Row]: distributions of the file's levels
    memory_levels: list[str] = field(default_factory=list)
    # Checksums of the rows written, or the thread computing them.
    checksums: dict[Key, tuple[str, int]] | Job = field(default_factory=dict)

    def written(self) -> dict[Key, tuple[str, int]]:
        return self.checksums.result() if isinstance(self.checksums, Job) else self.checksums

    def finish(self) -> None:
        """Attach the new partition: the last statement before the commit."""
        if self.partition is not None:
            self.partition.attach()
            self.partition = None

    def memory_rows(self) -> list[Row] | None:
        return None if self.memory is None else self.memory.result()


def _lock() -> None:
    with connection.cursor() as cursor:
        # One values load at a time: two first loads must not both skip the staging table.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


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
    """Load rows given as blocks (demo data); must run inside ``transaction.atomic`` (the caller
    rolls back a dry run). Returns how many rows were (or would be) created, updated, unchanged."""
    _lock()
    blocks = list(blocks)
    references_lock(
        indicator_ids=indicator_ids,
        territory_ids=np.unique(
            np.concatenate([b.territory_ids for b in blocks] or [np.empty(0, np.int64)])
        ).tolist(),
    )
    load = _load(
        lambda: iter(blocks),
        rows=expected_rows,
        total_blocks=total_blocks,
        indicator_ids=indicator_ids,
        years=years,
        dry_run=dry_run,
        progress=progress,
    )
    if not dry_run:
        digests_forget([(i, y) for i in indicator_ids for y in years])
    load.finish()
    return load.counts


def values_file_load(
    values_file: ValuesFile, *, level: str, dry_run: bool, progress: Progress = _no_progress
) -> Load:
    """Load a checked file; must run inside ``transaction.atomic``. The caller runs the
    refreshes on ``load.table``, stores ``load.written()`` (checksums), then ``load.finish()``."""
    _lock()
    progress(0.16, "empreintes des valeurs")
    started = time.perf_counter()
    total = values_file.values_read
    stored = stored_digests(file_keys(values_file.blocks()), level=level)
    digests: dict[Key, tuple[str, int]]
    if stored:
        digests = file_digests(values_file.blocks(), level=level)
        changed = {key: found for key, found in digests.items() if stored.get(key) != found[0]}
        if not changed:
            counts = Counts(
                total, unchanged=total, method="aucun changement (empreintes identiques)"
            )
            return Load(counts)
        keys = set(changed)
        rows = sum(count for _, count in changed.values())
        digests = changed
    else:
        # Nothing to compare with: every row is loaded, checksums computed during the indexes.
        keys = set(file_keys(values_file.blocks()))
        rows = total
        digests = {}
    logger.debug("empreintes : %.2f s", time.perf_counter() - started)
    indicator_ids = sorted({indicator for indicator, _ in keys})
    years = sorted({year for _, year in keys})
    started = time.perf_counter()
    references_lock(indicator_ids=indicator_ids, territory_ids=values_file.territory_ids())
    logger.debug("identifiants vérifiés et verrouillés : %.2f s", time.perf_counter() - started)
    matrix, territory_ids = values_file.matrix, values_file.row_territory_ids
    jobs: dict[str, Any] = {}

    def during_indexes(first_load: bool) -> None:
        """While PostgreSQL builds the indexes: checksums, and the distributions of a first
        load of a wide file (the frame holds every value of these indicators that year)."""
        if not digests:
            jobs["digests"] = Job(lambda: file_digests(values_file.blocks(), level=level))
        if first_load and matrix is not None and territory_ids is not None and len(years) == 1:
            positions = [
                position
                for position, indicator_id in enumerate(values_file.indicator_ids)
                if (indicator_id, years[0]) in keys
            ]
            ids = [values_file.indicator_ids[position] for position in positions]
            peers = peers_of(territory_ids, ids)
            columns = matrix if len(positions) == matrix.shape[1] else matrix[:, positions]
            jobs["memory"] = Job(memory_distributions, columns, ids, years[0], peers)
            jobs["levels"] = sorted({str(name) for name in peers.levels if name})

    load = _load(
        lambda: values_file.blocks(only=keys),
        rows=rows,
        total_blocks=len(indicator_ids) if matrix is not None else 1,
        indicator_ids=indicator_ids,
        years=years,
        dry_run=dry_run,
        progress=progress,
        during_indexes=during_indexes,
    )
    load.counts.rows += total - rows
    load.counts.unchanged += total - rows
    load.memory, load.memory_levels = jobs.get("memory"), jobs.get("levels", [])
    if digests:
        load.checksums = digests
    elif not dry_run:
        load.checksums = jobs.get("digests") or file_digests(values_file.blocks(), level=level)
    return load


def _load(
    make_blocks: Callable[[], Iterator[Block]],
    *,
    rows: int,
    total_blocks: int,
    indicator_ids: list[int],
    years: list[int],
    dry_run: bool,
    progress: Progress,
    during_indexes: Callable[[bool], None] | None = None,
) -> Load:
    bulk = rows >= BULK_ROWS and len(years) == 1
    if not _has_rows(indicator_ids, years):
        if dry_run:
            return Load(
                Counts(rows, created=rows, method="vérification"),
                indicator_ids=indicator_ids,
                years=years,
            )
        if bulk:
            # First load of these indicators for the year: straight into a new partition.
            partition = PartitionLoad(years[0])
            partition.create()
            copied = copy_blocks(
                partition.table,
                make_blocks(),
                total_blocks=total_blocks,
                progress=progress,
                start=0.2,
                end=0.7,
            )
            partition.carry(except_indicators=indicator_ids)
            if during_indexes:
                during_indexes(True)
            progress(0.72, "index de la partition du millésime")
            partition.build_keys()
            method = "copie directe dans une partition neuve, index reconstruits, rattachée"
            return Load(
                Counts(copied, created=copied, method=method),
                indicator_ids=indicator_ids,
                years=years,
                table=partition.table,
                partition=partition,
            )
    _create_stage()
    if not bulk:
        with connection.cursor() as cursor:
            # A few rows among millions, read through the primary key (pages are in memory).
            cursor.execute("SET LOCAL random_page_cost = 1.1")
    copied = copy_blocks(
        STAGE, make_blocks(), total_blocks=total_blocks, progress=progress, start=0.2, end=0.6
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
             AND t.year = s.year AND t.year = ANY(%s)
            """,
            [years],  # the constant list lets PostgreSQL read the years' partitions only
        )
        created, updated = cursor.fetchone()
    load = Load(
        Counts(copied, created, updated, copied - created - updated),
        indicator_ids=indicator_ids,
        years=years,
    )
    if dry_run or not (created or updated):
        load.counts.method = "vérification" if dry_run else "aucun changement"
        _drop_stage()
        return load
    progress(0.7, "écriture")
    if bulk:
        # The year's partition rebuilt apart: the new rows, then the old ones they do not replace.
        partition = PartitionLoad(years[0])
        partition.create()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {partition.table} ({COLUMNS}) SELECT {COLUMNS} FROM {STAGE}"
            )
        partition.carry(stage=STAGE)
        if during_indexes:
            during_indexes(False)
        progress(0.8, "index de la partition du millésime")
        partition.build_keys()
        load.table, load.partition = partition.table, partition
        load.counts.method = "remplacement de la partition du millésime, index reconstruits"
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {TABLE} AS t ({COLUMNS}) SELECT {COLUMNS} FROM {STAGE}
                ON CONFLICT (indicator_id, territory_id, year) DO UPDATE SET value = EXCLUDED.value
                WHERE t.value IS DISTINCT FROM EXCLUDED.value"""
            )
        load.counts.method = "mise à jour (upsert)"
    _drop_stage()
    return load


def arrondissement_totals_refresh(
    *, indicator_ids: list[int], years: list[int], present: set[int], table: str = TABLE
) -> list[int]:
    """Paris, Lyon and Marseille from their arrondissements municipaux, for additive indicators:
    a commune the file has a row for keeps its own value; a commune the file gives only by
    arrondissement gets their sum (NULL unless every arrondissement has a value). Returns the
    territory of each row created or changed. Arrondissements never count in the upper levels' totals
    (those sum communes only), so nothing is counted twice."""
    additive = list(
        Indicator.objects.filter(pk__in=indicator_ids, additive=True).values_list("pk", flat=True)
    )
    if not additive or not years:
        return []
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
                FROM {table} v JOIN {territories} a ON a.id = v.territory_id
                WHERE a.level = %(arrondissement)s AND a.commune_id IS NOT NULL
                  AND NOT (a.commune_id = ANY(%(present)s))
                  AND v.indicator_id = ANY(%(indicators)s) AND v.year = ANY(%(years)s)
                GROUP BY 1, 2, 3
            )
            INSERT INTO {table} AS t ({COLUMNS})
            SELECT s.indicator_id, s.commune_id, s.year, CASE WHEN s.filled = m.n THEN s.total END
            FROM sums s JOIN members m ON m.commune_id = s.commune_id
            ON CONFLICT (indicator_id, territory_id, year) DO UPDATE SET value = EXCLUDED.value
            WHERE t.value IS DISTINCT FROM EXCLUDED.value
            RETURNING t.territory_id
            """,
            {
                "arrondissement": Level.ARRONDISSEMENT,
                "present": sorted(present),
                "indicators": additive,
                "years": years,
            },
        )
        return [row[0] for row in cursor.fetchall()]


def additive_aggregates_refresh(
    *, indicator_ids: list[int], years: list[int], table: str = TABLE
) -> int:
    """Sum the communes' values of additive indicators (counts) into their EPCI, département,
    région and France; rates are never aggregated. A total is written only when every member
    commune has a value (otherwise NULL: a missing commune never yields a wrong total).
    Returns the number of rows created or changed."""
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
                    FROM {table} v JOIN {territories} c ON c.id = v.territory_id
                    WHERE c.level = %(commune)s AND {present}
                      AND v.indicator_id = ANY(%(indicators)s) AND v.year = ANY(%(years)s)
                    GROUP BY 1, 2, 3
                )
                INSERT INTO {table} AS t ({COLUMNS})
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
