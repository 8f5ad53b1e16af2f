"""Everything a territory report shows, collected once into a ``ReportData``.

The report only reads: public territory data, indicator values, and anonymised aggregates of
submitted self-assessments released by ``pratiques.aggregates`` under its disclosure policy. Each part has a small
collector here; the template never queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from observatoire.queries import PERCENTILE_CONVENTION
from pratiques.aggregates import TerritoryPractices, territory_practices
from territoires.models import Fragility, Level, SizeSegment, Territory

# Bump when the template or the collected data change shape: cached PDFs are then rebuilt.
TEMPLATE_VERSION = "2026-11-30.merged2"

LEVER_LABELS = {
    "gestion": "Gestion régulatrice",
    "action": "Action collective transformatrice",
    "vision": "Vision partagée",
}


@dataclass
class IndicatorLine:
    """One indicator as ``observatoire.queries`` returns it, flattened for the template."""

    code: str
    label: str
    unit: str
    year: int | None
    value: float | None
    departement: float | None
    region: float | None
    france: float | None
    percentile: int | None  # rank among peers, 100 = most fragile (queries.PERCENTILE_CONVENTION)
    rate: float | None = None  # a count per 1 000 inhabitants (the value it is ranked on)
    peers: int | None = None
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
    # Median of the indicators' ranks (queries.FragilityProfile.position).
    position: float | None = None
    # The sentence relating the curated level and the ranks (queries.FragilityProfile.comparison).
    comparison: str = ""
    diverges: bool = False


@dataclass
class Maturity:
    label: str
    description: str
    assessed_on: date | None
    rationale: str = ""
    dimensions: list[tuple[str, str]] = field(default_factory=list)
    demo: bool = False


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
    convention: str
    # Released by pratiques (pratiques.aggregates, the one owner): the report only formats it.
    practices: TerritoryPractices
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
        Level.ARRONDISSEMENT: "Code INSEE",
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
    practices = territory_practices(territory)
    grid_label = practices.version.label if practices.version else ""
    resources, resources_attached = sources.resources_for(practices.most_to_develop)
    demo = demo or practices.demo or bool(maturity and maturity.demo)
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
        convention=PERCENTILE_CONVENTION,
        practices=practices,
        grid_label=grid_label,
        resources=resources,
        resources_attached=resources_attached,
        vintages=vintages,
        demo_data=demo,
        generated_on=today or timezone.localdate(),
        threshold=settings.ANONYMITY_THRESHOLD,
    )
