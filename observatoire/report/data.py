"""Everything a territory report shows, collected once into a ``ReportData``.

The report only reads: public territory data, indicator values, and anonymised aggregates of
submitted self-assessments whose author consented to territory statistics. Each part has a small
collector here; the template never queries.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from pratiques import scoring
from territoires.models import Fragility, Level, SizeSegment, Territory

# Bump when the template or the collected data change shape: cached PDFs are then rebuilt.
TEMPLATE_VERSION = "2026-11-30.ui3"

LEVERS = ("gestion", "action", "vision")
LEVER_LABELS = {
    "gestion": "Gestion régulatrice",
    "action": "Action collective transformatrice",
    "vision": "Vision partagée",
}
CARRIED_IN_HOUSE = "interne"
CARRIED_PARTNERSHIP = "partenariat"
CARRIED_BOTH = "les-deux"


@dataclass
class IndicatorLine:
    code: str
    label: str
    unit: str
    year: int | None
    value: float | None
    departement: float | None
    region: float | None
    france: float | None
    percentile: float | None  # 0–100 among peers, oriented so that 100 = most fragile
    raw_percentile: float | None = None  # share of peers with a lower value (× 100)
    source: str = ""
    vintage: str = ""
    demo: bool = False


@dataclass
class DomainSection:
    code: str
    label: str
    criterion: str
    indicators: list[IndicatorLine] = field(default_factory=list)
    level: str = ""  # from the territory's fragility profile, when one exists
    level_source: str = ""

    @property
    def position(self) -> float | None:
        """The domain's position among peers: median of its indicators' fragility percentiles."""
        values = [line.percentile for line in self.indicators if line.percentile is not None]
        return statistics.median(values) if values else None


@dataclass
class Maturity:
    label: str
    description: str
    assessed_on: date | None
    rationale: str = ""
    dimensions: list[tuple[str, str]] = field(default_factory=list)
    demo: bool = False


@dataclass
class GridSituation:
    code: str
    title: str
    axis_title: str
    lever: str


@dataclass
class GridPractice:
    code: str
    label: str
    situation_code: str
    key: str = ""


@dataclass
class AssessmentRecord:
    """One submitted, consenting self-assessment reduced to what the report aggregates."""

    situation_scores: dict[str, float]  # situation code → 0–100; unanswered situations absent
    lever_scores: dict[str, float]  # "gestion" / "action" / "vision" → 0–100
    # practice code → (how it is carried: interne / partenariat / les-deux / "", wants to develop)
    practices: dict[str, tuple[str, bool]]
    submitted_at: object = None
    demo: bool = False


@dataclass
class SituationCoverage:
    code: str
    title: str
    axis_title: str
    answered: int
    median: float | None
    q1: float | None
    q3: float | None


@dataclass
class LeverCoverage:
    lever: str
    label: str
    median: float | None


@dataclass
class PracticeCarry:
    code: str
    label: str
    situation_title: str
    key: str = ""
    answered: int = 0
    in_house: int = 0
    partnership: int = 0
    both: int = 0
    to_develop: int = 0


@dataclass
class PracticeSummary:
    count: int
    situations: list[SituationCoverage]
    levers: list[LeverCoverage]
    practices: list[PracticeCarry]
    barycentre: tuple[float, float, float]
    points: list[tuple[float, float, float]]

    @property
    def most_to_develop(self) -> list[PracticeCarry]:
        ranked = sorted(
            (p for p in self.practices if p.to_develop), key=lambda p: (-p.to_develop, p.code)
        )
        return ranked[:5]


@dataclass
class ResourceLine:
    title: str
    kind: str
    url: str
    description: str
    practices: list[str]


@dataclass
class ReportData:
    territory: Territory
    level_label: str
    codes: list[tuple[str, str]]
    parents: list[tuple[str, str]]
    population: int | None
    segment: SizeSegment | None
    segments: list[SizeSegment]
    member_count: int
    maturity: Maturity | None
    domains: list[DomainSection]
    peers_label: str
    indicators_available: bool
    assessment_count: int
    practices: PracticeSummary | None
    grid_label: str
    resources: list[ResourceLine]
    resources_attached: bool
    vintages: list[tuple[str, str]]
    demo_data: bool
    generated_on: date
    threshold: int
    complete: bool = True  # False when a chart could not be exported: never cached

    @property
    def filename(self) -> str:
        return report_filename(self.territory)


def report_filename(territory: Territory) -> str:
    """« rapport-vincennes-94080.pdf »"""
    return f"rapport-{slugify(territory.name)}-{slugify(territory.code)}.pdf"


# --- aggregation of self-assessments (pure) ------------------------------------------------


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def summarize_assessments(
    records: list[AssessmentRecord],
    situations: list[GridSituation],
    practices: list[GridPractice],
    *,
    threshold: int,
) -> PracticeSummary | None:
    """Aggregate of the assessments, or None below the anonymity threshold."""
    if len(records) < threshold:
        return None
    coverage = []
    for situation in situations:
        scores = [
            r.situation_scores[situation.code]
            for r in records
            if situation.code in r.situation_scores
        ]
        q1 = q2 = q3 = None
        if scores:
            q1, q2, q3 = _quartiles(scores)
        coverage.append(
            SituationCoverage(
                situation.code, situation.title, situation.axis_title, len(scores), q2, q1, q3
            )
        )
    levers = []
    for lever in LEVERS:
        values = [r.lever_scores[lever] for r in records if lever in r.lever_scores]
        levers.append(
            LeverCoverage(lever, LEVER_LABELS[lever], statistics.median(values) if values else None)
        )
    titles = {s.code: s.title for s in situations}
    carries = []
    for practice in practices:
        carry = PracticeCarry(
            practice.code, practice.label, titles.get(practice.situation_code, ""), practice.key
        )
        for record in records:
            answer = record.practices.get(practice.code)
            if answer is None:
                continue
            carried, develop = answer
            carry.answered += 1
            carry.in_house += carried == CARRIED_IN_HOUSE
            carry.partnership += carried == CARRIED_PARTNERSHIP
            carry.both += carried == CARRIED_BOTH
            carry.to_develop += bool(develop)
        carries.append(carry)
    points = [_ternary(r.lever_scores) for r in records]
    points = [p for p in points if p is not None]
    barycentre = (
        tuple(sum(p[i] for p in points) / len(points) for i in range(3))
        if points
        else (100 / 3,) * 3
    )
    return PracticeSummary(len(records), coverage, levers, carries, barycentre, points)  # type: ignore[arg-type]


def _ternary(scores: dict[str, float]) -> tuple[float, float, float] | None:
    """Lever scores → shares of 100 (the position in the Gestion–Action–Vision triangle)."""
    shares = scoring.ternary(*(scores.get(lever) for lever in LEVERS))
    return None if shares is None else (100 * shares[0], 100 * shares[1], 100 * shares[2])


# --- collectors ------------------------------------------------------------------------------


def _parents(territory: Territory) -> list[tuple[str, str]]:
    parents = []
    for attr, label in (
        ("epci", "Intercommunalité"),
        ("departement", "Département"),
        ("region", "Région"),
    ):
        parent = getattr(territory, attr)
        if parent is not None:
            parents.append((label, f"{parent.name} ({parent.code})"))
    return parents


def _codes(territory: Territory) -> list[tuple[str, str]]:
    kind = {
        Level.COMMUNE: "Code INSEE",
        Level.EPCI: "SIREN",
        Level.DEPARTEMENT: "Code département",
        Level.REGION: "Code région",
        Level.PROJECT: "Identifiant",
    }.get(Level(territory.level), "Code")
    codes = [(kind, territory.code)]
    if territory.postal_codes:
        codes.append(("Codes postaux", ", ".join(territory.postal_codes.split())))
    return codes


def _member_count(territory: Territory) -> int:
    if territory.level == Level.EPCI:
        return territory.member_communes.count()
    if territory.level == Level.PROJECT:
        return territory.memberships.count()
    return 0


def collect_report_data(territory: Territory, *, today: date | None = None) -> ReportData:
    from observatoire.report import sources

    segments = list(SizeSegment.objects.all())
    segment = territory.size_segment(segments)
    maturity = sources.latest_maturity(territory)
    fragilities = list(Fragility.objects.select_related("criterion").order_by("order", "pk"))
    domains, indicators_available, peers_label, vintages, demo = sources.fragility_domains(
        territory, fragilities, segment, segments
    )
    records, grid_label, situations, practices = sources.territory_assessments(territory)
    threshold = settings.ANONYMITY_THRESHOLD
    summary = summarize_assessments(records, situations, practices, threshold=threshold)
    to_develop = summary.most_to_develop if summary else []
    resources, resources_attached = sources.resources_for(to_develop)
    demo = demo or sources.assessments_are_demo(records) or bool(maturity and maturity.demo)
    return ReportData(
        territory=territory,
        level_label=Level(territory.level).label,
        codes=_codes(territory),
        parents=_parents(territory),
        population=territory.population,
        segment=segment,
        segments=segments,
        member_count=_member_count(territory),
        maturity=maturity,
        domains=domains,
        peers_label=peers_label,
        indicators_available=indicators_available,
        assessment_count=len(records),
        practices=summary,
        grid_label=grid_label,
        resources=resources,
        resources_attached=resources_attached,
        vintages=vintages,
        demo_data=demo,
        generated_on=today or timezone.localdate(),
        threshold=threshold,
    )
