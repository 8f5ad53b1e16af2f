"""Small builders shared by the curation tests."""

from __future__ import annotations

from typing import Any

from pratiques.curation.services import version_copy
from pratiques.models import Answer, Assessment, GridVersion, Practice
from territoires.models import ActorProfile


def copy_current(actor: Any, label: str = "2025") -> GridVersion:
    return version_copy(actor=actor, label=label)


def draft_assessment(
    user: Any, version: GridVersion, territory: Any, answered: int = 24
) -> Assessment:
    assessment = Assessment.objects.create(
        user=user,
        version=version,
        territory=territory,
        actor_profile=ActorProfile.objects.order_by("order").first(),
    )
    practices = Practice.objects.filter(version=version).order_by("order", "code")
    Answer.objects.bulk_create(
        Answer(assessment=assessment, practice=p, frequency=2, involvement=1, carrying=1)
        for p in list(practices)[:answered]
    )
    return assessment
