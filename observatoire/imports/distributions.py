"""Peer distributions (count and 101 quantiles per indicator, year, level and size segment).

Two ways, same figures: PostgreSQL's ``percentile_cont`` over the stored values (any load), or
numpy over the frame a national load has just read (``memory_distributions``: no 11 M-row sort in
the database; run in a thread while PostgreSQL builds the indexes). Both interpolate linearly
between the two nearest values, in the same floating-point order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db import connection

from observatoire.models import PER_INHABITANTS, Indicator, IndicatorValue, Kind, PeerDistribution
from territoires.models import SizeSegment, Territory

TABLE = IndicatorValue._meta.db_table
STEPS = [step / 100 for step in range(101)]
# (indicator_id, year, level, segment_id, count, quantiles)
Row = tuple[int, int, str, int, int, list[float]]


@dataclass
class Peers:
    """What the quantiles of a frame need to know of its rows' territories."""

    levels: np.ndarray  # level of each row's territory
    population: np.ndarray  # float, NaN when unknown
    segments: list[tuple[int, int, int | None]]  # (id, min, max) of each size segment
    count_ids: set[int]  # indicators positioned per 1 000 inhabitants


def peers_of(territory_ids: np.ndarray, indicator_ids: Iterable[int]) -> Peers:
    """Three queries: the rows' territories, the size segments, the indicators that are counts."""
    rows = dict(
        (pk, (level, population))
        for pk, level, population in Territory.objects.filter(
            pk__in=np.unique(territory_ids).tolist()
        ).values_list("pk", "level", "population")
    )
    found = [rows.get(int(pk), ("", None)) for pk in territory_ids.tolist()]
    return Peers(
        levels=np.array([level for level, _ in found], dtype=object),
        population=np.array(
            [np.nan if population is None else population for _, population in found],
            dtype=np.float64,
        ),
        segments=list(SizeSegment.objects.values_list("pk", "min_population", "max_population")),
        count_ids=set(
            Indicator.objects.filter(pk__in=list(indicator_ids), kind=Kind.COUNT).values_list(
                "pk", flat=True
            )
        ),
    )


def memory_distributions(
    matrix: np.ndarray, indicator_ids: list[int], year: int, peers: Peers
) -> list[Row]:
    """``matrix``: one row per territory (as ``peers``), one column per indicator, NaN = missing."""
    steps = np.array(STEPS)
    counts = np.array([pk in peers.count_ids for pk in indicator_ids])
    population = np.where(peers.population > 0, peers.population, np.nan)
    out: list[Row] = []
    for level in sorted({str(level) for level in peers.levels if level}):
        at_level = peers.levels == level
        for segment_id, low, high in peers.segments:
            members = at_level & (peers.population >= low)
            if high is not None:
                members &= peers.population < high
            if not members.any():
                continue
            values = matrix[members]
            if counts.any():
                values = values.copy()
                scaled = values[:, counts] * PER_INHABITANTS
                values[:, counts] = scaled / population[members][:, None]
            values = np.sort(values, axis=0)  # NaN last
            filled = (~np.isnan(values)).sum(axis=0)
            for column, indicator_id in enumerate(indicator_ids):
                n = int(filled[column])
                if not n:
                    continue
                ordered = values[:n, column]
                position = steps * (n - 1)
                low_row = np.floor(position).astype(np.int64)
                high_row = np.ceil(position).astype(np.int64)
                first, second = ordered[low_row], ordered[high_row]
                quantiles = np.where(
                    low_row == high_row, first, first + (second - first) * (position - low_row)
                )
                out.append((indicator_id, year, level, segment_id, n, quantiles.tolist()))
    return out


def distributions_write(rows: list[Row]) -> int:
    table = PeerDistribution._meta.db_table
    statement = f"COPY {table} (indicator_id, year, level, segment_id, count, quantiles) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for indicator_id, year, level, segment_id, count, quantiles in rows:
            copy.write_row((indicator_id, year, level, segment_id, count, json.dumps(quantiles)))
    return len(rows)


def distributions_delete(*, indicator_ids: list[int], years: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {PeerDistribution._meta.db_table} "
            "WHERE indicator_id = ANY(%s) AND year = ANY(%s)",
            [indicator_ids, years],
        )


def peer_distributions_refresh(
    *,
    indicator_ids: list[int],
    years: list[int],
    table: str = TABLE,
    skip_levels: list[str] | None = None,
    groups: list[str] | None = None,
    replace: bool = True,
) -> int:
    """Rebuild, for these indicators and years, the distribution of values per territorial
    level and size segment (count and 101 quantiles, computed by PostgreSQL) from ``table``.
    ``skip_levels``: levels computed elsewhere, except the ``groups`` (« level:segment_id »)
    listed. Returns the number of distributions written."""
    if not indicator_ids or not years:
        return 0
    if replace:
        distributions_delete(indicator_ids=indicator_ids, years=years)
    with connection.cursor() as cursor:
        # The ordered-set aggregates sort every value once (1 GB measured no faster than 256 MB).
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            f"""
            INSERT INTO {PeerDistribution._meta.db_table}
                (indicator_id, year, level, segment_id, count, quantiles)
            SELECT p.indicator_id, p.year, p.level, p.segment_id, count(*),
                   to_jsonb(percentile_cont(%(quantiles)s::float8[])
                            WITHIN GROUP (ORDER BY p.positioned))
            FROM (
                -- A count is positioned per 1 000 inhabitants, never raw (Indicator.kind).
                SELECT v.indicator_id, v.year, t.level, s.id AS segment_id,
                       CASE WHEN i.kind = 'effectif'
                            THEN v.value * %(per)s / NULLIF(t.population, 0)
                            ELSE v.value END AS positioned
                FROM {table} v
                JOIN {Indicator._meta.db_table} i ON i.id = v.indicator_id
                JOIN {Territory._meta.db_table} t ON t.id = v.territory_id
                JOIN {SizeSegment._meta.db_table} s ON t.population >= s.min_population
                     AND (s.max_population IS NULL OR t.population < s.max_population)
                WHERE v.indicator_id = ANY(%(indicators)s) AND v.year = ANY(%(years)s)
                  AND v.value IS NOT NULL
                  AND (t.level <> ALL(%(skip)s) OR (t.level || ':' || s.id) = ANY(%(groups)s))
            ) p
            WHERE p.positioned IS NOT NULL
            GROUP BY p.indicator_id, p.year, p.level, p.segment_id
            """,
            {
                "per": PER_INHABITANTS,
                "quantiles": STEPS,
                "indicators": indicator_ids,
                "years": years,
                "skip": skip_levels or [],
                "groups": groups or [],
            },
        )
        return cursor.rowcount


def segment_groups(territory_ids: list[int]) -> set[str]:
    """« level:segment_id » of each size segment these territories fall in."""
    if not territory_ids:
        return set()
    segments = list(SizeSegment.objects.values_list("pk", "min_population", "max_population"))
    groups = set()
    for level, population in Territory.objects.filter(pk__in=set(territory_ids)).values_list(
        "level", "population"
    ):
        if population is None:
            continue
        for segment_id, low, high in segments:
            if population >= low and (high is None or population < high):
                groups.add(f"{level}:{segment_id}")
    return groups
