"""Reads of the Observatoire: a territory's indicators, its comparison levels, its peers.

Used by the territory page fragment, its CSV download and the PDF report: they only format what
these functions return, so a figure reads the same everywhere. Every function runs a constant
number of queries whatever the number of indicators.

One percentile convention (``PERCENTILE_CONVENTION``): the rank among peers is oriented so that
100 is always the most fragile side (the highest value of a « fragilité » indicator, the lowest of
an « atout »); a count is ranked per 1 000 inhabitants, never raw.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, overload

from django.db.models import (
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.functions import Cast
from django.utils import timezone

from config.typography import french_date
from observatoire.models import (
    PER_INHABITANTS,
    ImportRun,
    Indicator,
    IndicatorValue,
    Kind,
    Polarity,
)
from observatoire.readings import (
    BETTER_PLACED,
    STANDING_SHOWN,
    STANDS_OUT,
    centile,
    indicator_reading,
    peer_group_name,
)
from territoires.models import Fragility, FragilityReading, Level, SizeSegment, Territory
from territoires.text import normalize

QUANTILES = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)
PERCENTILE_CONVENTION = (
    "Rang centile parmi les pairs : 100 = le plus fragile (la valeur la plus haute d’un "
    "indicateur de fragilité, la plus basse d’un atout) ; un effectif est classé rapporté à "
    "1 000 habitants."
)
# A curated level « non observée » or « faible » (0–1) beside an indicator ranked at or above this
# percentile, or a level « marquée » or « forte » (2–3) with every indicator below DIVERGE_LOW,
# is called a divergence on the page and in the report.
DIVERGE_HIGH = 75
DIVERGE_LOW = 50


def round_rank(value: float) -> int:
    """Ranks are published as whole numbers, halves rounded up, the same on every medium."""
    return math.floor(value + 0.5)


def fragility_rank(percentile: float | None, polarity: str) -> int | None:
    """The share of peers below (0–100) oriented so that 100 is the most fragile side; None
    when the value is missing or the source does not say whether high is fragile."""
    if percentile is None or polarity not in (Polarity.FRAGILITY, Polarity.STRENGTH):
        return None
    oriented = percentile if polarity == Polarity.FRAGILITY else 100 - percentile
    return round_rank(oriented)


def positioned_value(
    indicator: Indicator, value: float | None, population: int | None
) -> float | None:
    """The value a territory is ranked on: a count per 1 000 inhabitants, anything else as is."""
    if value is None or indicator.kind != Kind.COUNT:
        return value
    if not population:
        return None
    return value * PER_INHABITANTS / population


@dataclass
class PeerStats:
    """The territory's place among territories of the same level and size segment."""

    count: int
    # Rank 0–100 among peers, 100 = most fragile (PERCENTILE_CONVENTION); None when the value is
    # missing or the polarity unspecified.
    percentile: int | None
    # Quantiles of the peers' positioned values (per 1 000 inhabitants for a count).
    quantiles: dict[float, float]

    @property
    def minimum(self) -> float:
        return self.quantiles[0.0]

    @property
    def maximum(self) -> float:
        return self.quantiles[1.0]


@dataclass
class IndicatorLine:
    indicator: Indicator
    year: int
    value: float | None
    departement_value: float | None = None
    region_value: float | None = None
    france_value: float | None = None
    peers: PeerStats | None = None
    # The value ranked among peers: per 1 000 inhabitants for a count (else equal to ``value``).
    positioned: float | None = None

    @property
    def rate(self) -> float | None:
        """A count per 1 000 inhabitants, rounded as published (None for other indicators)."""
        if not self.indicator.is_count or self.positioned is None:
            return None
        return round(self.positioned, 2)

    @property
    def rank(self) -> int | None:
        return self.peers.percentile if self.peers is not None else None

    @property
    def is_fragile_side(self) -> bool | None:
        """True when the territory sits in the fragile half of its peers."""
        return None if self.rank is None else self.rank >= 50


@dataclass
class CuratedLevel:
    """The network's latest level (0–3) on a fragility domain, with its source."""

    level: int
    label: str
    source: str
    recorded_on: date
    is_demo: bool = False


@dataclass
class FragilityProfile:
    """The indicators of one fragility domain (``fragility`` None: indicators of no domain), and
    the level the network retained for it, so that the two readings are shown together."""

    fragility: Fragility | None
    lines: list[IndicatorLine] = field(default_factory=list)
    curated: CuratedLevel | None = None
    # What the indicators page prints (``observatoire.views``): its table rows as ready-made
    # text, and the chart of the peers' distributions (None when no indicator is ranked).
    rows: list[dict[str, Any]] = field(default_factory=list)
    chart: dict[str, Any] | None = None

    @property
    def has_demo(self) -> bool:
        return any(line.indicator.is_demo for line in self.lines) or bool(
            self.curated and self.curated.is_demo
        )

    @property
    def ranks(self) -> list[int]:
        return [line.rank for line in self.lines if line.rank is not None]

    @property
    def position(self) -> float | None:
        """The domain's place among peers: median of its indicators' ranks (the report's chart)."""
        return statistics.median(self.ranks) if self.ranks else None

    @property
    def diverges(self) -> bool:
        """The curated level and the indicators' ranks tell different stories (see DIVERGE_*)."""
        if self.curated is None or not self.ranks:
            return False
        if self.curated.level <= 1:
            return max(self.ranks) >= DIVERGE_HIGH
        return max(self.ranks) < DIVERGE_LOW

    @property
    def indicator_reading(self) -> str:
        """What the indicators alone suggest, from the median of their ranks among the peers
        (``READING_BANDS``): the reading of every territory, curated level or not."""
        return indicator_reading(self.position)

    @property
    def comparison(self) -> str:
        """One sentence relating the curated level and the indicators' ranks (page and report)."""
        ranked = [(line, rank) for line in self.lines if (rank := line.rank) is not None]
        ranks = ", ".join(f"{centile(rank)} ({line.indicator.label})" for line, rank in ranked)
        if self.curated is None:
            if not ranked:
                return ""
            return (
                f"Aucun niveau n’est encore retenu par le réseau pour ce domaine ; lecture des "
                f"indicateurs seuls : {self.indicator_reading} ; indicateurs : {ranks}."
            )
        level = f"Niveau retenu par le réseau : {self.curated.label} ({self.curated.source})"
        if not ranked:
            return f"{level} ; aucun indicateur de ce domaine n’est classé parmi les pairs."
        sentence = f"{level} ; indicateurs : {ranks}."
        if self.diverges:
            return (
                f"{sentence} Les deux lectures divergent : le niveau est l’appréciation retenue "
                "par le réseau (indicateur choisi ou diagnostic local), le rang situe seulement "
                "le territoire parmi ses pairs, indicateur par indicateur."
            )
        if self.gap:
            return (
                f"{sentence} Écart entre les deux lectures : le niveau qualifie la situation "
                f"locale, les indicateurs seuls situent le territoire {self.indicator_reading} "
                "(des pairs eux-mêmes fragiles ou épargnés rapprochent le rang du milieu)."
            )
        return f"{sentence} Les deux lectures concordent."

    @property
    def gap(self) -> bool:
        """The curated level and the indicators' reading fall in different bands (0–1 against
        a median rank of 50 or more, 2–3 against one below 50), without diverging outright."""
        if self.curated is None or self.position is None:
            return False
        return (self.curated.level >= 2) != (self.position >= 50)


@dataclass
class TerritoryProfile:
    territory: Territory
    segment: SizeSegment | None
    departement: Territory | None
    region: Territory | None
    domains: list[FragilityProfile]
    convention: str = PERCENTILE_CONVENTION

    @property
    def has_demo(self) -> bool:
        return any(domain.has_demo for domain in self.domains)

    @property
    def peer_group(self) -> str:
        """« communes de 2 000 à 20 000 habitants (…) »: who the territory is compared with."""
        return peer_group_name(self.territory.level, self.segment)

    @property
    def line_count(self) -> int:
        return sum(len(domain.lines) for domain in self.domains)

    def _standing(self, keep: Callable[[float], bool], reverse: bool) -> list[tuple[str, str]]:
        ranked = [
            (position, str(d.fragility.label))
            for d in self.domains
            if d.fragility is not None and (position := d.position) is not None
        ]
        ranked.sort(key=lambda pair: pair[0], reverse=reverse)
        return [(label, centile(position)) for position, label in ranked if keep(position)][
            :STANDING_SHOWN
        ]

    @property
    def stands_out(self) -> list[tuple[str, str]]:
        """(domain, « 82e centile ») where the territory is among the most fragile quarter of
        its peers (the summary of the page and of the report)."""
        return self._standing(lambda position: position >= STANDS_OUT, reverse=True)

    @property
    def better_placed(self) -> list[tuple[str, str]]:
        return self._standing(lambda position: position <= BETTER_PLACED, reverse=False)


def territory_for_indicators(level: str, code: str) -> Territory | None:
    """The territory of a page address, with its département and région (one query)."""
    if level not in Level.values:
        return None
    france = Territory.objects.filter(level=Level.COUNTRY).order_by("pk").values("pk")[:1]
    return (
        Territory.objects.select_related("departement", "region")
        .annotate(france_id=Subquery(france))
        .filter(level=level, code=code)
        .first()
    )


def comparison_levels(territory: Territory) -> list[tuple[str, int | None]]:
    """(heading, territory id) of the levels a territory is compared with."""
    levels = []
    if territory.level not in (Level.DEPARTEMENT, Level.REGION, Level.COUNTRY):
        levels.append(("departement", territory.departement_id))
    if territory.level not in (Level.REGION, Level.COUNTRY):
        levels.append(("region", territory.region_id))
    return levels


def peer_segment(territory: Territory, segments: list[SizeSegment]) -> SizeSegment | None:
    return territory.size_segment(segments) if territory.level != Level.COUNTRY else None


def curated_levels(territory: Territory) -> dict[int, tuple[Fragility, CuratedLevel]]:
    """Fragility id → (domain, latest curated level) of the territory (one query)."""
    readings = (
        FragilityReading.objects.filter(territory=territory)
        .select_related("fragility")
        .order_by("fragility_id", "-recorded_at", "-pk")
        .distinct("fragility_id")
    )
    result = {}
    for reading in readings:
        if reading.source == "diagnostic":
            when = french_date(reading.diagnosis_date)
            source = f"diagnostic local, {reading.diagnosis_author}, {when}".rstrip(", ")
        else:
            source = f"indicateur {reading.indicator_code}"
        result[reading.fragility_id] = (
            reading.fragility,
            CuratedLevel(
                reading.level,
                str(reading.get_level_display()),
                source,
                timezone.localdate(reading.recorded_at),
                reading.is_demo,
            ),
        )
    return result


def territory_indicator_profile(
    territory: Territory, *, segments: list[SizeSegment] | None = None
) -> TerritoryProfile:
    """For each fragility domain, the territory's indicators (latest year it has), the values of
    its département, région and France that year, its rank among its peers (on the rate per
    1 000 inhabitants for a count) and the level the network retained for the domain.

    Four queries whatever the number of indicators: size segments (unless given), values of the
    four territories (plain tuples), their indicators with their peer distributions, curated
    levels (one more when ``territory`` was not read by ``territory_for_indicators``).
    """
    if segments is None:
        segments = list(SizeSegment.objects.all())
    segment = peer_segment(territory, segments)
    comparison_ids = {name: pk for name, pk in comparison_levels(territory) if pk}
    if hasattr(territory, "france_id"):
        france_id = territory.france_id
    else:  # a territory not read by territory_for_indicators: one more query
        france = Territory.objects.filter(level=Level.COUNTRY).order_by("pk")
        france_id = france.values_list("pk", flat=True).first()
    # Plain ids, so that PostgreSQL reads the territory index (an OR across a join would scan);
    # tuples, not model instances: a page reads four values per indicator.
    wanted = [territory.pk, *comparison_ids.values(), *([france_id] if france_id else [])]
    rows = IndicatorValue.objects.filter(territory_id__in=wanted).values_list(
        "territory_id", "indicator_id", "year", "value"
    )
    by_key = {}
    latest: dict[int, tuple[int, float | None]] = {}
    for territory_id, indicator_id, year, value in rows:
        by_key[territory_id, indicator_id, year] = value
        if territory_id == territory.pk and year > latest.get(indicator_id, (-1, None))[0]:
            latest[indicator_id] = (year, value)
    ranked = territory.level != Level.COUNTRY and segment is not None
    read = sorted(
        indicators_with_distributions(
            latest, {year for year, _ in latest.values()}, territory.level, segment, ranked
        ),
        key=lambda row: (row.indicator.order, row.indicator.code),
    )
    departement_id = comparison_ids.get("departement")
    region_id = comparison_ids.get("region")
    lines: dict[int, IndicatorLine] = {}
    for row in read:
        indicator = row.indicator
        year, value = latest[indicator.pk]
        if indicator.pk in lines:  # distributions of several years were read: keep the right one
            if row.year == year:
                lines[indicator.pk].peers = peer_stats(lines[indicator.pk], row)
            continue
        line = IndicatorLine(indicator, year, value)
        line.positioned = positioned_value(indicator, value, territory.population)
        if departement_id:
            line.departement_value = by_key.get((departement_id, indicator.pk, year))
        if region_id:
            line.region_value = by_key.get((region_id, indicator.pk, year))
        if france_id:
            line.france_value = by_key.get((france_id, indicator.pk, year))
        if ranked and row.year == year:
            line.peers = peer_stats(line, row)
        lines[indicator.pk] = line
    domains: dict[int | None, FragilityProfile] = {}
    for line in lines.values():
        fragility = line.indicator.fragility
        key = fragility.pk if fragility else None
        domains.setdefault(key, FragilityProfile(fragility)).lines.append(line)
    for fragility_id, (fragility, curated) in curated_levels(territory).items():
        domains.setdefault(fragility_id, FragilityProfile(fragility)).curated = curated
    ordered = sorted(
        domains.values(),
        key=lambda d: (
            d.fragility is None,
            d.fragility.order if d.fragility else 0,
            str(d.fragility),
        ),
    )
    return TerritoryProfile(
        territory,
        segment,
        territory.departement if "departement" in comparison_ids else None,
        territory.region if "region" in comparison_ids else None,
        ordered,
    )


def percentile_in(quantiles: Sequence[float], value: float) -> float:
    """Position (0 to 100) of a value in a distribution given by its 101 quantiles, by linear
    interpolation; a value equal to a run of quantiles sits in the middle of the run."""
    if value < quantiles[0]:
        return 0.0
    if value > quantiles[-1]:
        return 100.0
    low, high = bisect_left(quantiles, value), bisect_right(quantiles, value)
    if low < high:
        return (low + high - 1) / 2 * 100 / (len(quantiles) - 1)
    step = low - 1
    below, above = quantiles[step], quantiles[low]
    return (step + (value - below) / (above - below)) * 100 / (len(quantiles) - 1)


class StoredQuantiles(Sequence[float]):
    """A distribution's quantiles as PostgreSQL prints them (``[0.5, 1.25, …]``), read number by
    number when asked: a rank needs about fifteen of the 101 (a binary search), and parsing
    every number of a few hundred distributions would cost more than the rest of the page.
    ``float`` of the printed number is the value ``json.loads`` would give, so the figures are
    those of the whole list."""

    def __init__(self, text: str) -> None:
        self.parts = text.strip()[1:-1].split(",")

    def __len__(self) -> int:
        return len(self.parts)

    @overload
    def __getitem__(self, index: int) -> float: ...
    @overload
    def __getitem__(self, index: slice) -> list[float]: ...
    def __getitem__(self, index: int | slice) -> float | list[float]:
        if isinstance(index, slice):
            return [float(part) for part in self.parts[index]]
        return float(self.parts[index])


@dataclass(frozen=True)
class IndicatorPeers:
    """An indicator and its distribution among peers for one year (``year``, ``count``, the
    quantiles as PostgreSQL prints them, for ``StoredQuantiles``), all None when it has none."""

    indicator: Indicator
    year: int | None = None
    count: int | None = None
    quantiles: str | None = None


def indicators_with_distributions(
    ids: Iterable[int],
    years: set[int],
    level: str,
    segment: SizeSegment | None,
    ranked: bool,
) -> list[IndicatorPeers]:
    """One query: the indicators with their domain and, when ``ranked``, their distribution
    among the territories of ``level`` and ``segment``, computed by PostgreSQL at import time
    (``PeerDistribution``, on rates for counts). Fewer than two peers with a value make no
    distribution. An indicator comes once per year of ``years`` that it has a distribution
    for: the caller keeps the year it shows."""
    indicators = Indicator.objects.filter(pk__in=list(ids)).select_related("fragility")
    if not ranked or segment is None:
        return [IndicatorPeers(indicator) for indicator in indicators]
    # Years as a list rather than (indicator, year) pairs: a few hundred pairs OR-ed together
    # cost more to compile and plan than a rare distribution of another year read and skipped.
    rows = indicators.annotate(
        peer=FilteredRelation(
            "distributions",
            condition=Q(
                distributions__year__in=sorted(years),
                distributions__level=level,
                distributions__segment=segment,
                distributions__count__gte=2,
            ),
        ),
        peer_year=F("peer__year"),
        peer_count=F("peer__count"),
        peer_quantiles=Cast("peer__quantiles", TextField()),
    )
    return [IndicatorPeers(row, row.peer_year, row.peer_count, row.peer_quantiles) for row in rows]


def peer_stats(line: IndicatorLine, row: IndicatorPeers) -> PeerStats | None:
    """The territory's place in the distribution read with the indicator: number of peers,
    rank (100 = most fragile; None when its value is missing) and the published quantiles."""
    if row.quantiles is None or row.count is None:
        return None
    quantiles = StoredQuantiles(row.quantiles)
    value = line.positioned
    return PeerStats(
        row.count,
        None
        if value is None
        else fragility_rank(percentile_in(quantiles, value), line.indicator.polarity),
        {point: quantiles[round(point * 100)] for point in QUANTILES},
    )


def territory_indicator_values(territory: Territory) -> QuerySet[IndicatorValue]:
    """Every value of a territory, every year (the CSV download): one query."""
    return (
        IndicatorValue.objects.filter(territory=territory)
        .select_related("indicator")
        .order_by("indicator__order", "indicator__code", "year")
    )


def indicator_catalogue() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("fragility").order_by(
        "is_demo", "fragility__order", "order", "code"
    )


def recent_import_runs(limit: int = 20, *, status: str = "", kind: str = "") -> list[ImportRun]:
    runs = ImportRun.objects.select_related("user")
    if status:
        runs = runs.filter(status=status)
    if kind:
        runs = runs.filter(kind=kind)
    return list(runs[:limit])


_CATALOGUE_SORT_KEYS = {
    "domaine": lambda i: (i.fragility is None, i.fragility.order if i.fragility else 0, i.order),
    "code": lambda i: normalize(i.code),
    "libelle": lambda i: normalize(i.label),
    "polarite": lambda i: (i.polarity == "", i.polarity),
    "collection": lambda i: i.collection,
    "source": lambda i: normalize(i.source),
}


def filtered_catalogue(
    *,
    text: str = "",
    fragility: Fragility | None = None,
    polarity: str = "",
    level: str = "",
    collection: str = "",
    sort: str = "",
) -> tuple[list[Indicator], int]:
    """The catalogue (a few dozen rows, one query) searched and filtered in Python: the words
    typed match code, label, source or domain whatever their accents and order. Returns the
    indicators kept and the size of the whole catalogue."""
    words = normalize(text).split()
    indicators = []
    everything = list(indicator_catalogue())
    for indicator in everything:
        haystack = normalize(
            " ".join(
                [indicator.code, indicator.label, indicator.source, str(indicator.fragility or "")]
            )
        )
        if words and not all(word in haystack for word in words):
            continue
        if fragility is not None and indicator.fragility_id != fragility.pk:
            continue
        if polarity and indicator.polarity != ("" if polarity == "aucune" else polarity):
            continue
        if level and level not in (indicator.levels or []):
            continue
        if collection and indicator.collection != collection:
            continue
        indicators.append(indicator)
    key = sort.removeprefix("-")
    if key in _CATALOGUE_SORT_KEYS:
        indicators.sort(key=lambda i: (i.is_demo, _CATALOGUE_SORT_KEYS[key](i), i.code))
        if sort.startswith("-"):
            indicators.reverse()
    return indicators, len(everything)
