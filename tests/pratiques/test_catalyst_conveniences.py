"""Leave an organisation, delete one assessment, pre-fill the next one, export dates in Paris time."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User

from pratiques.models import Assessment, Organisation, OrganisationMembership, PeerBucket
from tests.conftest import logged_in, ok
from tests.pratiques.helpers import start, submitted


def _n_peers() -> int:
    return PeerBucket.objects.get(group_kind="all", dimension="n").count


@pytest.mark.django_db
def test_delete_one_assessment_withdraws_it_from_the_peers(alice: User, bob: User, geo) -> None:
    first = submitted(alice, geo.vincennes, 2, 3)
    second = submitted(alice, geo.vincennes, 1, 1)
    submitted(bob, geo.vincennes, 3, 3)
    assert _n_peers() == 3
    client = logged_in(alice)
    page = client.get(f"/pratiques/evaluations/{first.pk}/supprimer/").content.decode()
    assert "retirée des statistiques anonymisées" in page
    refused = client.post(f"/pratiques/evaluations/{first.pk}/supprimer/", {})
    assert Assessment.objects.filter(pk=first.pk).exists()  # no confirmation, nothing deleted
    html = ok(refused, 400).content.decode()  # the page again, the error beside the box
    assert 'aria-describedby="confirm-erreur"' in html and "Cochez la case" in html
    response = client.post(f"/pratiques/evaluations/{first.pk}/supprimer/", {"confirm": "oui"})
    assert response["Location"] == "/pratiques/"
    assert not Assessment.objects.filter(pk=first.pk).exists()
    assert Assessment.objects.filter(pk=second.pk).exists()
    assert _n_peers() == 2


@pytest.mark.django_db
def test_nobody_else_deletes_an_assessment(alice: User, bob: User, geo) -> None:
    mine = submitted(alice, geo.vincennes, 2, 3)
    assert (
        logged_in(bob)
        .post(f"/pratiques/evaluations/{mine.pk}/supprimer/", {"confirm": "oui"})
        .status_code
        == 404
    )
    assert Assessment.objects.filter(pk=mine.pk).exists()


@pytest.mark.django_db
def test_leave_an_organisation_stops_sharing(alice: User, bob: User, geo) -> None:
    mine = submitted(alice, geo.vincennes, 2, 3, organisation_name="Asso", share=True)
    organisation = Organisation.objects.get(name="Asso")
    OrganisationMembership.objects.create(organisation=organisation, user=bob)
    client = logged_in(alice)
    assert "Quitter l'organisation" in client.get("/pratiques/").content.decode()
    response = client.post(f"/pratiques/organisations/{organisation.pk}/quitter/")
    assert response.status_code == 302
    assert not OrganisationMembership.objects.filter(user=alice).exists()
    mine.refresh_from_db()
    assert not mine.shared_with_organisation
    assert logged_in(alice).get(f"/pratiques/organisations/{organisation.pk}/").status_code == 404
    # Leaving twice, or an organisation one is not in: 404.
    assert client.post(f"/pratiques/organisations/{organisation.pk}/quitter/").status_code == 404


@pytest.mark.django_db
def test_a_new_assessment_is_prefilled_from_the_previous_one(alice: User, geo) -> None:
    submitted(
        alice,
        geo.saint_mande,
        2,
        3,
        organisation_name="Asso",
        profile="ingenieries",
        engineerings=("catalyse-territoriale",),
    )
    html = logged_in(alice).get("/pratiques/evaluations/nouvelle/").content.decode()
    assert "reprend le contexte de votre auto-évaluation précédente" in html
    assert "Saint-Mandé" in html
    organisation = Organisation.objects.get(name="Asso")
    assert f'<option value="{organisation.pk}" selected>' in html


@pytest.mark.django_db
def test_a_first_assessment_is_not_prefilled(alice: User, geo) -> None:
    html = logged_in(alice).get("/pratiques/evaluations/nouvelle/").content.decode()
    assert "reprend le contexte" not in html


@pytest.mark.django_db
def test_csv_dates_are_in_paris_time(alice: User, geo) -> None:
    assessment = submitted(alice, geo.vincennes, 2, 3)
    # 23:30 UTC on 31 December is already 1 January in Paris.
    Assessment.objects.filter(pk=assessment.pk).update(
        submitted_at=datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC)
    )
    body = logged_in(alice).get(f"/pratiques/evaluations/{assessment.pk}/export.csv").content
    assert "2026-01-01" in body.decode("utf-8-sig")
    assert "2025-12-31" not in body.decode("utf-8-sig")


@pytest.mark.django_db
def test_a_draft_can_be_deleted_too(alice: User, geo) -> None:
    draft = start(alice, geo.vincennes)
    logged_in(alice).post(f"/pratiques/evaluations/{draft.pk}/supprimer/", {"confirm": "oui"})
    assert not Assessment.objects.filter(pk=draft.pk).exists()
