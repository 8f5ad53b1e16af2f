"""What the catalyst's views share: an own assessment (404 otherwise), the grid as filled."""

from __future__ import annotations

from django.http import Http404

from config.types import AuthenticatedHttpRequest
from pratiques import queries, services
from pratiques.models import Assessment


def own_assessment_or_404(request: AuthenticatedHttpRequest, pk: int) -> Assessment:
    assessment = queries.own_assessment(request.user, pk)
    if assessment is None:
        raise Http404("Auto-évaluation introuvable.")
    return assessment


def fill_context(assessment: Assessment) -> dict:
    tree = queries.grid_tree(assessment.version)
    answers = queries.answers_by_practice(assessment)
    for practice in tree.practices:
        practice.answer = answers.get(practice.pk)
        practice.seen = services.answer_fingerprint(practice.answer)
    progress = sum(a.is_answered for a in answers.values())
    return {
        "assessment": assessment,
        "tree": tree,
        "progress": progress,
        "total": len(tree.practices),
    }
