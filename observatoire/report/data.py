"""The report's read models: everything a territory report shows, as plain dataclasses.

A report goes in one straight line (``cache.get_report``): ``collect`` reads every figure of the
territory once into a ``ReportData``, ``charts.draw`` turns it into ``ReportImages``, ``render``
writes the PDF. The report only reads public territory data, indicator values and the anonymised
aggregates released by ``pratiques.aggregates``; the template never queries, and no model
instance travels past ``collect`` (the released practice figures are pratiques' own dataclass).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.text import slugify

from observatoire.report.changes import Changes
from pratiques.aggregates import TerritoryPractices

if TYPE_CHECKING:
    from observatoire.report.examples import ExampleLine
    from territoires.models import Territory

# Bump when the template or the collected data change shape: cached PDFs are then rebuilt.
TEMPLATE_VERSION = "2026-12-07.perceived-summary"

# Lines of the indicator table from which it leaves the PDF for the territory's CSV (the body
# stays short: a national vintage gives a commune some 300 indicators; the table was also a third
# of the render's time with 14 of them, docs/benchmarks.md).
TABLE_IN_CSV_FROM = 12
COMPARISON_COLUMNS = (("departement", "Département"), ("region", "Région"), ("france", "France"))

LEVER_LABELS = {
    "gestion": "Gestion régulatrice",
    "action": "Action collective transformatrice",
    "vision": "Vision partagée",
}


@dataclass(frozen=True)
class Place:
    """The territory the report is about (its identity only)."""

    level: str
    code: str
    name: str


@dataclass(frozen=True)
class Segment:
    """A size segment: its publications' label, what it really holds, its priority lever."""

    label: str
    band: str  # « de 20 000 à 50 000 habitants » (observatoire.readings.population_band)
    priority_lever: str


@dataclass
class ReportImages:
    """The report's chart images (``<img src>`` data URIs), "" when not drawn."""

    fragility: str = ""
    radar: str = ""
    triangle: str = ""
    map: str = ""  # a région's départements on the map of France (PNG)
    missing: bool = False  # a chart could not be drawn: the report says so and is not cached

    @property
    def complete(self) -> bool:
        return not self.missing


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
    gap: bool = False  # level and indicators in different bands (queries.FragilityProfile.gap)
    # What the indicators alone suggest (queries.indicator_reading), for every territory.
    reading: str = ""
    curated_level: int | None = None

    @property
    def ranked(self) -> bool:
        return self.position is not None


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
class NextStep:
    title: str
    text: str
    url: str


@dataclass
class Summary:
    stands_out: list[tuple[str, str]] = field(default_factory=list)  # (domain, « 82e centile »)
    better_placed: list[tuple[str, str]] = field(default_factory=list)
    highest: list[tuple[str, str]] = field(default_factory=list)  # when none stands out
    ranked_domains: int = 0
    strong: list[str] = field(default_factory=list)  # curated level 3
    marked: list[str] = field(default_factory=list)  # curated level 2
    curated_domains: int = 0
    practices: str = ""
    dates: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # since the previous vintage, release
    perceived: str = ""  # the latest published territorial dialogue, in one sentence
    next_steps: list[NextStep] = field(default_factory=list)
    page_url: str = ""
    qr: str = ""  # data URI of the QR code (SVG) of page_url


@dataclass
class ReportData:
    territory: Place
    level_label: str
    codes: list[tuple[str, str]]
    parents: list[tuple[str, str]]
    population: int | None
    segment: Segment | None
    segments: list[Segment]
    member_count: int
    maturity: Maturity | None
    domains: list[DomainSection]
    peers_label: str
    peer_count: int | None
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
    examples: list[ExampleLine] = field(default_factory=list)
    csv_url: str = ""  # the territory's indicators as CSV (absolute address)
    # A région's départements (code, name), drawn on the map of France.
    departements: list[tuple[str, str]] = field(default_factory=list)
    # Since the previous vintage of the indicators and the previous release (``changes``).
    changes: Changes = field(default_factory=Changes)
    # The first page (``summary.build_summary``), built by ``collect`` from the fields above.
    summary: Summary | None = None
    # The latest published territorial dialogue's part (observatoire.dialogues.results_queries).
    perceived: Any = None

    @property
    def filename(self) -> str:
        return report_filename(self.territory)

    @property
    def indicator_lines(self) -> list[IndicatorLine]:
        return [line for domain in self.domains for line in domain.indicators]

    @property
    def comparison_columns(self) -> list[tuple[str, str]]:
        """(field, heading) of the comparison levels that have a value on at least one line: a
        column with no value for any row is dropped (``missing_columns`` says so once)."""
        lines = self.indicator_lines
        return [
            (name, heading)
            for name, heading in COMPARISON_COLUMNS
            if any(getattr(line, name) is not None for line in lines)
        ]

    @property
    def missing_columns(self) -> list[str]:
        shown = {name for name, _ in self.comparison_columns}
        return [heading for name, heading in COMPARISON_COLUMNS if name not in shown]

    @property
    def ranks_shown(self) -> bool:
        return any(line.percentile is not None for line in self.indicator_lines)

    @property
    def table_columns(self) -> int:
        return 2 + len(self.comparison_columns) + (1 if self.ranks_shown else 0)

    @property
    def table_in_csv(self) -> bool:
        """The full indicator table is the CSV's when it is long (``csv_url``)."""
        return len(self.indicator_lines) > TABLE_IN_CSV_FROM

    @property
    def unread_domains(self) -> list[str]:
        """Domains with neither a ranked indicator nor a curated level: named once, not listed
        as headings over nothing."""
        return [d.label for d in self.domains if d.position is None and d.curated_level is None]

    @property
    def any_curated(self) -> bool:
        """Whether the network retained a level for at least one domain (else the reading table
        has no column for it, and says so once)."""
        return any(d.curated_level is not None for d in self.domains)

    @property
    def read_domains(self) -> list[DomainSection]:
        return [d for d in self.domains if d.position is not None or d.curated_level is not None]


def report_filename(territory: Place | Territory) -> str:
    """« rapport-vincennes-94080.pdf »"""
    return f"rapport-{slugify(territory.name)}-{slugify(territory.code)}.pdf"
