from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from pratiques import services
from pratiques.models import DevelopmentPlan, PlanItem, PlanStatus
from pratiques.services import AnswerData
from tests.conftest import logged_in, ok
from tests.pratiques.helpers import start
from tests.pratiques.plan_helpers import attach, first_practices, with_plan

pytestmark = pytest.mark.django_db


def second_submission(user: User, geo, answers: dict[int, AnswerData]) -> tuple:
    """A second assessment answered through the fill form's service, submitted through the view."""
    draft = start(user, geo.vincennes)
    for index, practice in enumerate(first_practices(24)):
        data = answers.get(index, AnswerData(frequency=1, involvement=1, carrying=1))
        services.answer_save(
            assessment_id=draft.pk, user_id=user.pk, practice_id=practice.pk, data=data
        )
    client = logged_in(user)
    response = client.post(
        f"/pratiques/evaluations/{draft.pk}/valider/", {"consent_statistics": ""}
    )
    return draft, client, response


def test_review_marks_reached_and_carries_another(
    alice: User, geo, django_assert_num_queries
) -> None:
    practices = first_practices(3)
    resource = attach(practices[1], "Guide")[0]
    _, old_plan = with_plan(alice, geo.vincennes, [0, 1, 2])
    first, second, third = old_plan.items.order_by("practice_code")
    # targets: 0 → régulièrement (2) ; 1 → au quotidien (3) ; 2 → none
    PlanItem.objects.filter(pk=first.pk).update(target_frequency=2, target_involvement=2)
    PlanItem.objects.filter(pk=second.pk).update(target_frequency=3, partner="Région", way=2)
    draft, client, response = second_submission(
        alice,
        geo,
        {
            0: AnswerData(frequency=2, involvement=2, carrying=1),  # target met
            1: AnswerData(frequency=2, involvement=3, carrying=1, wants_to_develop=True),
        },
    )
    new_plan = DevelopmentPlan.objects.get(assessment=draft)
    assert response["Location"] == f"/pratiques/plan/{new_plan.pk}/bilan/"
    with django_assert_num_queries(10):
        html = ok(client.get(response["Location"])).content.decode()
    assert html.count("Cible atteinte") == 1 and "Cible pas encore atteinte" in html
    assert f'name="e{first.pk}" value="atteint" checked' in html
    assert f'name="e{second.pk}" value="reporter" checked' in html
    # A page of its own (no swap): an HTMX request gets the whole page.
    whole = ok(client.get(response["Location"], headers={"HX-Request": "true"})).content
    assert b"<html" in whole and b'id="review"' in whole
    # a refused review (a decision missing) says so in French and writes nothing
    refused = client.post(response["Location"], {f"e{first.pk}": "atteint"})
    assert (
        refused.status_code == 400 and "Choisissez, pour chaque élément" in refused.content.decode()
    )
    ok(
        client.post(
            response["Location"],
            {f"e{first.pk}": "atteint", f"e{second.pk}": "reporter", f"e{third.pk}": "abandonner"},
        ),
        302,
    )
    first.refresh_from_db()
    third.refresh_from_db()
    assert first.status == PlanStatus.REACHED and third.status == PlanStatus.DROPPED
    carried = PlanItem.objects.get(plan=new_plan, practice_key=practices[1].key)
    assert carried.carried_from_id == second.pk
    assert (carried.partner, carried.way, carried.target_frequency) == ("Région", 2, 3)
    assert resource in carried.resources.all()
    assert new_plan.items.count() == 1  # ticked again and carried: one item, not two
    # the results page's comparison over time names the item reached
    html = client.get(f"/pratiques/evaluations/{draft.pk}/resultats/").content.decode()
    assert "Atteint depuis" in html and practices[0].label in html
    # nothing left to review
    assert client.get(f"/pratiques/plan/{new_plan.pk}/bilan/").status_code == 302


def test_review_queries_do_not_grow_with_items(
    alice: User, bob: User, geo, django_assert_num_queries
) -> None:
    counts = []
    for user, ticked in ((alice, [0]), (bob, list(range(10)))):
        with_plan(user, geo.vincennes, ticked)
        _draft, client, response = second_submission(user, geo, {})
        with django_assert_num_queries(10) as context:
            ok(client.get(response["Location"]))
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


def test_a_new_grid_version_keeps_the_items_by_stable_key(alice: User, nadia: User, geo) -> None:
    from pratiques.curation import services as curation
    from pratiques.models import Practice

    old = first_practices(3)
    _, old_plan = with_plan(alice, geo.vincennes, [0, 2])
    kept, removed = old_plan.items.order_by("practice_code")
    draft = curation.version_copy(actor=nadia, label="2025")
    curation.element_update(
        actor=nadia,
        element=Practice.objects.get(version=draft, key=old[0].key),
        changes={"label": "Financer l’ingénierie du territoire"},
    )
    curation.element_remove(
        actor=nadia, element=Practice.objects.get(version=draft, key=old[2].key)
    )
    curation.version_publish(actor=nadia, version=draft)
    new_assessment, client, response = second_submission(alice, geo, {})
    assert new_assessment.version.label == "2025"
    html = ok(client.get(response["Location"])).content.decode()
    assert "Financer l’ingénierie du territoire" in html  # the same practice, by its key
    assert "n'est plus dans la grille 2025" in html
    assert f'name="e{removed.pk}" value="reporter" disabled' in html
    refused = client.post(
        response["Location"], {f"e{kept.pk}": "reporter", f"e{removed.pk}": "reporter"}
    )
    assert refused.status_code == 400
    ok(
        client.post(
            response["Location"], {f"e{kept.pk}": "reporter", f"e{removed.pk}": "abandonner"}
        ),
        302,
    )
    carried = PlanItem.objects.get(plan__assessment=new_assessment)
    assert carried.practice_key == old[0].key and carried.carried_from_id == kept.pk
    assert carried.practice_label == "Financer l’ingénierie du territoire"
