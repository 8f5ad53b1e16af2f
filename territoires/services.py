"""Writes on territories: projects and their members, maturity assessments, fragility readings."""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError, Sum
from django.utils import timezone
from django.utils.text import slugify

from config.refusals import Refused, full_clean_or_refuse
from territoires.models import (
    MANDATE_LEVELS,
    Follow,
    Fragility,
    FragilityReading,
    FragilitySource,
    Level,
    Mandate,
    MandateStatus,
    MaturityAssessment,
    MaturityProfile,
    ProjectMember,
    SizeSegment,
    Territory,
    maturity_rank,
)
from territoires.registry import indicator_catalogue

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


def project_perimeter_refresh(project: Territory) -> None:
    """Population, région and département from the members as they are now.

    A perimeter across several départements or régions takes as its own the one holding most
    of its population (the page lists them all, see ``queries.project_coverage``).
    """
    members = list(
        Territory.objects.filter(project_memberships__project=project).only(
            "id", "level", "population", "region_id", "departement_id", "epci_id"
        )
    )
    by_departement: dict[int, int] = {}
    by_region: dict[int, int] = {}
    for member in members:
        weight = member.population or 0
        if member.departement_id:
            by_departement[member.departement_id] = (
                by_departement.get(member.departement_id, 0) + weight
            )
        if member.region_id:
            by_region[member.region_id] = by_region.get(member.region_id, 0) + weight
    project.population = project_population(project)
    # Most populous first; the smaller id breaks ties, so the choice is stable.
    project.departement_id = (
        min(by_departement, key=lambda pk: (-by_departement[pk], pk)) if by_departement else None
    )
    project.region_id = min(by_region, key=lambda pk: (-by_region[pk], pk)) if by_region else None
    project.save()


def _unique_project_code(name: str) -> str:
    base = (slugify(name) or "projet")[:16].strip("-") or "projet"
    code, n = base, 1
    while Territory.objects.filter(level=Level.PROJECT, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


class ProjectRefused(Refused):
    """A territoire de projet change the rules forbid (members, deletion)."""

    default_code = "project_refused"


def _check_member(member: Territory) -> None:
    if member.level not in MEMBER_LEVELS:
        raise ProjectRefused(
            (
                "« %(name)s » n'est ni une intercommunalité ni une commune : un territoire de "
                "projet réunit des EPCI et/ou des communes."
            ),
            params={"name": member.name},
            code="member_level",
        )


@transaction.atomic
def project_create(
    *,
    name: str,
    members: list[Territory],
    user: User | None,
    description: str = "",
    is_demo: bool = False,
) -> Territory:
    """A territoire de projet (PETR, Pays…) made of EPCI and/or communes; at least one member."""
    if not members:
        raise ProjectRefused(
            "Un territoire de projet doit compter au moins une intercommunalité ou une commune.",
            code="no_member",
        )
    for member in members:
        _check_member(member)
    project = Territory.objects.create(
        level=Level.PROJECT,
        code=_unique_project_code(name),
        name=name,
        description=description,
        is_demo=is_demo,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    ProjectMember.objects.bulk_create(
        [ProjectMember(project=project, member=m) for m in dict.fromkeys(members)]
    )
    project_perimeter_refresh(project)
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
        project_perimeter_refresh(project)
    return created


@transaction.atomic
def project_member_remove(*, project: Territory, member: Territory) -> None:
    """Remove a member; the last one cannot go (a project without member is meaningless)."""
    Territory.objects.select_for_update().filter(pk=project.pk).first()
    memberships = ProjectMember.objects.filter(project=project)
    if not memberships.filter(member=member).exists():
        return
    if memberships.count() <= 1:
        raise ProjectRefused(
            (
                "Impossible de retirer le dernier membre : un territoire de projet doit compter au "
                "moins une intercommunalité ou une commune."
            ),
            code="no_member",
        )
    memberships.filter(member=member).delete()
    project_perimeter_refresh(project)


@transaction.atomic
def project_archive(*, project: Territory, archived: bool = True) -> Territory:
    """Archive (or bring back) a project: kept with its history, no longer proposed by search."""
    project.archived_at = timezone.now() if archived else None
    project.save()
    return project


def _references(error: ProtectedError | RestrictedError) -> str:
    counts: dict[str, int] = {}
    for obj in (
        error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
    ):
        label = str(obj._meta.verbose_name_plural)
        counts[label] = counts.get(label, 0) + 1
    return ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))


@transaction.atomic
def project_delete(*, project: Territory) -> None:
    """Delete a project with its members; refused, with the reason, while anything still refers
    to it (self-assessments of another app through a protected key, or its own maturity
    assessments and fragility readings, whose history must not vanish)."""
    history = []
    maturity = MaturityAssessment.objects.filter(territory=project).count()
    if maturity:
        history.append(f"{maturity} évaluation(s) de maturité")
    readings = FragilityReading.objects.filter(territory=project).count()
    if readings:
        history.append(f"{readings} niveau(x) de fragilité")
    if history:
        raise ProjectRefused(
            (
                "Impossible de supprimer « %(name)s » : %(refs)s s'y rapportent. "
                "Archivez-le plutôt : il restera consultable avec son historique."
            ),
            params={"name": project.name, "refs": ", ".join(history)},
            code="referenced",
        )
    try:
        with transaction.atomic():
            project.delete()
    except (ProtectedError, RestrictedError) as error:
        raise ProjectRefused(
            (
                "Impossible de supprimer « %(name)s » : des données y font référence "
                "(%(refs)s). Archivez-le plutôt : il restera consultable."
            ),
            params={"name": project.name, "refs": _references(error)},
            code="referenced",
        ) from error


@transaction.atomic
def maturity_assess(
    *,
    territory: Territory,
    ecosystem_score: int,
    pivot_score: int,
    skills_score: int,
    rationale: str,
    user: User | None,
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
        or ((user.get_full_name() or user.username) if user is not None and authenticated else ""),
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
    user: User | None,
    indicator_code: str = "",
    diagnosis_author: str = "",
    diagnosis_date: datetime.date | None = None,
    note: str = "",
    recorded_at: datetime.datetime | None = None,
    is_demo: bool = False,
) -> FragilityReading:
    """Record a territory's level on one fragility domain; earlier readings stay as history.

    An indicator source must be an indicator of the catalogue (when an app provides one)."""
    if source == FragilitySource.INDICATOR:
        diagnosis_author, diagnosis_date = "", None
        catalogue = indicator_catalogue()
        if catalogue is not None and indicator_code not in {c.code for c in catalogue}:
            raise Refused(
                "« %(code)s » n'est pas un indicateur du catalogue de l'observatoire.",
                params={"code": indicator_code},
                code="unknown_indicator",
            )
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


class MandateRefused(Refused):
    """A mandate that cannot be declared (or a territory that cannot be followed);
    ``str(error)`` is the French message."""

    default_code = "mandate_refused"


@transaction.atomic
def mandate_declare(*, user: User, territory: Territory, role_label: str = "") -> Mandate:
    """An official declares representing a territory; pending until an admin confirms it."""
    if territory.level not in MANDATE_LEVELS:
        raise MandateRefused(
            "Un mandat porte sur une commune, un EPCI, un département, une région ou un projet.",
            code="mandate_level",
        )
    mandate, created = Mandate.objects.get_or_create(
        user=user, territory=territory, defaults={"role_label": role_label.strip()[:120]}
    )
    if not created:
        raise MandateRefused(
            f"Vous avez déjà déclaré ce territoire ({mandate.get_status_display()}).",
            code="mandate_declared",
        )
    return mandate


@transaction.atomic
def mandate_decide(*, actor: User, mandate: Mandate, confirm: bool) -> Mandate:
    """A network admin confirms or refuses a declared mandate (the caller records the history)."""
    mandate.status = MandateStatus.CONFIRMED if confirm else MandateStatus.REFUSED
    mandate.decided_by = actor
    mandate.decided_at = timezone.now()
    mandate.save(update_fields=["status", "decided_by", "decided_at"])
    if confirm:
        # A confirmed mandate follows its territory (the official can stop following it).
        Follow.objects.get_or_create(user=mandate.user, territory=mandate.territory)
    return mandate


@transaction.atomic
def mandate_withdraw(*, user: User, mandate_id: int) -> Mandate:
    """An official withdraws one of their own mandates (declared, confirmed or refused); the
    territory stays followed until they stop following it."""
    mandate = Mandate.objects.filter(pk=mandate_id, user=user).select_related("territory").first()
    if mandate is None:
        raise MandateRefused("Mandat introuvable.", code="mandate_not_found")
    mandate.delete()
    return mandate


def follow_set(*, user: User, territory: Territory, follow: bool) -> Follow | None:
    """Follows (idempotent) or stops following a territory."""
    if not follow:
        Follow.objects.filter(user=user, territory=territory).delete()
        return None
    if territory.level not in MANDATE_LEVELS:
        raise MandateRefused(
            "On suit une commune, un EPCI, un département, une région ou un projet.",
            code="follow_level",
        )
    instance, _created = Follow.objects.get_or_create(user=user, territory=territory)
    return instance


@transaction.atomic
def follows_seen(*, user: User, states: dict[int, dict[str, Any]]) -> int:
    """Records what the official was shown of each followed territory (follow id → state)."""
    now = timezone.now()
    return sum(
        Follow.objects.filter(user=user, pk=pk).update(seen_state=state, seen_at=now)
        for pk, state in states.items()
    )


def follow_notified(*, follow: Follow, key: str) -> Follow:
    """The report key an e-mail was sent for (the caller holds the row's lock)."""
    follow.notified_key = key
    follow.notified_at = timezone.now()
    follow.save(update_fields=["notified_key", "notified_at"])
    return follow


def follow_notify_set(*, user: User, follow_id: int, notify: bool) -> Follow:
    follow = Follow.objects.filter(pk=follow_id, user=user).first()
    if follow is None:
        raise Refused("Territoire suivi introuvable.", code="follow_not_found")
    follow.notify_by_email = notify
    follow.save(update_fields=["notify_by_email"])
    return follow


# --- reference lists (edited from the curation pages, which keep their history) ----------------


@dataclass(frozen=True)
class RowChange[Row: models.Model]:
    """A row as it was before a service changed it, and as saved: the caller keeps the history."""

    before: Row
    after: Row


@transaction.atomic
def reference_item_update[Row: models.Model](
    *, item: Row, changes: dict[str, Any]
) -> RowChange[Row]:
    """Reword a maturity profile, an actor profile, a fragility criterion; regroup a fragility."""
    item = type(item)._default_manager.select_for_update().get(pk=item.pk)
    before = copy.copy(item)
    for name, value in changes.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    full_clean_or_refuse(item, code="invalid_reference_item")
    item.save()
    return RowChange(before=before, after=item)


@transaction.atomic
def size_segment_update(
    *,
    segment: SizeSegment,
    label: str,
    max_population: int | None,
    priority_lever: str,
    lever_description: str,
) -> list[RowChange[SizeSegment]]:
    """Reword a segment or move its upper threshold; the next segment starts where it ends.
    The segment's change comes first, then the next segment's if its lower threshold moved."""
    segments = list(SizeSegment.objects.select_for_update().order_by("min_population"))
    index = next(i for i, s in enumerate(segments) if s.pk == segment.pk)
    segment, following = segments[index], segments[index + 1] if index + 1 < len(segments) else None
    before = copy.copy(segment)
    if following is None and max_population is not None:
        raise Refused(
            {"max_population": "Le dernier segment n'a pas de borne supérieure."},
            code="last_segment_bound",
        )
    if following is not None:
        if max_population is None:
            raise Refused(
                {"max_population": "Indiquez la borne supérieure (exclue)."}, code="bound_missing"
            )
        if max_population <= segment.min_population:
            raise Refused(
                {
                    "max_population": f"La borne doit dépasser {segment.min_population:,} habitants.".replace(
                        ",", " "
                    )
                },
                code="bound_too_low",
            )
        if following.max_population is not None and max_population >= following.max_population:
            raise Refused(
                {
                    "max_population": f"La borne doit rester sous celle du segment suivant "
                    f"({following.max_population:,} habitants).".replace(",", " ")
                },
                code="bound_too_high",
            )
    segment.label = label.strip()
    segment.priority_lever = priority_lever.strip()
    segment.lever_description = lever_description.strip()
    segment.max_population = max_population
    full_clean_or_refuse(segment, code="invalid_size_segment")
    segment.save()
    changes = [RowChange(before=before, after=segment)]
    # max_population is set whenever a segment follows (checked above).
    if (
        following is not None
        and max_population is not None
        and following.min_population != max_population
    ):
        following_before = copy.copy(following)
        following.min_population = max_population
        following.save(update_fields=["min_population"])
        changes.append(RowChange(before=following_before, after=following))
    return changes
