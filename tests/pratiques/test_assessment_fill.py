from __future__ import annotations

import re
from html import unescape as html_unescape

import pytest
from django.contrib.auth.models import User

from pratiques import services
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
    # One request per practice at a time, the newest state last: an aborted request may already
    # have reached the server, and with threads it could land after the newer one.
    assert 'hx-sync="this:queue last"' in html


def test_no_fragment_of_the_form_page(alice: User, geo, htmx) -> None:
    """The form saves each answer through its own fragment (answer_save); the page itself is
    never swapped in, so an HTMX request gets the whole page."""
    assessment = start(alice, geo.vincennes)
    html = (
        logged_in(alice)
        .get(f"/pratiques/evaluations/{assessment.pk}/", headers=htmx)
        .content.decode()
    )
    assert "<html" in html and 'id="grid-form"' in html


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


def _rendered_form(client, assessment_pk: int) -> dict[str, str]:
    """What a browser without JavaScript posts back for an untouched form (checked + hidden)."""

    html = client.get(f"/pratiques/evaluations/{assessment_pk}/").content.decode()
    form: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        kind = re.search(r'type="([^"]+)"', tag).group(1)
        if kind == "hidden" or (kind in ("radio", "checkbox") and " checked" in tag):
            form[name.group(1)] = value.group(1) if value else "on"
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        form[name] = html_unescape(text).replace("\r\n", "\n").replace("\n", "\r\n")
    return form


def test_a_stale_tab_without_javascript_never_overwrites_a_newer_autosave(
    alice: User, geo, htmx
) -> None:
    assessment = start(alice, geo.vincennes)
    p1, p2, p3 = current_practices()[:3]
    tab_a, tab_b = logged_in(alice), logged_in(alice)  # two sessions of the same person
    tab_a.post(
        f"/pratiques/evaluations/{assessment.pk}/reponses/{p1.pk}/",
        {f"p{p1.pk}-frequency": "1", f"p{p1.pk}-comment": "ligne 1\r\nligne 2"},
        headers=htmx,
    )
    stale = _rendered_form(tab_a, assessment.pk)  # tab A renders the form, then waits
    assert stale[f"p{p1.pk}-frequency"] == "1"

    # Tab B autosaves newer answers to p1 (changed) and p2 (new).
    for practice, value in ((p1, "3"), (p2, "2")):
        response = tab_b.post(
            f"/pratiques/evaluations/{assessment.pk}/reponses/{practice.pk}/",
            {f"p{practice.pk}-frequency": value},
            headers=htmx,
        )
        assert response.status_code == 200

    # Tab A posts the whole form, having changed only p3.
    stale[f"p{p3.pk}-frequency"] = "2"
    response = tab_a.post(f"/pratiques/evaluations/{assessment.pk}/", stale, follow=True)
    assert response.status_code == 200
    answers = {a.practice_id: a for a in Answer.objects.filter(assessment=assessment)}
    assert answers[p1.pk].frequency == 3  # tab B's newer value is kept
    assert answers[p2.pk].frequency == 2
    assert answers[p3.pk].frequency == 2  # tab A's own change is written
    html = response.content.decode()
    assert "Vos réponses sont enregistrées." in html, re.findall(r"class=\"message[^<]*", html)


def test_a_change_made_in_both_tabs_keeps_the_newer_and_says_so(alice: User, geo, htmx) -> None:
    assessment = start(alice, geo.vincennes)
    p1 = current_practices()[0]
    tab_a, tab_b = logged_in(alice), logged_in(alice)
    stale = _rendered_form(tab_a, assessment.pk)
    tab_b.post(
        f"/pratiques/evaluations/{assessment.pk}/reponses/{p1.pk}/",
        {f"p{p1.pk}-frequency": "3"},
        headers=htmx,
    )
    stale[f"p{p1.pk}-frequency"] = "1"
    stale["next"] = "submit"
    response = tab_a.post(f"/pratiques/evaluations/{assessment.pk}/", stale, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/pratiques/evaluations/{assessment.pk}/"
    assert "une réponse plus récente a été enregistrée depuis un autre onglet" in html
    assert Answer.objects.get(assessment=assessment, practice=p1).frequency == 3
    assert f'name="p{p1.pk}-frequency" value="3" checked' in html


def test_the_autosave_refreshes_the_fingerprint_of_its_own_tab(alice: User, geo, htmx) -> None:
    assessment = start(alice, geo.vincennes)
    p1 = current_practices()[0]
    client = logged_in(alice)
    form = _rendered_form(client, assessment.pk)
    response = client.post(
        f"/pratiques/evaluations/{assessment.pk}/reponses/{p1.pk}/",
        {f"p{p1.pk}-frequency": "2"},
        headers=htmx,
    )
    seen = services.answer_fingerprint(services.AnswerData(frequency=2))
    assert f'id="vu-{p1.pk}" value="{seen}" hx-swap-oob="true"' in response.content.decode()
    # The same tab then posts the whole form with the fingerprint the autosave sent back.
    form[f"p{p1.pk}-frequency"], form[f"p{p1.pk}-seen"] = "2", seen
    response = client.post(f"/pratiques/evaluations/{assessment.pk}/", form, follow=True)
    assert "plus récente" not in response.content.decode()
    assert Answer.objects.get(assessment=assessment, practice=p1).frequency == 2


def test_the_scales_are_explained_once_without_a_tab_stop_per_scale(alice: User, geo) -> None:
    assessment = start(alice, geo.vincennes)
    html = logged_in(alice).get(f"/pratiques/evaluations/{assessment.pk}/").content.decode()
    assert html.count('class="scale-help">') == 0  # every help link carries tabindex="-1"
    assert html.count('class="scale-help" tabindex="-1"') == 72
    assert 'id="echelles"' in html  # the one explanation, one tab stop
