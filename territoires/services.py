"""Writes on territories: projects and their members, maturity assessments, fragility readings."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from territoires.models import (
    MANDATE_LEVELS,
    Follow,
    Fragility,
    FragilityReading,
    FragilitySource,
    Level,
    Mandate,
    MaturityAssessment,
    MaturityProfile,
    ProjectMember,
    Territory,
    maturity_rank,
)

MEMBER_LEVELS = (Level.EPCI, Level.COMMUNE)


def project_population(project: Territory) -> int | None:
    """Sum of the members; a commune inside a member EPCI is not counted twice."""
    members = Territory.objects.filter(project_memberships__project=project)
    epci_ids = list(members.filter(level=Level.EPCI).values_list("id", flat=True))
    total = (members.filter(level=Level.EPCI).aggregate(s=Sum("population"))["s"] or 0) + (
        members.filter(level=Level.COMMUNE)
        .exclude(epci_id__in=epci_ids)
        .aggregate(s=Sum("population"))["s"]
        or 0
    )
    return total if members.exists() else None


def _unique_project_code(name: str) -> str:
    base = (slugify(name) or "projet")[:16].strip("-") or "projet"
    code, n = base, 1
    while Territory.objects.filter(level=Level.PROJECT, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _check_member(member: Territory) -> None:
    if member.level not in MEMBER_LEVELS:
        raise ValidationError(
            _(
                "« %(name)s » n'est ni une intercommunalité ni une commune : un territoire de "
                "projet réunit des EPCI et/ou des communes."
            ),
            params={"name": member.name},
            code="member_level",
        )


@transaction.atomic
def project_create(
    *, name: str, members: list[Territory], user: Any, description: str = ""
) -> Territory:
    """A territoire de projet (PETR, Pays…) made of EPCI and/or communes; at least one member."""
    if not members:
        raise ValidationError(
            _("Un territoire de projet doit compter au moins une intercommunalité ou une commune."),
            code="no_member",
        )
    for member in members:
        _check_member(member)
    first = members[0]
    project = Territory.objects.create(
        level=Level.PROJECT,
        code=_unique_project_code(name),
        name=name,
        description=description,
        region_id=first.region_id,
        departement_id=first.departement_id,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    ProjectMember.objects.bulk_create(
        [ProjectMember(project=project, member=m) for m in dict.fromkeys(members)]
    )
    project.population = project_population(project)
    project.save(update_fields=["population", "updated_at"])
    return project


@transaction.atomic
def project_update(*, project: Territory, name: str, description: str) -> Territory:
    project.name = name
    project.description = description
    project.save()
    return project


@transaction.atomic
def project_member_add(*, project: Territory, member: Territory) -> bool:
    """Add a member; False when it already was one."""
    _check_member(member)
    _, created = ProjectMember.objects.get_or_create(project=project, member=member)
    if created:
        project.population = project_population(project)
        project.save(update_fields=["population", "updated_at"])
    return created


@transaction.atomic
def project_member_remove(*, project: Territory, member: Territory) -> None:
    """Remove a member; the last one cannot go (a project without member is meaningless)."""
    Territory.objects.select_for_update().filter(pk=project.pk).first()
    memberships = ProjectMember.objects.filter(project=project)
    if not memberships.filter(member=member).exists():
        return
    if memberships.count() <= 1:
        raise ValidationError(
            _(
                "Impossible de retirer le dernier membre : un territoire de projet doit compter au "
                "moins une intercommunalité ou une commune."
            ),
            code="no_member",
        )
    memberships.filter(member=member).delete()
    project.population = project_population(project)
    project.save(update_fields=["population", "updated_at"])


@transaction.atomic
def maturity_assess(
    *,
    territory: Territory,
    ecosystem_score: int,
    pivot_score: int,
    skills_score: int,
    rationale: str,
    user: Any,
    assessed_at: datetime.datetime | None = None,
    is_demo: bool = False,
    assessor_name: str = "",
) -> MaturityAssessment:
    """Record a new assessment (previous ones stay: the history is never overwritten)."""
    rank = maturity_rank(ecosystem_score, pivot_score, skills_score)
    authenticated = getattr(user, "is_authenticated", False)
    return MaturityAssessment.objects.create(
        territory=territory,
        ecosystem_score=ecosystem_score,
        pivot_score=pivot_score,
        skills_score=skills_score,
        profile=MaturityProfile.objects.get(rank=rank),
        rationale=rationale,
        assessed_by=user if authenticated else None,
        assessor_name=assessor_name
        or ((user.get_full_name() or user.username) if authenticated else ""),
        assessed_at=assessed_at or timezone.now(),
        is_demo=is_demo,
    )


@transaction.atomic
def fragility_record(
    *,
    territory: Territory,
    fragility: Fragility,
    level: int,
    source: str,
    user: Any,
    indicator_code: str = "",
    diagnosis_author: str = "",
    diagnosis_date: datetime.date | None = None,
    note: str = "",
    recorded_at: datetime.datetime | None = None,
    is_demo: bool = False,
) -> FragilityReading:
    """Record a territory's level on one fragility domain; earlier readings stay as history."""
    if source == FragilitySource.INDICATOR:
        diagnosis_author, diagnosis_date = "", None
    else:
        indicator_code = ""
    return FragilityReading.objects.create(
        territory=territory,
        fragility=fragility,
        level=level,
        source=source,
        indicator_code=indicator_code,
        diagnosis_author=diagnosis_author,
        diagnosis_date=diagnosis_date,
        note=note,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
        recorded_at=recorded_at or timezone.now(),
        is_demo=is_demo,
    )


# --- elected officials: mandates and follows -----------------------------------------------------


class MandateRefused(Exception):
    """A mandate that cannot be declared; ``str(error)`` is the French message."""


@transaction.atomic
def mandate_declare(*, user: Any, territory: Territory, role_label: str = "") -> Mandate:
    """An official declares representing a territory; pending until an admin confirms it."""
    if territory.level not in MANDATE_LEVELS:
        raise MandateRefused(
            _("Un mandat porte sur une commune, un EPCI, un département, une région ou un projet.")
        )
    mandate, created = Mandate.objects.get_or_create(
        user=user, territory=territory, defaults={"role_label": role_label.strip()[:120]}
    )
    if not created:
        raise MandateRefused(
            _("Vous avez déjà déclaré ce territoire (%(status)s).")
            % {"status": mandate.get_status_display()}
        )
    return mandate


def follow_set(*, user: Any, territory: Territory, follow: bool) -> Follow | None:
    """Follows (idempotent) or stops following a territory."""
    if not follow:
        Follow.objects.filter(user=user, territory=territory).delete()
        return None
    if territory.level not in MANDATE_LEVELS:
        raise MandateRefused(
            _("On suit une commune, un EPCI, un département, une région ou un projet.")
        )
    instance, _created = Follow.objects.get_or_create(user=user, territory=territory)
    return instance


def follow_notify_set(*, user: Any, follow_id: int, notify: bool) -> Follow:
    follow = Follow.objects.get(pk=follow_id, user=user)
    follow.notify_by_email = notify
    follow.save(update_fields=["notify_by_email"])
    return follow
