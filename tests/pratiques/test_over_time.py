from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import User

from pratiques import services
from pratiques.models import Axis, GridStatus, GridVersion, Practice, Situation
from pratiques.queries import results
from tests.conftest import logged_in
from tests.pratiques.helpers import answer_all, current_practices, start, submitted

pytestmark = pytest.mark.django_db


def publish_copy_of_2024(*, renewed_practice_code: str) -> GridVersion:
    """A 2025 version copied from 2024 with the same keys, except one practice replaced."""
    old = GridVersion.objects.get(slug="2024")
    new = GridVersion.objects.create(label="2025", slug="2025", status=GridStatus.DRAFT)
    axes = {}
    for axis in Axis.objects.filter(version=old):
        axes[axis.pk] = Axis.objects.create(
            version=new,
            key=axis.key,
            code=axis.code,
            order=axis.order,
            title=axis.title,
            lever=axis.lever,
        )
    situations = {}
    for s in Situation.objects.filter(version=old):
        situations[s.pk] = Situation.objects.create(
            version=new, axis=axes[s.axis_id], key=s.key, code=s.code, order=s.order, title=s.title
        )
    for p in Practice.objects.filter(version=old):
        key = uuid.uuid4() if p.code == renewed_practice_code else p.key
        Practice.objects.create(
            version=new,
            situation=situations[p.situation_id],
            key=key,
            code=p.code,
            order=p.order,
            label=p.label,
        )
    old.status = GridStatus.ARCHIVED
    old.save()
    new.status = GridStatus.PUBLISHED
    new.save()
    return new


def test_same_version_comparison(alice: User, geo) -> None:
    submitted(alice, geo.vincennes, 1, 1)
    latest = submitted(alice, geo.vincennes, 3, 3)
    html = logged_in(alice).get(f"/pratiques/evaluations/{latest.pk}/resultats/").content.decode()
    assert "Ce qui a bougé" in html and html.count("▲ +67") == 8


def test_across_versions_only_persisting_practices_are_compared(alice: User, geo) -> None:
    first = submitted(alice, geo.vincennes, 1, 1)
    publish_copy_of_2024(renewed_practice_code="1.1")
    latest = submitted(alice, geo.vincennes, 3, 3)
    assert (first.version.label, latest.version.label) == ("2024", "2025")
    html = logged_in(alice).get(f"/pratiques/evaluations/{latest.pk}/resultats/").content.decode()
    assert "d'une version de la grille à l'autre" in html
    assert html.count("▲ +67") == 8  # situation 1 compared on 1.2 and 1.3 only
    assert "1 pratique sans réponse la dernière fois n’est pas comparée" in html  # the new 1.1
    first.refresh_from_db()
    assert first.version.label == "2024"  # pinned


def test_one_score_per_situation_and_what_is_left_out_is_said(alice: User, geo) -> None:
    """The previous assessment left practice 1.1 unanswered: the comparison is made on 1.2 and
    1.3 only and says so; the situation's score shown is the one of the score table."""
    practices = current_practices()
    first = start(alice, geo.vincennes)
    answer_all(first, 1, 1, only=[p for p in practices if p.code != "1.1"])
    services.assessment_submit(
        assessment_id=first.pk, user=alice, consent_statistics=True, share_with_organisation=False
    )
    latest = start(alice, geo.vincennes)
    answer_all(latest, 1, 1, only=[p for p in practices if p.code != "1.1"])
    answer_all(latest, 3, 3, only=[p for p in practices if p.code == "1.1"])
    latest = services.assessment_submit(
        assessment_id=latest.pk, user=alice, consent_statistics=True, share_with_organisation=False
    )
    data = results(latest)
    first_situation = data.tree.situations[0]
    change = data.comparison.changes[0]
    # « Mon score » of situation 1 is (100 + 33 + 33) / 3 = 56; no second score is computed.
    assert round(data.situation_scores[first_situation.key]) == 56
    assert change["score"] == data.situation_scores[first_situation.key]
    assert change["delta"] == 0 and change["compared"] == 2 and change["left_out"] == ["1.1"]
    assert data.comparison.left_out == [
        "1 pratique sans réponse la dernière fois n’est pas comparée"
    ]
    html = logged_in(alice).get(f"/pratiques/evaluations/{latest.pk}/resultats/").content.decode()
    time_section = html.split('id="time-title"')[1].split("</section>")[0]
    assert "1 pratique sans réponse la dernière fois n’est pas comparée" in time_section
    assert "(hors 1.1)" in time_section and "Avant" not in time_section
    assert ">56</td>" in time_section  # the same score as in the score table
