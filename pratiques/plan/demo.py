"""The demo catalyst's development plans (« données de démonstration »): a reviewed plan from the
first assessment and a current one with items in every status, shared with the demo organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pratiques.models import (
    Answer,
    Assessment,
    DevelopmentPlan,
    DevelopmentWay,
    PlanItem,
    PlanStatus,
)
from pratiques.plan.services import attach_resources

# (practice code, status, way, target frequency, partner, due date) — fixed, so the demo is stable.
PREVIOUS = [
    ("2.1", PlanStatus.REACHED, DevelopmentWay.INTERNAL, 2, "", dt.date(2025, 12, 15)),
    (
        "5.2",
        PlanStatus.DOING,
        DevelopmentWay.PARTNERSHIP,
        2,
        "Agence d'urbanisme",
        dt.date(2025, 11, 30),
    ),
    ("8.3", PlanStatus.DROPPED, DevelopmentWay.BOTH, 1, "", dt.date(2025, 10, 1)),
]
CURRENT = [
    (
        "5.2",
        PlanStatus.DOING,
        DevelopmentWay.PARTNERSHIP,
        3,
        "Agence d'urbanisme",
        dt.date(2026, 10, 30),
    ),
    ("3.1", PlanStatus.TODO, DevelopmentWay.INTERNAL, 2, "", dt.date(2027, 6, 30)),
    (
        "6.2",
        PlanStatus.TODO,
        DevelopmentWay.PARTNERSHIP,
        2,
        "Conseil départemental",
        dt.date(2027, 3, 31),
    ),
    ("7.1", PlanStatus.REACHED, DevelopmentWay.INTERNAL, 2, "", dt.date(2026, 9, 30)),
    ("8.1", PlanStatus.DROPPED, DevelopmentWay.BOTH, 1, "", None),
]


def _plan(assessment: Assessment, rows: list[tuple[Any, ...]], **fields: Any) -> list[PlanItem]:
    plan = DevelopmentPlan.objects.create(
        assessment=assessment, user_id=assessment.user_id, is_demo=True, **fields
    )
    practices = {
        a.practice.code: a.practice
        for a in Answer.objects.filter(assessment=assessment).select_related("practice")
    }
    items = PlanItem.objects.bulk_create(
        [
            PlanItem(
                plan=plan,
                practice_key=practices[code].key,
                practice_code=code,
                practice_label=practices[code].label,
                status=status,
                status_on=(due or dt.date(2026, 4, 1)) if status != PlanStatus.TODO else None,
                way=way,
                target_frequency=frequency,
                partner=partner,
                starts_on=dt.date(2026, 4, 1) if due and due.year >= 2026 else None,
                due_on=due,
                note="Note personnelle de démonstration : jamais montrée à l'équipe.",
            )
            for code, status, way, frequency, partner, due in rows
            if code in practices
        ]
    )
    attach_resources(items)
    return items


def load_demo_plans(*, assessments: list[Assessment], organisation: Any) -> int:
    """Plans of the demo catalyst's two submitted assessments (oldest first)."""
    first, latest = assessments
    old = _plan(first, PREVIOUS, reviewed_at=None)
    new = _plan(latest, CURRENT, shared_with=organisation)
    reviewed = timezone.now()
    carried = {i.practice_code: i for i in old}.get("5.2")
    if carried is not None:
        PlanItem.objects.filter(plan=new[0].plan, practice_code="5.2").update(carried_from=carried)
    PlanItem.objects.filter(pk__in=[i.pk for i in old]).update(reviewed_at=reviewed)
    DevelopmentPlan.objects.filter(pk=new[0].plan_id if new else -1).update(reviewed_at=reviewed)
    return len(old) + len(new)
