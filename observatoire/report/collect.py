"""Every figure of a territory's report, read in one pass into a ``data.ReportData``.

The first step of the report's straight line (``cache.get_report``: key → collect → draw →
render). Each reader below asks one source (territoires, ``observatoire.queries``, the released
practice figures of ``pratiques.aggregates``, the M.E.D.O.C. resources, the examples) and returns
the report's own dataclasses; the first page is built last from them (``summary``), without a
query. Nothing after this step reads the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from config.typography import french_number
from observatoire import queries, readings
from observatoire.dialogues.results_queries import perceived_for_territory
from observatoire.queries import PERCENTILE_CONVENTION
from observatoire.report.changes import territory_changes
from observatoire.report.data import (
    DomainSection,
    IndicatorLine,
    Maturity,
    Place,
    ReportData,
    ResourceLine,
    Segment,
)
from observatoire.report.examples import examples_for_report
from observatoire.report.summary import absolute, build_summary
from pratiques.aggregates import PracticeFigure, territory_practices
from pratiques.models import Resource
from pratiques.queries import resources_for_practice_keys
from territoires.models import Fragility, Level, MaturityAssessment, SizeSegment, Territory

RESOURCES_PER_PRACTICE = 3
LIBRARY_LIMIT = 12


def collect_report_data(territory: Territory, *, today: date | None = None) -> ReportData:
    segments = list(SizeSegment.objects.all())
    segment = territory.size_segment(segments)
    maturity = _latest_maturity(territory)
    fragilities = list(Fragility.objects.select_related("criterion").order_by("order", "pk"))
    profile = _fragility_domains(territory, fragilities, segments)
    peers_label, peer_count = _peer_group(territory, segment)
    practices = territory_practices(territory)
    changes = territory_changes(territory, profile.source)
    resources, resources_attached = _resources_for(practices.most_to_develop)
    data = ReportData(
        territory=Place(territory.level, territory.code, territory.name),
        level_label=str(Level(territory.level).label),
        codes=_codes(territory),
        parents=_parents(territory),
        population=territory.population,
        segment=_segment(segment),
        segments=[s for s in map(_segment, segments) if s is not None],
        member_count=_member_count(territory),
        maturity=maturity,
        domains=profile.domains,
        peers_label=peers_label,
        peer_count=peer_count,
        indicators_available=profile.any_line,
        convention=PERCENTILE_CONVENTION,
        practices=practices,
        grid_label=practices.version.label if practices.version else "",
        resources=resources,
        resources_attached=resources_attached,
        vintages=profile.vintages,
        demo_data=profile.demo or practices.demo or bool(maturity and maturity.demo),
        generated_on=today or timezone.localdate(),
        threshold=settings.ANONYMITY_THRESHOLD,
        examples=examples_for_report(territory),
        changes=changes,
        perceived=perceived_for_territory(territory),
        departements=_departements(territory),
        csv_url=absolute(
            reverse("observatoire:territory_indicators_csv", args=[territory.level, territory.code])
        ),
    )
    data.summary = build_summary(data)
    return data


# --- territoires: identity, segment, maturity ------------------------------------------------


def _segment(segment: SizeSegment | None) -> Segment | None:
    if segment is None:
        return None
    return Segment(segment.label, readings.population_band(segment), segment.priority_lever)


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


def _departements(territory: Territory) -> list[tuple[str, str]]:
    """A région's départements, for its map (one query; none for another level)."""
    if territory.level != Level.REGION:
        return []
    return list(
        Territory.objects.filter(level=Level.DEPARTEMENT, region=territory)
        .order_by("code")
        .values_list("code", "name")
    )


def _latest_maturity(territory: Territory) -> Maturity | None:
    latest = (
        MaturityAssessment.objects.filter(territory=territory)
        .select_related("profile")
        .order_by("-assessed_at", "-pk")
        .first()
    )
    if latest is None:
        return None
    dimensions = [(str(label), str(display)) for label, _value, display in latest.scores()]
    return Maturity(
        label=latest.profile.label,
        description=latest.profile.description,
        assessed_on=timezone.localdate(latest.assessed_at),
        rationale=latest.rationale,
        dimensions=dimensions,
        demo=latest.is_demo,
    )


# --- indicators and curated levels (observatoire.queries) ------------------------------------


def _peer_group(territory: Territory, segment: SizeSegment | None) -> tuple[str, int | None]:
    """(« les 357 communes de 20 000 à 50 000 habitants (segment … des publications) », 357):
    the territories of the same level and size segment, in one query. Départements and régions
    all fall in one segment: they are compared with all the départements, all the régions."""
    if segment is None:
        return f"les {readings.peer_group_name(territory.level, None)}", None
    band = Q(population__gte=segment.min_population)
    if segment.max_population is not None:
        band &= Q(population__lt=segment.max_population)
    row = Territory.objects.filter(level=territory.level).aggregate(
        inside=Count("pk", filter=band), total=Count("pk")
    )
    whole = territory.level in (Level.DEPARTEMENT, Level.REGION) and row["inside"] == row["total"]
    name = readings.peer_group_name(territory.level, segment, whole_level=whole)
    count = row["inside"]
    return f"les {french_number(count)} {name}" if count else f"les {name}", count


@dataclass
class _Profile:
    source: queries.TerritoryProfile
    domains: list[DomainSection]
    any_line: bool
    vintages: list[tuple[str, str]]
    demo: bool


def _fragility_domains(
    territory: Territory, fragilities: list[Fragility], segments: list[SizeSegment]
) -> _Profile:
    """The 16 domains with their curated level and indicators, as
    ``observatoire.queries.territory_indicator_profile`` returns them (the same reads and ranks
    as the territory page)."""
    profile = queries.territory_indicator_profile(territory, segments=segments)
    by_fragility = {d.fragility.pk: d for d in profile.domains if d.fragility is not None}
    domains = []
    vintages: dict[str, set[str]] = defaultdict(set)
    any_line = False
    demo = False
    for fragility in fragilities:
        found = by_fragility.get(fragility.pk)
        section = DomainSection(
            fragility.code,
            fragility.label,
            fragility.criterion.label if fragility.criterion else "",
        )
        domains.append(section)
        if found is None:
            continue
        if found.curated is not None:
            section.level = found.curated.label
            section.level_source = found.curated.source
            demo = demo or found.curated.is_demo
        section.position = found.position
        section.comparison = found.comparison
        section.diverges = found.diverges
        section.gap = found.gap
        section.reading = found.indicator_reading
        section.curated_level = found.curated.level if found.curated is not None else None
        for line in found.lines:
            indicator = line.indicator
            section.indicators.append(
                IndicatorLine(
                    code=indicator.code,
                    label=indicator.label,
                    unit=indicator.unit,
                    year=line.year,
                    value=line.value,
                    departement=line.departement_value,
                    region=line.region_value,
                    france=line.france_value,
                    percentile=line.rank,
                    rate=line.rate,
                    peers=line.peers.count if line.peers else None,
                    source=indicator.source,
                    vintage=indicator.vintage,
                    demo=indicator.is_demo,
                )
            )
            any_line = True
            demo = demo or indicator.is_demo
            if indicator.is_demo:
                key = "Indicateurs (données de démonstration)"
            else:
                key = f"Indicateurs — {indicator.source}" if indicator.source else "Indicateurs"
            vintages[key].add(indicator.vintage or str(line.year))
    vintage_list = [(label, ", ".join(sorted(years))) for label, years in sorted(vintages.items())]
    return _Profile(profile, domains, any_line, vintage_list, demo)


# --- resources (pratiques, M.E.D.O.C.) -------------------------------------------------------


def _resources_for(practices: list[PracticeFigure]) -> tuple[list[ResourceLine], bool]:
    """M.E.D.O.C. resources for the practices most often marked « à développer »: (resources,
    whether they are attached to those practices).
    When none is attached to them, the library's resources are listed instead, and said so."""
    labels = {str(p.practice.key): f"{p.practice.code} {p.practice.label}" for p in practices}
    attached = resources_for_practice_keys(p.practice.key for p in practices)
    items = sorted(
        ((str(key), resource) for key, resources in attached.items() for resource in resources),
        key=lambda item: (item[1].kind, item[1].title),
    )
    lines: dict[int, ResourceLine] = {}
    per_practice: dict[str, int] = defaultdict(int)
    for key, resource in items:
        if per_practice[key] >= RESOURCES_PER_PRACTICE and resource.pk not in lines:
            continue
        line = lines.get(resource.pk)
        if line is None:
            line = lines[resource.pk] = ResourceLine(
                resource.title, resource.get_kind_display(), resource.url, resource.description, []
            )
        line.practices.append(labels.get(key, ""))
        per_practice[key] += 1
    if lines:
        return list(lines.values()), True
    library = Resource.objects.order_by("kind", "title")[:LIBRARY_LIMIT]
    return (
        [ResourceLine(r.title, r.get_kind_display(), r.url, "", []) for r in library],
        False,
    )
