"""What the catalyst's views share: an own assessment (404 otherwise), the grid as filled."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from config.types import AuthenticatedHttpRequest
from pratiques import queries, services
from pratiques.models import Assessment


def own_assessment_or_404(request: AuthenticatedHttpRequest, pk: int) -> Assessment:
    assessment = queries.own_assessment(request.user, pk)
    if assessment is None:
        raise Http404("Auto-évaluation introuvable.")
    return assessment


def fill_context(assessment: Assessment) -> dict[str, Any]:
    """The grid as the person filled it: the tree, the answers and the fingerprint of each
    practice's answer as the form posts it back (``seen``), keyed by practice id."""
    tree = queries.grid_tree(assessment.version)
    answers = queries.answers_by_practice(assessment)
    return {
        "assessment": assessment,
        "tree": tree,
        "answers": answers,
        "seen": {p.pk: services.answer_fingerprint(answers.get(p.pk)) for p in tree.practices},
        "progress": sum(a.is_answered for a in answers.values()),
        "total": len(tree.practices),
    }
