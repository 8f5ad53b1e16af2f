"""Writes of the development plan (keyword-only, atomic): propose, edit, add, remove, share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from config import links
from config.links import Purpose
from config.refusals import Refused
from pratiques import scoring
from pratiques.models import (
    Answer,
    Assessment,
    DevelopmentPlan,
    OrganisationMembership,
    PlanItem,
    PlanStatus,
    Practice,
    ResourceAttachment,
)
from pratiques.plan import queries

MAX_LINKS = 10
MAX_NOTE = 2000


class PlanRefused(Refused):
    """An item or a plan setting the rules refuse; nothing was written."""

    default_code = "plan_refused"
    default_message = "Cette modification du plan n'est pas possible."


@dataclass(frozen=True)
class ItemData:
    way: int | None = None
    target_frequency: int | None = None
    target_involvement: int | None = None
    resource_ids: list[int] = field(default_factory=list)
    links: str = ""
    partner: str = ""
    starts_on: dt.date | None = None
    due_on: dt.date | None = None
    status: str = PlanStatus.TODO
    note: str = ""


def day(value: dt.date) -> str:
    """« 1er décembre 2026 », « 6 décembre 2026 »."""
    text = date_format(value, "j F Y")
    return "1er" + text[1:] if value.day == 1 else text


def _attachments(keys: list) -> dict:
    by_key: dict = {}
    for key, resource_id in ResourceAttachment.objects.filter(practice_key__in=keys).values_list(
        "practice_key", "resource_id"
    ):
        by_key.setdefault(key, []).append(resource_id)
    return by_key


def _new_item(plan: DevelopmentPlan, practice: Practice) -> PlanItem:
    return PlanItem(
        plan=plan,
        practice_key=practice.key,
        practice_code=practice.code,
        practice_label=practice.label,
        status_on=timezone.localdate(),
    )


def attach_resources(items: list[PlanItem]) -> None:
    """Every resource attached to the item's practice, chosen by default (the person unticks)."""
    by_key = _attachments([item.practice_key for item in items])
    Through = PlanItem.resources.through
    Through.objects.bulk_create(
        [
            Through(planitem_id=item.pk, resource_id=resource_id)
            for item in items
            for resource_id in by_key.get(item.practice_key, [])
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def plan_propose(*, assessment: Assessment) -> DevelopmentPlan:
    """The plan of a submitted assessment: one item per practice ticked « à développer », with the
    resources attached to it; sharing and reminders follow the person's previous plan."""
    existing = DevelopmentPlan.objects.filter(assessment=assessment).first()
    if existing is not None:
        return existing
    previous = (
        DevelopmentPlan.objects.filter(user_id=assessment.user_id)
        .exclude(assessment=assessment)
        .order_by("-assessment__submitted_at", "-pk")
        .first()
    )
    shared_with = None
    if (
        previous is not None
        and previous.shared_with_id
        and OrganisationMembership.objects.filter(
            organisation_id=previous.shared_with_id, user_id=assessment.user_id
        ).exists()
    ):
        shared_with = previous.shared_with_id
    plan = DevelopmentPlan.objects.create(
        assessment=assessment,
        user_id=assessment.user_id,
        shared_with_id=shared_with,
        reminders=bool(previous and previous.reminders),
        is_demo=assessment.is_demo,
    )
    ticked = (
        Answer.objects.filter(assessment=assessment, wants_to_develop=True)
        .select_related("practice__situation")
        .order_by("practice__situation__order", "practice__order")
    )
    items = PlanItem.objects.bulk_create([_new_item(plan, answer.practice) for answer in ticked])
    attach_resources(items)
    return plan


def _own_item(item_id: int, user: User) -> PlanItem:
    item = (
        PlanItem.objects.select_for_update(of=("self",))
        .select_related("plan")
        .filter(pk=item_id, plan__user=user)
        .first()
    )
    if item is None:
        raise PlanRefused("Élément du plan introuvable.", code="item_not_found")
    return item


def _check(item: PlanItem, data: ItemData, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.due_on is not None and data.due_on != item.due_on and data.due_on < today:
        errors["due_on"] = (
            "L'échéance est déjà passée : choisissez une date à partir d'aujourd'hui, "
            f"{day(today)}."
        )
    if data.starts_on and data.due_on and data.starts_on > data.due_on:
        errors["starts_on"] = "Le début doit précéder l'échéance."
    if data.target_frequency is not None and data.target_frequency not in (
        scoring.FREQUENCY_VALUES
    ):
        errors["target_frequency"] = "Fréquence inconnue : choisissez l'un des échelons proposés."
    if data.target_involvement is not None and data.target_involvement not in (
        scoring.INVOLVEMENT_VALUES
    ):
        errors["target_involvement"] = (
            "Implication inconnue : choisissez l'un des échelons proposés."
        )
    if len(data.note) > MAX_NOTE:
        errors["note"] = "La note dépasse 2 000 caractères : raccourcissez-la."
    if len(data.partner) > 200:
        errors["partner"] = "Le nom du partenaire dépasse 200 caractères."
    lines = [line.strip() for line in data.links.splitlines() if line.strip()]
    if len(lines) > MAX_LINKS:
        errors["links"] = f"Au plus {MAX_LINKS} liens, un par ligne."
    validate = URLValidator(schemes=["http", "https"])
    for line in lines:
        try:
            validate(line)
        except ValidationError:
            errors["links"] = (
                f"« {line[:80]} » n'est pas une adresse web (elle commence par https://)."
            )
            break
        if len(line) > 500:
            errors["links"] = "Une adresse dépasse 500 caractères."
            break
    return errors


@transaction.atomic
def plan_item_update(*, item_id: int, user: User, data: ItemData) -> PlanItem:
    """Saves one item as the person edited it (the autosave, or its form without JavaScript).

    Refuses, with its field's French message: a due date in the past (unless unchanged), a start
    after the due date, a target off the scales, a resource not attached to the practice."""
    item = _own_item(item_id, user)
    today = timezone.localdate()
    errors = _check(item, data, today)
    allowed = set(_attachments([item.practice_key]).get(item.practice_key, []))
    if not set(data.resource_ids) <= allowed:
        errors["resources"] = "Choisissez parmi les ressources rattachées à cette pratique."
    if errors:
        code = "due_date_past" if "due_on" in errors else "item_invalid"
        raise PlanRefused(errors, code=code)
    if data.status != item.status:
        item.status_on = today
    item.way = data.way
    item.target_frequency = data.target_frequency
    item.target_involvement = data.target_involvement
    item.links = "\n".join(line.strip() for line in data.links.splitlines() if line.strip())
    item.partner = data.partner.strip()
    item.starts_on = data.starts_on
    if data.due_on != item.due_on:  # a new date gets its reminders again
        item.reminder_soon_sent_at = item.reminder_overdue_sent_at = None
    item.due_on = data.due_on
    item.status = data.status
    item.note = data.note.strip()
    item.save()
    item.resources.set(data.resource_ids)
    return item


@transaction.atomic
def plan_item_add(*, plan_id: int, user: User, practice_id: int) -> PlanItem:
    """Adds a practice of the plan's grid version that the person had not ticked."""
    plan = DevelopmentPlan.objects.select_for_update().filter(pk=plan_id, user=user).first()
    if plan is None:
        raise PlanRefused("Plan introuvable.", code="plan_not_found")
    practice = Practice.objects.filter(
        pk=practice_id, version__assessments=plan.assessment_id
    ).first()
    if practice is None:
        raise PlanRefused("Choisissez une pratique de la grille.", code="unknown_practice")
    if PlanItem.objects.filter(plan=plan, practice_key=practice.key).exists():
        raise PlanRefused(
            f"La pratique {practice.code} est déjà dans votre plan.", code="already_in_plan"
        )
    item = _new_item(plan, practice)
    item.save()
    attach_resources([item])
    return item


@transaction.atomic
def plan_item_remove(*, item_id: int, user: User) -> PlanItem:
    item = _own_item(item_id, user)
    item.delete()
    return item


@transaction.atomic
def plan_settings_set(
    *, plan_id: int, user: User, shared_with_id: int | None, reminders: bool
) -> DevelopmentPlan:
    """Shares the plan with one of the person's organisations (or none), and opts in to reminders."""
    plan = DevelopmentPlan.objects.select_for_update().filter(pk=plan_id, user=user).first()
    if plan is None:
        raise PlanRefused("Plan introuvable.", code="plan_not_found")
    if (
        shared_with_id is not None
        and not OrganisationMembership.objects.filter(
            organisation_id=shared_with_id, user=user
        ).exists()
    ):
        raise PlanRefused(
            {
                "shared_with": "Vous ne pouvez partager qu'avec une organisation dont vous êtes membre."
            },
            code="not_a_member",
        )
    plan.shared_with_id = shared_with_id
    plan.reminders = reminders
    plan.save(update_fields=["shared_with", "reminders"])
    return plan


def plan_reminders_stop(*, user: User) -> int:
    """No more reminders for any plan of the person."""
    return DevelopmentPlan.objects.filter(user=user, reminders=True).update(reminders=False)


def plan_reminders_stop_by_link(*, token: str) -> User:
    user = links.check_lasting_token(token, Purpose.PLAN_REMINDERS_STOP)
    plan_reminders_stop(user=user)
    return user


def plans_unshare(*, user: User, organisation_id: int) -> int:
    """Leaving an organisation: the person's plans are no longer shared with it."""
    return DevelopmentPlan.objects.filter(user=user, shared_with_id=organisation_id).update(
        shared_with=None
    )


REVIEW_DECISIONS = ("atteint", "reporter", "abandonner")


@transaction.atomic
def plan_review_apply(*, plan_id: int, user: User, decisions: dict[int, str]) -> DevelopmentPlan:
    """The review of the previous plan at this plan's assessment: each open item of the previous
    plan is confirmed reached, dropped, or carried into this plan (linked to the old item; an item
    already proposed for the same practice is linked and completed rather than doubled)."""
    plan = (
        DevelopmentPlan.objects.select_for_update()
        .select_related("assessment")
        .filter(pk=plan_id, user=user)
        .first()
    )
    if plan is None:
        raise PlanRefused("Plan introuvable.", code="plan_not_found")
    previous = queries.previous_plan(plan)
    items = queries.open_items(previous) if previous else []
    if not items:
        return plan
    if any(decisions.get(item.pk) not in REVIEW_DECISIONS for item in items):
        raise PlanRefused(
            "Choisissez, pour chaque élément, « atteint », « reporter » ou « abandonner ».",
            code="review_incomplete",
        )
    found = queries.successors(plan, [item.practice_key for item in items])
    if any(decisions[i.pk] == "reporter" and i.practice_key not in found for i in items):
        raise PlanRefused(
            "Une pratique retirée de la grille ne peut pas être reportée : "
            "marquez-la « atteint » ou « abandonner ».",
            code="review_practice_removed",
        )
    now, today = timezone.now(), timezone.localdate()
    existing = {i.practice_key: i for i in PlanItem.objects.filter(plan=plan)}
    chosen = {
        item.pk: list(item.resources.values_list("pk", flat=True))
        for item in items
        if decisions[item.pk] == "reporter"
    }
    for item in items:
        decision = decisions[item.pk]
        if decision == "atteint":
            item.status, item.status_on = PlanStatus.REACHED, today
        elif decision == "abandonner":
            item.status, item.status_on = PlanStatus.DROPPED, today
        else:
            practice = found[item.practice_key]
            new = existing.get(practice.key) or _new_item(plan, practice)
            new.carried_from = item
            new.way = new.way or item.way
            new.target_frequency = new.target_frequency or item.target_frequency
            new.target_involvement = new.target_involvement or item.target_involvement
            new.partner = new.partner or item.partner
            new.links = new.links or item.links
            new.note = new.note or item.note
            new.starts_on = new.starts_on or item.starts_on
            if new.due_on is None and item.due_on and item.due_on >= today:
                new.due_on = item.due_on
            if item.status == PlanStatus.DOING:
                new.status = PlanStatus.DOING
            if new.starts_on and new.due_on and new.starts_on > new.due_on:
                new.starts_on = None
            new.save()
            new.resources.add(*chosen[item.pk])
        item.reviewed_at = now
        item.save(update_fields=["status", "status_on", "reviewed_at", "updated_at"])
    plan.reviewed_at = now
    plan.save(update_fields=["reviewed_at"])
    return plan
