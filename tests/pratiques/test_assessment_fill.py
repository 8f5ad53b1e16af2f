from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from pratiques.models import Answer
from tests.conftest import logged_in
from tests.pratiques.helpers import current_practices, start

pytestmark = pytest.mark.django_db


def test_it_shows_every_practice_with_scope_notes_and_accessible_groups(
    alice: User, geo, django_assert_num_queries
) -> None:
    assessment = start(alice, geo.vincennes)
    client = logged_in(alice)
    with django_assert_num_queries(8):
        response = client.get(f"/pratiques/evaluations/{assessment.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="practice') == 24
    assert "De la négociation à l&#x27;évaluation" in html
    assert '<legend>Fréquence <a href="#echelle-frequence"' in html
    assert html.count("Quelques fois par an") == 1  # each scale explained once, not 24 times
    assert "Non concerné·e" in html
    assert "0 / 24" in html
    assert 'hx-sync="this:replace"' in html


def test_htmx_fragment(alice: User, geo, htmx) -> None:
    assessment = start(alice, geo.vincennes)
    html = (
        logged_in(alice)
        .get(f"/pratiques/evaluations/{assessment.pk}/", headers=htmx)
        .content.decode()
    )
    assert "<html" not in html and 'id="grid-form"' in html


def test_the_form_posts_without_javascript(alice: User, geo) -> None:
    assessment = start(alice, geo.vincennes)
    p1, p2, p3 = current_practices()[:3]
    response = logged_in(alice).post(
        f"/pratiques/evaluations/{assessment.pk}/",
        {
            f"p{p1.pk}-frequency": "2",
            f"p{p1.pk}-involvement": "3",
            f"p{p1.pk}-carrying": "2",
            f"p{p1.pk}-develop": "on",
            f"p{p2.pk}-frequency": "nc",
            f"p{p3.pk}-comment": "à voir",
            "next": "save",
        },
    )
    assert response.status_code == 302
    answers = {a.practice_id: a for a in Answer.objects.filter(assessment=assessment)}
    assert (answers[p1.pk].frequency, answers[p1.pk].involvement, answers[p1.pk].carrying) == (
        2,
        3,
        2,
    )
    assert answers[p1.pk].wants_to_develop
    assert answers[p2.pk].not_concerned and answers[p2.pk].frequency is None
    assert answers[p3.pk].comment == "à voir" and not answers[p3.pk].is_answered
    page = logged_in(alice).get(f"/pratiques/evaluations/{assessment.pk}/").content.decode()
    assert "2 / 24" in page


def test_a_stale_second_tab_does_not_erase_answers(alice: User, geo) -> None:
    assessment = start(alice, geo.vincennes)
    p1, p2 = current_practices()[:2]
    client = logged_in(alice)
    client.post(
        f"/pratiques/evaluations/{assessment.pk}/reponses/{p1.pk}/", {f"p{p1.pk}-frequency": "3"}
    )
    # The other tab, opened before, posts its whole form with only p2 filled.
    client.post(f"/pratiques/evaluations/{assessment.pk}/", {f"p{p2.pk}-frequency": "1"})
    values = dict(
        Answer.objects.filter(assessment=assessment).values_list("practice_id", "frequency")
    )
    assert values == {p1.pk: 3, p2.pk: 1}


def test_bad_input_gives_a_french_message_and_keeps_answers(alice: User, geo) -> None:
    assessment = start(alice, geo.vincennes)
    p1, p2 = current_practices()[:2]
    client = logged_in(alice)
    response = client.post(
        f"/pratiques/evaluations/{assessment.pk}/",
        {f"p{p1.pk}-frequency": "9", f"p{p2.pk}-frequency": "1"},
        follow=True,
    )
    assert "Valeur inconnue pour « fréquence »" in response.content.decode()
    assert list(
        Answer.objects.filter(assessment=assessment).values_list("practice_id", flat=True)
    ) == [p2.pk]


def test_it_checks_ownership_and_role(alice: User, charlie: User, elise: User, geo) -> None:
    assessment = start(alice, geo.vincennes)
    assert logged_in(charlie).get(f"/pratiques/evaluations/{assessment.pk}/").status_code == 404
    assert logged_in(elise).get(f"/pratiques/evaluations/{assessment.pk}/").status_code == 403
    assert logged_in(alice).get("/pratiques/evaluations/999999/").status_code == 404
