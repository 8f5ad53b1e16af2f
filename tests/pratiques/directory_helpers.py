"""Builders for the directory and examples tests (through the services)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from pratiques.directory.services import ProfileData, profile_opt_in
from pratiques.examples.services import ExampleData, example_save
from pratiques.models import DirectoryProfile, Example, ExampleStatus
from territoires.models import ActorProfile, Territory


def opt_in(user: User, *territories: Territory, **fields: Any) -> DirectoryProfile:
    data = ProfileData(
        shown_name=fields.pop("shown_name", user.get_full_name() or user.username),
        structure=fields.pop("structure", "Agence de développement"),
        actor_profile=fields.pop("actor_profile", ActorProfile.objects.order_by("order").first()),
        territories=list(territories),
        visibility=fields.pop("visibility", "public"),
        **fields,
    )
    return profile_opt_in(user=user, data=data, consent=True)


def example(
    title: str = "Un tiers-lieu rural",
    *,
    status: str = ExampleStatus.PUBLISHED,
    actor: User | None = None,
    **fields: Any,
) -> Example:
    data = ExampleData(title=title, summary=fields.pop("summary", "Un résumé."), **fields)
    return example_save(actor=actor, data=data, status=status)
