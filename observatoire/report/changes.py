"""What has changed for a territory since the previous vintage of its indicators and since the
previous release of the practice figures, in words (the report's first page and the territory's
indicators page).

- Indicators: for each fragility domain, its indicators' ranks among the peers in the latest year
  the territory has and in the year before it had (same indicators, each ranked in its own year's
  peer distribution, on today's population for a count); the domains whose median rank moved most.
- Practices: only released figures (the territory's ``ReleasedAggregate`` rows, their published
  figures and status; never who is behind them): the figures shown against those they replaced,
  dated by the releases that drew them — published for the first time or again, no longer
  published, or the people count and the practice « à développer » that moved most. A release
  that carries the same draw over changes nothing here (the report's cache key does not move).

Three queries (four when a practice is named), whatever the number of indicators.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.utils.timezone import localdate

from config.typography import french_date
from observatoire import queries
from observatoire.readings import centile
from pratiques import disclosure
from pratiques.figures import scope_name
from pratiques.models import GridStatus, Practice, ReleasedAggregate
from territoires.models import Level, Territory

# A domain's median rank must move by at least this many points to be named.
MIN_MOVE = 5
MOVES_SHOWN = 3
# A released share « à développer » (steps of 10 %) must move by at least this much to be named.
MIN_SHARE_MOVE = 20


@dataclass(frozen=True)
class RankMove:
    domain: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before

    @property
    def text(self) -> str:
        side = "plus fragile" if self.delta > 0 else "moins fragile"
        return (
            f"{self.domain} passe du {centile(self.before).removesuffix(' centile')} au "
            f"{centile(self.after)} "
            f"({side} parmi ses pairs)"
        )


@dataclass
class Changes:
    """The sentences of « Ce qui a changé », indicators then practices ("" when nothing to say)."""

    years: tuple[int, int] | None = None  # (previous, latest) vintage compared
    moves: list[RankMove] = field(default_factory=list)
    indicators: str = ""
    practices: str = ""

    @property
    def sentences(self) -> list[str]:
        return [s for s in (self.indicators, self.practices) if s]


def territory_changes(territory: Territory, profile: queries.TerritoryProfile) -> Changes:
    """``profile`` as the page or the report already read it."""
    changes = Changes()
    _indicator_moves(territory, profile, changes)
    changes.practices = _practice_changes(territory)
    return changes


# --- indicators -------------------------------------------------------------------------------


def _indicator_moves(
    territory: Territory, profile: queries.TerritoryProfile, changes: Changes
) -> None:
    segment = profile.segment
    latest = {
        line.indicator.pk: line
        for domain in profile.domains
        for line in domain.lines
        if line.rank is not None and domain.fragility is not None
    }
    if territory.level == Level.COUNTRY or segment is None or not latest:
        return
    previous: dict[int, tuple[int, float | None]] = {}
    for indicator_id, year, value in (
        queries.territory_indicator_values(territory)
        .filter(indicator_id__in=list(latest))
        .values_list("indicator_id", "year", "value")
        .order_by()
    ):
        if year < latest[indicator_id].year and year > previous.get(indicator_id, (-1, None))[0]:
            previous[indicator_id] = (year, value)
    if not previous:
        changes.indicators = (
            "Un seul millésime des indicateurs pour ce territoire : leur évolution paraîtra au "
            "prochain."
        )
        return
    before: dict[int, int] = {}
    for row in queries.indicators_with_distributions(
        previous, {year for year, _ in previous.values()}, territory.level, segment, True
    ):
        indicator = row.indicator
        year, value = previous[indicator.pk]
        if row.year != year:  # the distribution read is not that vintage's
            continue
        line = queries.IndicatorLine(indicator, year, value)
        line.positioned = queries.positioned_value(indicator, value, territory.population)
        stats = queries.peer_stats(line, row)
        if stats is not None and stats.percentile is not None:
            before[indicator.pk] = stats.percentile
    moves = []
    for domain in profile.domains:
        pairs = [
            (before[line.indicator.pk], line.rank)
            for line in domain.lines
            if line.indicator.pk in before and line.rank is not None
        ]
        if domain.fragility is None or not pairs:
            continue
        moves.append(
            RankMove(
                domain.fragility.label,
                statistics.median(b for b, _ in pairs),
                statistics.median(a for _, a in pairs),
            )
        )
    if not moves:
        return
    years = sorted({year for year, _ in previous.values()})
    latest_years = sorted({latest[pk].year for pk in before})
    changes.years = (years[-1], latest_years[-1]) if latest_years else None
    since = (
        f"Depuis le millésime précédent des indicateurs ({_years(years)} → {_years(latest_years)})"
    )
    named = sorted(
        (m for m in moves if abs(m.delta) >= MIN_MOVE), key=lambda m: (-abs(m.delta), m.domain)
    )[:MOVES_SHOWN]
    changes.moves = named
    if named:
        changes.indicators = f"{since} : " + " ; ".join(m.text for m in named) + "."
    else:
        changes.indicators = (
            f"{since}, aucun domaine n’a bougé de {MIN_MOVE} points ou plus parmi ses pairs."
        )


def _years(years: list[int]) -> str:
    return ", ".join(str(year) for year in years)


# --- practices (released figures only) --------------------------------------------------------


def _practice_changes(territory: Territory) -> str:
    """The territory's latest released figures against those they replaced, dated by the
    releases that drew them: a release that leaves the figures as they were (the same draw
    carried over) changes nothing here, so a cached report stays true (``territory_release_stamp``
    is its key). One query: the territory's rows, newest release first."""
    rows = list(
        ReleasedAggregate.objects.filter(scope=scope_name(territory))
        .values_list("release__released_at", "status", "figures", "drawn_in__released_at")
        .order_by("-release__released_at", "-release_id")
    )
    if len(rows) < 2:
        return ""
    _, status, figures, drawn_at = rows[0]
    if status != disclosure.PUBLISHED:
        # No longer published: since the first release after the last one that published it.
        for (released_at, *_), (_, earlier_status, *_) in pairwise(rows):
            if earlier_status == disclosure.PUBLISHED:
                return (
                    f"Pratiques : la synthèse n’est plus publiée depuis la diffusion du "
                    f"{_date(released_at)} (secret statistique : trop peu de catalyseurs, ou trop "
                    "proche d’un territoire voisin ou englobant)."
                )
        return ""
    # The state just before the draw of the figures shown.
    before = next((row for row in rows if row[0] < drawn_at), None)
    people = disclosure.count_label(figures.get("people"))
    if before is None or before[1] != disclosure.PUBLISHED:
        again = (
            "pour la première fois"
            if before is None
            or not any(row[1] == disclosure.PUBLISHED for row in rows if row[0] < drawn_at)
            else "de nouveau"
        )
        return (
            f"Pratiques : synthèse publiée {again} à la diffusion du {_date(drawn_at)} "
            f"({people} catalyseurs pris en compte)."
        )
    _, _, earlier, earlier_drawn_at = before
    parts = [
        f"catalyseurs pris en compte {disclosure.count_label(earlier.get('people'))} → {people}"
    ]
    if moved := _develop_move(earlier, figures):
        parts.append(moved)
    return (
        f"Pratiques, entre les diffusions du {_date(earlier_drawn_at)} et du {_date(drawn_at)} : "
        + " ; ".join(parts)
        + "."
    )


def _date(moment: Any) -> str:
    return french_date(localdate(moment))


def _develop_move(then: dict[str, Any], now: dict[str, Any]) -> str:
    """The practice of the current grid whose released share « à développer » moved most
    (≥ MIN_SHARE_MOVE points; one more query then)."""
    old, new = then.get("practices", {}), now.get("practices", {})
    moved = []
    for key, cell in new.items():
        a, b = (old.get(key) or {}).get("develop"), cell.get("develop")
        if a is not None and b is not None and abs(b - a) >= MIN_SHARE_MOVE:
            moved.append((-abs(b - a), key, a, b))
    if not moved:
        return ""
    labels = {
        str(key): f"{code} {label}"
        for key, code, label in Practice.objects.filter(
            version__status=GridStatus.PUBLISHED, key__in=[key for _, key, _, _ in moved]
        )
        .values_list("key", "code", "label")
        .order_by()
    }
    named = sorted((m for m in moved if m[1] in labels), key=lambda m: (m[0], labels[m[1]]))
    if not named:
        return ""
    _, key, a, b = named[0]
    label = labels[key]
    return f"« à développer » {a} % → {b} % pour la pratique {label}"
