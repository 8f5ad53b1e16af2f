"""The review at the next self-assessment: each open item of the previous plan beside the new
answers (same stable key, or its successor recorded in the key lineage), proposed « atteint » when
its target is reached; the person confirms, carries it into the new plan, or drops it."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from config.roles import Role, role_required
from config.types import AuthenticatedHttpRequest
from pratiques.models import (
    Answer,
    DevelopmentPlan,
    PlanItem,
    Practice,
    ScaleStep,
)
from pratiques.plan import queries
from pratiques.plan.queries import open_items, successors, target_met
from pratiques.plan.services import PlanRefused, plan_review_apply
from pratiques.plan.views import own_plan
from pratiques.queries import scale_labels

DECISIONS = {
    "atteint": "Atteint",
    "reporter": "Reporter dans mon nouveau plan",
    "abandonner": "Abandonner",
}


@dataclass
class ReviewRow:
    item: PlanItem
    practice: Practice | None  # the practice in the new grid version (None: removed from it)
    answer: Answer | None
    met: bool | None
    proposed: str


def review_rows(plan: DevelopmentPlan, previous: DevelopmentPlan) -> list[ReviewRow]:
    items = open_items(previous)
    found = successors(plan, [i.practice_key for i in items])
    answers = {a.practice_id: a for a in Answer.objects.filter(assessment_id=plan.assessment_id)}
    rows = []
    for item in items:
        practice = found.get(item.practice_key)
        answer = answers.get(practice.pk) if practice else None
        met = target_met(item, answer)
        proposed = "atteint" if met else "reporter" if practice else "abandonner"
        rows.append(ReviewRow(item, practice, answer, met, proposed))
    return rows


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CATALYST)
def plan_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = own_plan(request, pk)
    previous = queries.previous_plan(plan)
    rows = review_rows(plan, previous) if previous else []
    if not rows:
        messages.info(
            request, "Aucun bilan à faire : votre plan précédent n'a plus d'élément ouvert."
        )
        return redirect(plan)
    error = None
    if request.method == "POST":
        decisions = {row.item.pk: request.POST.get(f"e{row.item.pk}", "") for row in rows}
        try:
            plan_review_apply(plan_id=plan.pk, user=request.user, decisions=decisions)
        except PlanRefused as refusal:
            error = refusal.text
            for row in rows:
                if decisions.get(row.item.pk) in DECISIONS:
                    row.proposed = decisions[row.item.pk]
        else:
            messages.success(request, "Le bilan de votre plan précédent est enregistré.")
            return redirect(plan)
    context = {
        "plan": plan,
        "previous": previous,
        "rows": rows,
        "labels": scale_labels(ScaleStep.objects.filter(version_id=plan.assessment.version_id)),
        "decisions": DECISIONS,
        "error": error,
    }
    template = "pratiques/plan_review.html"
    return render(request, template, context, status=400 if error else 200)
