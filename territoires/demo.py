"""Deterministic demo data: maturity assessments, fragility profiles, one territoire de projet.

Everything here is flagged ``is_demo`` (or named so) and shown as « données de démonstration ».
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from territoires.models import (
    Fragility,
    FragilityReading,
    FragilitySource,
    Level,
    MaturityAssessment,
    Territory,
)
from territoires.registry import indicator_catalogue
from territoires.services import fragility_record, maturity_assess, project_create

SEED = 2026
DEMO_TERRITORIES = [
    ("commune", "94080"),  # Vincennes
    ("commune", "42218"),  # Saint-Étienne
    ("epci", "200054781"),  # Métropole du Grand Paris
    ("epci", "244200770"),  # Saint-Étienne Métropole
    ("departement", "94"),
]
DEMO_PROJECT_NAME = "Est parisien — territoire de projet (données de démonstration)"
DEMO_PROJECT_MEMBERS = [("commune", "94080"), ("commune", "94067"), ("commune", "94033")]
DEMO_AUTHOR = "Diagnostic de démonstration"
BASE_DATE = datetime.datetime(2025, 3, 1, 10, 0, tzinfo=datetime.UTC)


@transaction.atomic
def demo_load() -> str:
    """Replace the previous demo rows with the same deterministic set (idempotent)."""
    MaturityAssessment.objects.filter(is_demo=True).delete()
    FragilityReading.objects.filter(is_demo=True).delete()
    rng = random.Random(SEED)
    fragilities = list(Fragility.objects.order_by("order", "id"))
    territories = [
        t
        for level, code in DEMO_TERRITORIES
        if (t := Territory.objects.filter(level=level, code=code).first())
    ]
    # Indicator sources come from the catalogue, when it cites an indicator of the domain.
    indicator_of = {
        choice.fragility_code: choice.code for choice in reversed(indicator_catalogue() or [])
    }
    assessments = readings = 0
    for territory in territories:
        for step in range(rng.randint(1, 3)):
            scores = [rng.randint(1, 4) for _ in range(3)]
            maturity_assess(
                territory=territory,
                ecosystem_score=scores[0],
                pivot_score=scores[1],
                skills_score=scores[2],
                rationale=(
                    "Données de démonstration : évaluation fictive pour montrer l'historique "
                    f"(étape {step + 1})."
                ),
                user=None,
                assessor_name="Données de démonstration",
                assessed_at=BASE_DATE + datetime.timedelta(days=120 * step),
                is_demo=True,
            )
            assessments += 1
        for fragility in fragilities:
            indicator = rng.random() < 0.5 and fragility.code in indicator_of
            fragility_record(
                territory=territory,
                fragility=fragility,
                level=rng.randint(0, 3),
                source=FragilitySource.INDICATOR if indicator else FragilitySource.DIAGNOSIS,
                indicator_code=indicator_of[fragility.code] if indicator else "",
                diagnosis_author="" if indicator else DEMO_AUTHOR,
                diagnosis_date=None if indicator else datetime.date(2025, 1, 15),
                note="Données de démonstration.",
                user=None,
                recorded_at=BASE_DATE,
                is_demo=True,
            )
            readings += 1
    project = ""
    members = [
        t
        for level, code in DEMO_PROJECT_MEMBERS
        if (t := Territory.objects.filter(level=level, code=code).first())
    ]
    # Flagged: a demo project is never proposed by the public search outside demo mode.
    Territory.objects.filter(level=Level.PROJECT, name=DEMO_PROJECT_NAME).update(is_demo=True)
    if (
        members
        and not Territory.objects.filter(level=Level.PROJECT, name=DEMO_PROJECT_NAME).exists()
    ):
        created = project_create(
            name=DEMO_PROJECT_NAME,
            members=members,
            user=None,
            description="Données de démonstration : un périmètre fictif de trois communes.",
            is_demo=True,
        )
        project = f", projet {created.code}"
    return (
        f"  {assessments} évaluations de maturité et {readings} niveaux de fragilité "
        f"de démonstration{project}."
    )
