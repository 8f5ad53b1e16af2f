"""Builders for pratiques tests: drafts, answers, submitted peers (through tests.factories)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, User

from config.roles import Role
from pratiques import services
from pratiques.models import Answer, Assessment, Practice
from pratiques.services import AnswerData
from territoires.models import ActorProfile, Engineering, Territory
from tests.factories import submitted_assessment


def current_practices() -> list[Practice]:
    return list(
        Practice.objects.filter(version__status="published")
        .select_related("situation__axis")
        .order_by("situation__order", "order")
    )


def start(
    user: User,
    territory: Territory,
    *,
    profile: str = "ingenieries",
    engineerings: tuple[str, ...] = ("catalyse-territoriale",),
    organisation_name: str = "",
    **extra: Any,
) -> Assessment:
    return services.assessment_start(
        user=user,
        territory=territory,
        actor_profile=ActorProfile.objects.get(code=profile),
        engineerings=list(Engineering.objects.filter(code__in=engineerings)),
        organisation_name=organisation_name,
        **extra,
    )


def answer_all(
    assessment: Assessment,
    frequency: int | None,
    involvement: int | None = None,
    *,
    carrying: int | None = None,
    only: list[Practice] | None = None,
) -> None:
    # Bulk for speed; the autosave path itself is tested in test_answer_save.py.
    Answer.objects.bulk_create(
        [
            Answer(
                assessment=assessment,
                practice=practice,
                frequency=frequency,
                involvement=involvement,
                carrying=carrying,
            )
            for practice in only or current_practices()
        ]
    )


def submitted(
    user: User,
    territory: Territory,
    frequency: int,
    involvement: int | None = None,
    *,
    consent: bool = True,
    share: bool = False,
    **start_kwargs: Any,
) -> Assessment:
    """Every practice answered alike, submitted (see ``tests.factories.submitted_assessment``)."""
    return submitted_assessment(
        user,
        territory,
        lambda _index, _practice: AnswerData(frequency=frequency, involvement=involvement),
        consent=consent,
        share=share,
        **start_kwargs,
    )


def peers(
    territory: Territory, count: int, *, start_index: int = 0, **kwargs: Any
) -> list[Assessment]:
    """``count`` other catalysts with a submitted, consenting assessment each (scores vary).
    They are established people (vouched for by the network): they count in figures about others."""
    from pratiques.models import Vouch

    result = []
    for i in range(start_index, start_index + count):
        user = User.objects.create(username=f"pair{i}")  # no password: hashing is slow
        user.groups.add(Group.objects.get(name=Role.CATALYST.value))
        Vouch.objects.create(user=user, source="invitation")
        result.append(submitted(user, territory, i % 4, (i + 1) % 4, **kwargs))
    return result
