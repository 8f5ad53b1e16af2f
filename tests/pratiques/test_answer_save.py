from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from pratiques import services
from pratiques.models import Answer, Axis, GridStatus, GridVersion, Practice, Situation
from tests.conftest import logged_in
from tests.pratiques.helpers import current_practices, start, submitted

pytestmark = pytest.mark.django_db


def url(assessment, practice) -> str:
    return f"/pratiques/evaluations/{assessment.pk}/reponses/{practice.pk}/"


def test_it_saves_one_answer_in_at_most_6_queries(
    alice: User, geo, htmx, django_assert_max_num_queries
) -> None:
    assessment = start(alice, geo.vincennes)
    practice = current_practices()[0]
    client = logged_in(alice)
    with django_assert_max_num_queries(6):
        response = client.post(
            url(assessment, practice),
            {f"p{practice.pk}-frequency": "2", f"p{practice.pk}-involvement": "1"},
            headers=htmx,
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Enregistré" in html
    assert "1 / 24" in html and 'hx-swap-oob="true"' in html
    answer = Answer.objects.get(assessment=assessment, practice=practice)
    assert (answer.frequency, answer.involvement) == (2, 1)


def test_saving_again_updates_the_same_row(alice: User, geo, htmx) -> None:
    assessment = start(alice, geo.vincennes)
    practice = current_practices()[0]
    client = logged_in(alice)
    client.post(url(assessment, practice), {f"p{practice.pk}-frequency": "2"}, headers=htmx)
    html = client.post(
        url(assessment, practice), {f"p{practice.pk}-frequency": "nc"}, headers=htmx
    ).content.decode()
    assert "non concerné·e" in html and "1 / 24" in html
    answer = Answer.objects.get(assessment=assessment, practice=practice)
    assert answer.not_concerned and answer.frequency is None


def test_two_tabs_each_keep_their_own_practice(alice: User, geo, htmx) -> None:
    assessment = start(alice, geo.vincennes)
    p1, p2 = current_practices()[:2]
    tab1, tab2 = logged_in(alice), logged_in(alice)
    tab1.post(url(assessment, p1), {f"p{p1.pk}-frequency": "3"}, headers=htmx)
    html = tab2.post(
        url(assessment, p2), {f"p{p2.pk}-frequency": "1"}, headers=htmx
    ).content.decode()
    assert "2 / 24" in html
    # A second start in the other tab resumes the same draft instead of forking.
    assert start(alice, geo.vincennes).pk == assessment.pk


def test_without_htmx_it_redirects_to_the_practice(alice: User, geo) -> None:
    assessment = start(alice, geo.vincennes)
    practice = current_practices()[0]
    response = logged_in(alice).post(url(assessment, practice), {f"p{practice.pk}-frequency": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#pratique-{practice.pk}")


def test_bad_value_is_a_400_with_a_french_message(alice: User, geo, htmx) -> None:
    assessment = start(alice, geo.vincennes)
    practice = current_practices()[0]
    response = logged_in(alice).post(
        url(assessment, practice), {f"p{practice.pk}-frequency": "x"}, headers=htmx
    )
    assert response.status_code == 400
    assert "Valeur inconnue" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_submitted_assessment_is_locked(alice: User, geo, htmx) -> None:
    assessment = submitted(alice, geo.vincennes, 2, 2)
    practice = current_practices()[0]
    response = logged_in(alice).post(
        url(assessment, practice), {f"p{practice.pk}-frequency": "0"}, headers=htmx
    )
    assert response.status_code == 409
    assert Answer.objects.get(assessment=assessment, practice=practice).frequency == 2
    with pytest.raises(services.AssessmentLocked):
        services.answer_save(
            assessment_id=assessment.pk,
            user_id=alice.pk,
            practice_id=practice.pk,
            data=services.AnswerData(frequency=0),
        )
    # A new one can be started afterwards.
    assert start(alice, geo.vincennes).pk != assessment.pk


def test_it_checks_ownership(alice: User, charlie: User, geo, htmx) -> None:
    assessment = start(alice, geo.vincennes)
    practice = current_practices()[0]
    response = logged_in(charlie).post(
        url(assessment, practice), {f"p{practice.pk}-frequency": "1"}, headers=htmx
    )
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_version_pinning_refuses_practices_of_another_version(alice: User, geo, htmx) -> None:
    assessment = start(alice, geo.vincennes)
    old = GridVersion.objects.get(slug="2024")
    # A new version is published: the draft stays on 2024 and only takes 2024's practices.
    new = GridVersion.objects.create(label="2026", slug="2026", status=GridStatus.DRAFT)
    axis = Axis.objects.create(version=new, code="1", title="A", lever="gestion")
    situation = Situation.objects.create(version=new, axis=axis, code="1", title="S")
    foreign = Practice.objects.create(version=new, situation=situation, code="1.1", label="P")
    old.status = GridStatus.ARCHIVED
    old.save()
    new.status = GridStatus.PUBLISHED
    new.save()
    client = logged_in(alice)
    assert (
        client.post(
            url(assessment, foreign), {f"p{foreign.pk}-frequency": "1"}, headers=htmx
        ).status_code
        == 404
    )
    assessment.refresh_from_db()
    assert assessment.version_id == old.pk
    page = client.get(f"/pratiques/evaluations/{assessment.pk}/").content.decode()
    assert page.count('class="practice') == 24 and "grille 2024" in page


def test_a_database_outage_answers_503_in_french_and_saves_nothing(
    alice: User, geo, htmx, monkeypatch
) -> None:
    from django.db import OperationalError

    assessment = start(alice, geo.vincennes)
    practice = current_practices()[0]

    def unavailable(**kwargs: object) -> None:
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(services, "answer_save", unavailable)
    response = logged_in(alice).post(
        url(assessment, practice), {f"p{practice.pk}-frequency": "2"}, headers=htmx
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    assert "Service momentanément indisponible" in response.content.decode()
    assert "<html" not in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment).exists()
