from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from pratiques import services
from pratiques.models import AssessmentScore, PeerBucket, Situation
from tests.conftest import logged_in
from tests.pratiques.helpers import answer_all, current_practices, peers, start, submitted

pytestmark = pytest.mark.django_db


def test_confirm_page(alice: User, geo, htmx) -> None:
    assessment = start(alice, geo.vincennes)
    client = logged_in(alice)
    html = client.get(f"/pratiques/evaluations/{assessment.pk}/valider/").content.decode()
    assert "<html" in html and "0 / 24" in html and "statistiques anonymisées" in html
    # The form is posted as a whole (no swap): an HTMX request gets the whole page.
    page = client.get(f"/pratiques/evaluations/{assessment.pk}/valider/", headers=htmx)
    assert "<html" in page.content.decode() and 'id="submit-form"' in page.content.decode()


def test_submitting_stores_scores_and_locks(alice: User, geo) -> None:
    assessment = start(alice, geo.vincennes)
    practices = current_practices()
    answer_all(assessment, 3, 3, only=practices[:3])  # situation 1 → 100
    answer_all(assessment, 0, None, only=practices[3:4])  # situation 2: one « jamais » → 0
    services.answer_save(
        assessment_id=assessment.pk,
        user_id=alice.pk,
        practice_id=practices[4].pk,
        data=services.AnswerData(not_concerned=True),
    )
    response = logged_in(alice).post(
        f"/pratiques/evaluations/{assessment.pk}/valider/", {"consent_statistics": "on"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.consent_statistics
    assert assessment.region == geo.idf and assessment.size_segment.code == "moins-de-50000"
    scores = {
        (s.kind, s.element_key): s.score
        for s in AssessmentScore.objects.filter(assessment=assessment)
    }
    s1, s2, s3 = Situation.objects.filter(version=assessment.version, code__in="123").order_by(
        "code"
    )
    assert scores[("situation", s1.key)] == 100
    assert scores[("situation", s2.key)] == 0  # « non concerné·e » left out, not averaged as 0
    assert ("situation", s3.key) not in scores  # nothing answered: no score
    assert scores[("axis", s1.axis.key)] == 50
    # Locked: the fill page sends to the results.
    assert (
        logged_in(alice)
        .get(f"/pratiques/evaluations/{assessment.pk}/")["Location"]
        .endswith("/resultats/")
    )


def test_without_consent_it_feeds_no_statistics(alice: User, geo) -> None:
    submitted(alice, geo.vincennes, 2, 2, consent=False)
    assert not PeerBucket.objects.exists()


def test_consent_can_be_changed_later(alice: User, geo) -> None:
    assessment = submitted(alice, geo.vincennes, 2, 2, consent=False)
    client = logged_in(alice)
    client.post(f"/pratiques/evaluations/{assessment.pk}/partage/", {"consent_statistics": "on"})
    assert PeerBucket.objects.get(group_kind="all", dimension="n").count == 1
    client.post(f"/pratiques/evaluations/{assessment.pk}/partage/", {})
    assert PeerBucket.objects.get(group_kind="all", dimension="n").count == 0


def test_incremental_histograms_equal_a_full_rebuild(alice: User, geo) -> None:
    peers(geo.vincennes, 3)
    peers(
        geo.saint_etienne,
        3,
        start_index=10,
        engineerings=("management-projets", "catalyse-territoriale"),
    )
    submitted(alice, geo.small_commune, 1, 2, profile="associations")
    state = lambda: sorted(  # noqa: E731
        PeerBucket.objects.filter(count__gt=0).values_list(
            "group_kind", "group_value", "dimension", "bucket", "count"
        )
    )
    incremental = state()
    services.peer_buckets_rebuild(version=alice.pratiques_assessments.first().version)
    assert state() == incremental
    assert ("all", 0, "n", 0, 7) in incremental


def test_the_page_recaps_the_answers_by_situation_with_what_is_missing(
    alice: User, geo, django_assert_max_num_queries
) -> None:
    assessment = start(alice, geo.vincennes)
    practices = current_practices()
    answer_all(assessment, 2, 1, carrying=2, only=practices[:3])
    services.answer_save(
        assessment_id=assessment.pk,
        user_id=alice.pk,
        practice_id=practices[3].pk,
        data=services.AnswerData(not_concerned=True),
    )
    client = logged_in(alice)
    with django_assert_max_num_queries(20):
        html = client.get(f"/pratiques/evaluations/{assessment.pk}/valider/").content.decode()
    assert "Récapitulatif de mes réponses" in html
    first = practices[0]
    line = html.split(f'<span class="code">{first.code}</span>')[1].split("</li>")[0]
    assert "implication :" in line and "portage :" in line
    assert "non concerné·e" in html
    assert html.count("<strong>sans réponse</strong>") == 20
    assert f"/pratiques/evaluations/{assessment.pk}/#pratique-{practices[5].pk}" in html
