"""Builders for the development plan tests: an assessment with practices ticked « à développer »
and resources attached to them, submitted through the services (which propose the plan)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from pratiques.models import Assessment, DevelopmentPlan, Practice, Resource, ResourceAttachment
from pratiques.services import AnswerData
from territoires.models import Territory
from tests.factories import submitted_assessment, version_practices


def attach(practice: Practice, *titles: str) -> list[Resource]:
    resources = []
    for title in titles:
        resource = Resource.objects.create(title=title, kind="outils", url="https://exemple.fr/r")
        ResourceAttachment.objects.create(resource=resource, practice_key=practice.key)
        resources.append(resource)
    return resources


def with_plan(
    user: User,
    territory: Territory,
    ticked: list[int],
    *,
    frequency: int = 1,
    involvement: int = 1,
    overrides: dict[int, AnswerData] | None = None,
    **kwargs: Any,
) -> tuple[Assessment, DevelopmentPlan]:
    """Every practice answered (frequency, involvement), those at ``ticked`` indexes « à développer »."""
    overrides = overrides or {}

    def answer(index: int, practice: Practice) -> AnswerData:
        if index in overrides:
            return overrides[index]
        return AnswerData(
            frequency=frequency,
            involvement=involvement,
            carrying=1,
            wants_to_develop=index in ticked,
            comment="commentaire très privé" if index in ticked else "",
        )

    assessment = submitted_assessment(user, territory, answer, **kwargs)
    return assessment, DevelopmentPlan.objects.get(assessment=assessment)


def first_practices(n: int) -> list[Practice]:
    return version_practices()[:n]
