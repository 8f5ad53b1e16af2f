"""Everything a territory report shows, collected once into a ``ReportData``.

The report only reads: public territory data, indicator values, and anonymised aggregates of
submitted self-assessments released by ``pratiques.aggregates`` under its disclosure policy. The
shapes live here, the collectors in ``collect`` and ``sources``; the template never queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.text import slugify

from pratiques.aggregates import TerritoryPractices
from territoires.models import SizeSegment, Territory

# Bump when the template or the collected data change shape: cached PDFs are then rebuilt.
TEMPLATE_VERSION = "2026-11-30.fixed-tables"

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
    examples: list = field(default_factory=list)  # observatoire.report.examples
    complete: bool = True  # False when a chart could not be exported: never cached

    @property
    def filename(self) -> str:
        return report_filename(self.territory)


def report_filename(territory: Territory) -> str:
    """« rapport-vincennes-94080.pdf »"""
    return f"rapport-{slugify(territory.name)}-{slugify(territory.code)}.pdf"
