"""Collect everything a territory report shows into one ``ReportData`` (shapes in ``data``)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from observatoire.dialogues.results_queries import perceived_for_territory
from observatoire.queries import PERCENTILE_CONVENTION
from observatoire.report import sources
from observatoire.report.data import ReportData
from observatoire.report.examples import examples_for_report
from pratiques.aggregates import territory_practices
from territoires.models import Fragility, Level, SizeSegment, Territory

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
    segments = list(SizeSegment.objects.all())
    segment = territory.size_segment(segments)
    maturity = sources.latest_maturity(territory)
    fragilities = list(Fragility.objects.select_related("criterion").order_by("order", "pk"))
    domains, indicators_available, vintages, demo = sources.fragility_domains(
        territory, fragilities, segment, segments
    )
    peers_label, peer_count = sources.peer_group(territory, segment)
    practices = territory_practices(territory)
    grid_label = practices.version.label if practices.version else ""
    resources, resources_attached = sources.resources_for(practices.most_to_develop)
    demo = demo or practices.demo or bool(maturity and maturity.demo)
    return ReportData(
        territory=territory,
        level_label=str(Level(territory.level).label),
        codes=_codes(territory),
        parents=_parents(territory),
        population=territory.population,
        segment=segment,
        segments=segments,
        member_count=_member_count(territory),
        maturity=maturity,
        domains=domains,
        peers_label=peers_label,
        peer_count=peer_count,
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
        examples=examples_for_report(territory),
        perceived=perceived_for_territory(territory),
    )
