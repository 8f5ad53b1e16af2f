"""Adapters from the report to the data of the other parts of the platform.

Each function reads one source (maturity, indicators, assessments, resources) and returns the
report's own plain structures, so the template and the cache key never depend on another app's
model fields. ``dependency_stamp`` lists what a cached PDF depends on.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

from observatoire.report.data import (
    AssessmentRecord,
    DomainSection,
    GridPractice,
    GridSituation,
    Maturity,
    PracticeCarry,
    ResourceLine,
    territory_scope,
)
from territoires.models import Fragility, Level, SizeSegment, Territory


def _model(app_label: str, name: str) -> Any | None:
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def latest_maturity(territory: Territory) -> tuple[Maturity | None, bool]:
    """The territory's latest maturity assessment, and whether maturity is recorded at all."""
    model = _model("territoires", "MaturityAssessment")
    if model is None:
        return None, False
    return None, True


def peers_label(territory: Territory, segment: SizeSegment | None) -> str:
    plural = {
        Level.COMMUNE: "les communes",
        Level.EPCI: "les intercommunalités",
        Level.DEPARTEMENT: "les départements",
        Level.REGION: "les régions",
        Level.PROJECT: "les territoires de projet",
    }.get(Level(territory.level), "les territoires")
    if segment is not None and territory.level in (Level.COMMUNE, Level.EPCI, Level.PROJECT):
        return f"{plural} de {segment.label}"
    return plural


def fragility_domains(
    territory: Territory, fragilities: list[Fragility], segment: SizeSegment | None
) -> tuple[list[DomainSection], bool, str, list[tuple[str, str]], bool]:
    """The 16 domains with their indicators: (domains, any indicator, peers, vintages, demo)."""
    domains = [
        DomainSection(f.code, f.label, f.criterion.label if f.criterion else "")
        for f in fragilities
    ]
    return domains, False, peers_label(territory, segment), [], False


def territory_assessments(
    territory: Territory,
) -> tuple[list[AssessmentRecord], str, list[GridSituation], list[GridPractice]]:
    """Submitted, consenting assessments whose territory of action is in the territory's scope."""
    territory_scope(territory)
    return [], "", [], []


def assessments_are_demo(records: list[AssessmentRecord]) -> bool:
    return False


def resources_for(practices: list[PracticeCarry]) -> tuple[list[ResourceLine], bool]:
    """M.E.D.O.C. resources attached to the practices most often marked « à développer »."""
    return [], _model("pratiques", "Resource") is not None


def dependency_stamp(territory: Territory) -> dict[str, Any]:
    """Everything a cached report depends on, cheap to compute (a few aggregate queries)."""
    return {
        "territory": [
            territory.pk,
            territory.name,
            territory.population,
            str(territory.updated_at),
        ],
    }
