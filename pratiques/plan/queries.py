"""Reads of the development plan: a person's plan page, the team's decisions, what was reached.

Every function reads a constant number of rows sets whatever the number of items or members.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef
from django.utils import timezone

from pratiques.models import (
    OPEN_STATUSES,
    Answer,
    Assessment,
    DevelopmentPlan,
    DevelopmentWay,
    KeyLineage,
    Organisation,
    OrganisationMembership,
    PlanItem,
    PlanStatus,
    Practice,
    Resource,
    ScaleStep,
)
from pratiques.queries import resources_for_practice_keys, scale_labels

STATUS_ORDER = [PlanStatus.TODO, PlanStatus.DOING, PlanStatus.REACHED, PlanStatus.DROPPED]


def own_plan(user: User, pk: int) -> DevelopmentPlan | None:
    return (
        DevelopmentPlan.objects.filter(pk=pk, user=user)
        .select_related("assessment__version", "assessment__territory", "shared_with")
        .first()
    )


def current_plan(user: User) -> DevelopmentPlan | None:
    """The plan of the person's latest submitted assessment: « mon plan »."""
    return (
        DevelopmentPlan.objects.filter(user=user)
        .order_by("-assessment__submitted_at", "-pk")
        .first()
    )


def previous_plan(plan: DevelopmentPlan) -> DevelopmentPlan | None:
    """The plan before this one (the one its review closes)."""
    return (
        DevelopmentPlan.objects.filter(
            user_id=plan.user_id, assessment__submitted_at__lt=plan.assessment.submitted_at
        )
        .order_by("-assessment__submitted_at", "-pk")
        .first()
    )


def is_overdue(item: PlanItem, today: dt.date) -> bool:
    return item.is_open and item.due_on is not None and item.due_on < today


def sort_key(item: PlanItem) -> tuple[Any, ...]:
    return (item.due_on is None, item.due_on or dt.date.max, item.practice_code)


def plan_items(plan: DevelopmentPlan) -> list[PlanItem]:
    """The items with their chosen resources (2 queries), by due date."""
    items = list(PlanItem.objects.filter(plan=plan).prefetch_related("resources"))
    today = timezone.localdate()
    for item in items:
        item.overdue = is_overdue(item, today)
    items.sort(key=sort_key)
    return items


@dataclass
class PlanPage:
    plan: DevelopmentPlan
    items: list[PlanItem]
    groups: list[tuple[str, str, list[PlanItem]]]  # (status, label, items)
    attached: dict[uuid.UUID, list[Resource]]
    labels: dict[str, dict[int, str]]
    organisations: list[Organisation]
    addable: list[Practice]
    to_review: int  # open, unreviewed items of the previous plan
    is_current: bool
    overdue: int = 0


def plan_page(plan: DevelopmentPlan) -> PlanPage:
    """Everything the plan page shows, in 7 or 8 queries whatever the number of items."""
    items = plan_items(plan)  # 2
    groups = [
        (status.value, status.label, [i for i in items if i.status == status])
        for status in STATUS_ORDER
    ]
    attached = resources_for_practice_keys(i.practice_key for i in items)  # 1
    version_id = plan.assessment.version_id
    labels = scale_labels(ScaleStep.objects.filter(version_id=version_id))  # 1
    organisations = list(Organisation.objects.filter(memberships__user_id=plan.user_id))  # 1
    addable = list(
        Practice.objects.filter(version_id=version_id)
        .exclude(key__in=[i.practice_key for i in items])
        .order_by("situation__order", "order")
    )  # 1
    # The person's plans, newest first (1): which one is current, which one precedes this one.
    plans = list(
        DevelopmentPlan.objects.filter(user_id=plan.user_id)
        .order_by("-assessment__submitted_at", "-pk")
        .values_list("pk", flat=True)
    )
    position = plans.index(plan.pk)
    previous_id = plans[position + 1] if position + 1 < len(plans) else None
    to_review = 0
    if previous_id is not None and plan.reviewed_at is None:
        to_review = PlanItem.objects.filter(
            plan_id=previous_id, status__in=OPEN_STATUSES, reviewed_at__isnull=True
        ).count()  # 1
    return PlanPage(
        plan=plan,
        items=items,
        groups=groups,
        attached=attached,
        labels=labels,
        organisations=organisations,
        addable=addable,
        to_review=to_review,
        is_current=position == 0,
        overdue=sum(1 for i in items if i.overdue),
    )


# --- the team ------------------------------------------------------------------------------------


@dataclass
class TeamPractice:
    practice: Practice
    members: list[dict[str, Any]] = field(default_factory=list)  # name, way, status, due_on

    @property
    def internal(self) -> list[str]:
        return [m["name"] for m in self.members if m["way"] in (1, 3)]

    @property
    def partnership(self) -> list[str]:
        return [m["name"] for m in self.members if m["way"] in (2, 3)]


@dataclass
class TeamPlans:
    members: list[str]  # who shares a plan
    practices: list[TeamPractice]  # every practice of the current grid, in its order
    items: int = 0

    @property
    def developed(self) -> list[TeamPractice]:
        return [p for p in self.practices if p.members]

    @property
    def by_nobody(self) -> list[TeamPractice]:
        return [p for p in self.practices if not p.members]

    @property
    def internal(self) -> list[TeamPractice]:
        return [p for p in self.practices if p.internal]

    @property
    def partnership(self) -> list[TeamPractice]:
        return [p for p in self.practices if p.partnership]


def team_plans(organisation: Organisation, practices: list[Practice]) -> TeamPlans:
    """What the members who share their plan with the organisation decide to develop: each one's
    latest shared plan, its open and reached items — never notes, never an unshared plan, never
    a former member's. 2 queries whatever the number of members and items; ``practices`` are
    those of the current grid, in its order."""
    member = Exists(
        OrganisationMembership.objects.filter(
            organisation=organisation, user_id=OuterRef("user_id")
        )
    )
    plans = list(
        DevelopmentPlan.objects.filter(shared_with=organisation)
        .filter(member)
        .select_related("user")
        .order_by("user_id", "-created_at")
        .distinct("user_id")
    )
    names = {p.pk: p.user.get_full_name() or p.user.username for p in plans}
    items = list(
        PlanItem.objects.filter(plan__in=list(names))
        .exclude(status=PlanStatus.DROPPED)
        .only("plan_id", "practice_key", "way", "status", "due_on")
    )
    rows = {p.key: TeamPractice(p) for p in practices}
    ways = dict(DevelopmentWay.choices)
    statuses = dict(PlanStatus.choices)
    for item in sorted(items, key=lambda i: names[i.plan_id]):
        row = rows.get(item.practice_key)
        if row is None:  # a practice no longer in the current grid
            continue
        row.members.append(
            {
                "name": names[item.plan_id],
                "way": item.way,
                "way_label": ways.get(item.way, "façon non précisée") if item.way else None,
                "status": statuses[item.status],
                "due_on": item.due_on,
            }
        )
    return TeamPlans(
        members=sorted(names.values()), practices=list(rows.values()), items=len(items)
    )


def reached_since_previous(previous: Assessment | None) -> list[PlanItem]:
    """Items of the plan of the previous assessment marked « atteint » (the results page)."""
    if previous is None:
        return []
    return list(
        PlanItem.objects.filter(plan__assessment=previous, status=PlanStatus.REACHED).order_by(
            "practice_code"
        )
    )


def scale_labels_of(plan: DevelopmentPlan) -> dict[str, dict[int, str]]:
    return scale_labels(ScaleStep.objects.filter(version_id=plan.assessment.version_id))


# --- the review ---------------------------------------------------------------------------------


def target_met(item: PlanItem, answer: Answer | None) -> bool | None:
    """True when the new answer reaches every target set; None when the item has no target."""
    if item.target_frequency is None and item.target_involvement is None:
        return None
    if answer is None or answer.not_concerned or answer.frequency is None:
        return False
    if item.target_frequency is not None and answer.frequency < item.target_frequency:
        return False
    return not (
        item.target_involvement is not None
        and (answer.involvement is None or answer.involvement < item.target_involvement)
    )


def open_items(previous: DevelopmentPlan) -> list[PlanItem]:
    return list(
        PlanItem.objects.filter(
            plan=previous, status__in=OPEN_STATUSES, reviewed_at__isnull=True
        ).order_by("practice_code")
    )


def successors(plan: DevelopmentPlan, keys: list[uuid.UUID]) -> dict[uuid.UUID, Practice]:
    """Each old key's practice in the plan's grid version: the same key, or the one key a split
    or a merge recorded for it (3 queries at most, whatever the number of items)."""
    version_id = plan.assessment.version_id
    practices = {p.key: p for p in Practice.objects.filter(version_id=version_id)}
    found = {key: practices[key] for key in keys if key in practices}
    missing = [key for key in keys if key not in found]
    if missing:
        lineage: dict[uuid.UUID, list[uuid.UUID]] = {}
        for old, new in KeyLineage.objects.filter(
            old_key__in=missing, element_type="practice"
        ).values_list("old_key", "new_key"):
            lineage.setdefault(old, []).append(new)
        for old, news in lineage.items():
            candidates = [practices[n] for n in news if n in practices]
            if len(candidates) == 1:  # a split into several practices is left to the person
                found[old] = candidates[0]
    return found


def review_pending(assessment_id: int) -> DevelopmentPlan | None:
    """The plan of a just-submitted assessment when its previous plan has items to review."""
    plan = (
        DevelopmentPlan.objects.filter(assessment_id=assessment_id)
        .select_related("assessment")
        .first()
    )
    if plan is None or plan.reviewed_at is not None:
        return None
    previous = previous_plan(plan)
    return plan if previous is not None and open_items(previous) else None
