"""Adapters from the report to the data of the other parts of the platform.

Each function reads one source (maturity, fragility profile, indicators, assessments, resources)
and returns the report's own plain structures, so the template and the cache key never depend on
another app's model fields. ``dependency_stamp`` lists what a cached PDF depends on.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from config.typography import french_number
from observatoire import queries, readings
from observatoire.dialogues.results_queries import perceived_stamp
from observatoire.models import ImportRun, Indicator, IndicatorValue, PeerDistribution
from observatoire.report.data import DomainSection, IndicatorLine, Maturity, ResourceLine
from observatoire.report.examples import examples_stamp
from pratiques.aggregates import PracticeFigure, territory_release_stamp
from pratiques.models import GridVersion, Resource, ResourceAttachment
from pratiques.queries import resources_for_practice_keys
from territoires.models import (
    Fragility,
    FragilityReading,
    Level,
    MaturityAssessment,
    MaturityProfile,
    SizeSegment,
    Territory,
)

RESOURCES_PER_PRACTICE = 3
LIBRARY_LIMIT = 12


# --- maturity (territoires) ------------------------------------------------------------------


def latest_maturity(territory: Territory) -> Maturity | None:
    """The territory's latest maturity assessment."""
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


def peer_group(territory: Territory, segment: SizeSegment | None) -> tuple[str, int | None]:
    """(« les 357 communes de 20  000 à 50 000 habitants (segment … des publications) », 357):
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


def fragility_domains(
    territory: Territory,
    fragilities: list[Fragility],
    segment: SizeSegment | None,
    segments: list[SizeSegment],
) -> tuple[list[DomainSection], bool, list[tuple[str, str]], bool]:
    """The 16 domains with their curated level and indicators, as
    ``observatoire.queries.territory_indicator_profile`` returns them (the same reads and ranks
    as the territory page): (domains, any indicator, vintages, demo)."""
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
    return domains, any_line, vintage_list, demo


# --- resources (pratiques, M.E.D.O.C.) -------------------------------------------------------


def resources_for(practices: list[PracticeFigure]) -> tuple[list[ResourceLine], bool]:
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


# --- cache key -------------------------------------------------------------------------------


def _observatoire_stamp(territory: Territory) -> list[Any]:
    """Import runs, indicator catalogue and peer distributions of the level, in one query."""
    runs, indicators = ImportRun._meta.db_table, Indicator._meta.db_table
    parts = [
        f"SELECT count(*) FROM {runs}",
        f"SELECT max(finished_at) FROM {runs}",
        f"SELECT max(id) FROM {runs}",
        f"SELECT count(*) FROM {indicators}",
        f"SELECT max(id) FROM {indicators}",
    ]
    params: list[Any] = []
    # The peers' quantiles behind the percentiles.
    table = PeerDistribution._meta.db_table
    for expression in ("count(*)", "max(id)", "sum(count)"):
        parts.append(f"SELECT {expression} FROM {table} WHERE level = %s")
        params.append(territory.level)
    sql = "SELECT " + ", ".join(f"({part})" for part in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchone())


def _stamp(queryset: Any, *fields: str) -> list[Any]:
    aggregates = {"n": Count("pk")} | {f"m{i}": Max(f) for i, f in enumerate(fields)}
    row = queryset.aggregate(**aggregates)
    return [row[k] for k in sorted(row)]


def dependency_stamp(territory: Territory) -> dict[str, Any]:
    """Everything a cached report depends on, in a few aggregate queries."""
    stamp: dict[str, Any] = {
        "territory": [territory.pk, territory.name, territory.population, territory.updated_at],
        "segments": list(
            SizeSegment.objects.values_list("pk", "label", "min_population", "priority_lever")
        ),
    }
    if territory.level == Level.PROJECT:
        stamp["members"] = list(territory.memberships.values_list("member_id", flat=True))
    stamp["maturity"] = _stamp(
        MaturityAssessment.objects.filter(territory=territory), "assessed_at", "pk"
    )
    stamp["maturity_profiles"] = list(
        MaturityProfile.objects.values_list("pk", "label", "description")
    )
    stamp["fragility"] = _stamp(
        FragilityReading.objects.filter(territory=territory), "recorded_at", "pk"
    )
    stamp["observatoire"] = _observatoire_stamp(territory)
    # The territory's own values (a demo reload without an import run changes them).
    stamp["values"] = list(
        IndicatorValue.objects.filter(territory=territory)
        .aggregate(n=Count("value"), s=Max("year"), t=Sum("value"))
        .values()
    )
    version = GridVersion.objects.current()
    if version is not None:
        stamp["grid"] = [version.pk, version.label]
    # Practice figures change only at a release, and only where their people changed
    # (pratiques.aggregates): a release that leaves them as they were regenerates nothing.
    stamp["release"] = territory_release_stamp(territory)
    stamp["resources"] = _stamp(Resource.objects.all(), "updated_at", "pk") + _stamp(
        ResourceAttachment.objects.all(), "pk"
    )
    stamp["examples"] = examples_stamp()
    stamp["dialogue"] = perceived_stamp(territory)
    return stamp
