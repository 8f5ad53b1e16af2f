"""One partition of the values table per loaded vintage (PostgreSQL LIST partitioning by year).

A large load builds the year's rows in a table of its own — COPY, rows of other indicators of that
year carried over, primary key and territory index built, a CHECK matching the partition bound —
then attaches it (``ATTACH PARTITION`` takes a SHARE UPDATE EXCLUSIVE lock on the parent table:
readers are never blocked; the CHECK spares the scan) and, if the year already had a partition,
detaches and drops the old one in the same short final step. Readers of the other years never wait
for the load; a failed or refused load rolls back and leaves the table as it was.

No foreign key in the database: the loader checks its ids as a set and takes ``FOR KEY SHARE``
row locks on them, which is what a foreign key check would do, without 11 M per-row checks.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from django.db import connection

from observatoire.models import Indicator, IndicatorValue
from territoires.models import Territory

TABLE = IndicatorValue._meta.db_table
DEFAULT = f"{TABLE}_default"
COLUMNS = "indicator_id, territory_id, year, value"
logger = logging.getLogger(__name__)


class MissingReference(Exception):
    """An indicator or a territory of the file was deleted while the file was being read."""


def partition_name(year: int) -> str:
    return f"{TABLE}_y{int(year)}"


def _attached(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = %s::regclass AND c.relname = %s)""",
            [TABLE, name],
        )
        return bool(cursor.fetchone()[0])


def references_lock(*, indicator_ids: Iterable[int], territory_ids: Iterable[int]) -> None:
    """The foreign-key check of a load, once per id instead of once per row: every id must exist,
    and stays so until the commit (``FOR KEY SHARE``, as PostgreSQL's own check)."""
    for model, ids in ((Indicator, indicator_ids), (Territory, territory_ids)):
        wanted = sorted({int(pk) for pk in ids})
        if not wanted:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {model._meta.db_table} "
                "WHERE id = ANY(%s) FOR KEY SHARE) locked",
                [wanted],
            )
            found = cursor.fetchone()[0]
        if found != len(wanted):
            raise MissingReference(
                f"{len(wanted) - found} {model._meta.verbose_name_plural} du fichier "
                "n’existent plus (supprimés pendant l’import)"
            )


class PartitionLoad:
    """The rows of one year, built apart from the values table, then attached."""

    def __init__(self, year: int) -> None:
        self.year = int(year)
        self.partition = partition_name(self.year)
        self.table = f"{self.partition}_load"
        self.current = self.partition if _attached(self.partition) else None

    def create(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            # Same columns, NOT NULL and CHECK constraints as the parent (ATTACH requires them).
            cursor.execute(
                f"CREATE TABLE {self.table} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
            )
            # The partition bound as a CHECK, from the start: checked row by row during the COPY
            # (no scan to validate it afterwards), it spares ATTACH its scan.
            cursor.execute(
                f"ALTER TABLE {self.table} ADD CONSTRAINT {self.table}_bound "
                f"CHECK (year IS NOT NULL AND year = {self.year})"
            )

    def carry(self, *, except_indicators: list[int] | None = None, stage: str | None = None) -> int:
        """Copy the year's rows that the load does not replace: those of other indicators, or
        (``stage``) those without a row in the staging table. Returns the number of rows."""
        source = self.current or DEFAULT
        conditions = ["o.year = %(year)s"]
        if except_indicators:
            conditions.append("o.indicator_id <> ALL(%(indicators)s)")
        if stage:
            conditions.append(
                f"NOT EXISTS (SELECT 1 FROM {stage} s WHERE s.indicator_id = o.indicator_id "
                "AND s.territory_id = o.territory_id AND s.year = o.year)"
            )
        params: dict[str, int | list[int]] = {
            "year": self.year,
            "indicators": except_indicators or [],
        }
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.table} ({COLUMNS}) SELECT {COLUMNS} FROM {source} o "
                f"WHERE {' AND '.join(conditions)}",
                params,
            )
            carried = cursor.rowcount
            if self.current is None:
                # The year's rows leave the default partition for their own (ATTACH checks it).
                cursor.execute(f"DELETE FROM {DEFAULT} WHERE year = %s", [self.year])
        return carried

    def build_keys(self) -> None:
        """Primary key (sorted input: the rows were written in its order), territory index,
        statistics."""
        with connection.cursor() as cursor:
            # Index sorts in memory (11.6 M rows: ~0.5 GB each); parallel workers when available.
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
            for statement in (
                f"ALTER TABLE {self.table} ADD CONSTRAINT {self.table}_pkey "
                "PRIMARY KEY (indicator_id, territory_id, year)",
                f"CREATE INDEX {self.table}_territory_id_idx ON {self.table} (territory_id)",
                f"ANALYZE {self.table}",
            ):
                started = time.perf_counter()
                cursor.execute(statement)
                logger.debug("%s : %.2f s", statement.split(" (")[0], time.perf_counter() - started)

    def attach(self) -> None:
        """The final, short step: swap the partitions (the commit follows)."""
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if self.current:
                cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {self.current}")
                cursor.execute(f"DROP TABLE {self.current}")
            cursor.execute(
                f"ALTER TABLE {TABLE} ATTACH PARTITION {self.table} FOR VALUES IN ({self.year})"
            )
            cursor.execute(f"ALTER TABLE {self.table} DROP CONSTRAINT {self.table}_bound")
            cursor.execute(f"ALTER TABLE {self.table} RENAME TO {self.partition}")
            cursor.execute(f"ALTER INDEX {self.table}_pkey RENAME TO {self.partition}_pkey")
            cursor.execute(
                f"ALTER INDEX {self.table}_territory_id_idx "
                f"RENAME TO {self.partition}_territory_id_idx"
            )
        logger.debug("rattachement de %s : %.3f s", self.partition, time.perf_counter() - started)
