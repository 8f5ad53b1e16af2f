"""Carrying a draft assessment on an archived version forward to the current one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pratiques.curation.services import (
    assessment_move_forward,
    element_add,
    element_remove,
    version_publish,
)
from pratiques.models import Answer, ElementType, GridVersion, Practice
from tests.pratiques.curation_helpers import copy_current, draft_assessment

pytestmark = pytest.mark.django_db


def test_answers_with_persisting_keys_are_carried(nadia, alice, geo) -> None:
    v2024 = GridVersion.objects.get(slug="2024")
    assessment = draft_assessment(alice, v2024, geo.vincennes)
    draft = copy_current(nadia)
    gone = Practice.objects.get(version=draft, code="2.3")
    element_remove(actor=nadia, element=gone)
    element_add(
        actor=nadia,
        version=draft,
        kind=ElementType.PRACTICE,
        fields={"situation": gone.situation, "label": "Évaluer avec les partenaires"},
    )
    version_publish(actor=nadia, version=draft)

    report = assessment_move_forward(user=alice, assessment=assessment)

    assessment.refresh_from_db()
    assert assessment.version == draft
    assert report.carried == 23
    assert [p.label for p in report.dropped] == ["Mesurer les résultats"]
    answers = Answer.objects.filter(assessment=assessment).select_related("practice")
    assert {a.practice.version_id for a in answers} == {draft.pk}
    assert answers.count() == 23
    assert all(a.frequency == 2 for a in answers)


def test_only_the_author_and_only_a_draft(nadia, alice, bob, geo) -> None:
    v2024 = GridVersion.objects.get(slug="2024")
    assessment = draft_assessment(alice, v2024, geo.vincennes)
    with pytest.raises(ValidationError, match="déjà sur la version courante"):
        assessment_move_forward(user=alice, assessment=assessment)
    version_publish(actor=nadia, version=copy_current(nadia))
    with pytest.raises(ValidationError, match="pas la vôtre"):
        assessment_move_forward(user=bob, assessment=assessment)
    assessment.status = "submitted"
    assessment.submitted_at = assessment.created_at
    assessment.save()
    with pytest.raises(ValidationError, match="validée reste sur sa version"):
        assessment_move_forward(user=alice, assessment=assessment)
