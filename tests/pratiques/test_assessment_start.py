from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from pratiques.models import Assessment
from territoires.models import ActorProfile, Engineering
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def form(geo, **extra) -> dict:
    return {
        "territory": "commune:94080",
        "actor_profile": ActorProfile.objects.get(code="ingenieries").pk,
        "engineerings": [e.pk for e in Engineering.objects.all()[:2]],
        "organisation_name": "Mairie de Vincennes",
        **extra,
    }


def test_it_shows_the_form(alice: User, htmx) -> None:
    client = logged_in(alice)
    html = client.get("/pratiques/evaluations/nouvelle/").content.decode()
    assert "Territoire d&#x27;action" in html and "Collectivités territoriales" in html
    # The form is posted as a whole (no swap): an HTMX request gets the whole page.
    page = client.get("/pratiques/evaluations/nouvelle/", headers=htmx).content.decode()
    assert "<html" in page and 'id="start-form"' in page


def test_it_starts_on_the_current_version_with_context(alice: User, geo) -> None:
    response = logged_in(alice).post("/pratiques/evaluations/nouvelle/", form(geo))
    assessment = Assessment.objects.get(user=alice)
    assert response["Location"] == f"/pratiques/evaluations/{assessment.pk}/"
    assert assessment.version.label == "2024" and assessment.territory == geo.vincennes
    assert assessment.engineerings.count() == 2
    assert assessment.organisation.name == "Mairie de Vincennes"
    assert alice.pratiques_organisations.count() == 1


def test_a_draft_is_resumed_not_duplicated(alice: User, geo) -> None:
    client = logged_in(alice)
    client.post("/pratiques/evaluations/nouvelle/", form(geo))
    draft = Assessment.objects.get(user=alice)
    html = client.get("/pratiques/evaluations/nouvelle/").content.decode()
    assert "Vous avez une auto-évaluation en cours" in html
    assert f'href="/pratiques/evaluations/{draft.pk}/"' in html and "Repartir de zéro" in html
    assert client.post("/pratiques/evaluations/nouvelle/", form(geo)).status_code == 200
    assert Assessment.objects.filter(user=alice).count() == 1


def test_starting_again_from_scratch_needs_the_box_then_erases_the_draft(alice: User, geo) -> None:
    client = logged_in(alice)
    client.post("/pratiques/evaluations/nouvelle/", form(geo))
    draft = Assessment.objects.get(user=alice)
    refused = client.post("/pratiques/evaluations/nouvelle/", {"action": "repartir"}, follow=True)
    assert refused.status_code == 400 and "Cochez la case" in refused.content.decode()
    assert Assessment.objects.filter(pk=draft.pk).exists()
    done = client.post(
        "/pratiques/evaluations/nouvelle/", {"action": "repartir", "confirmer_repartir": "oui"}
    )
    assert done.status_code == 302 and done["Location"] == "/pratiques/evaluations/nouvelle/"
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    assert "Commencer une auto-évaluation" in client.get(done["Location"]).content.decode()


def test_bad_input_is_redisplayed_in_french(alice: User, geo) -> None:
    response = logged_in(alice).post(
        "/pratiques/evaluations/nouvelle/", form(geo, territory="Atlantide", engineerings=[])
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Aucun territoire ne correspond à « Atlantide »" in html
    assert "Cochez au moins une ingénierie." in html
    assert 'value="Mairie de Vincennes"' in html
    assert not Assessment.objects.exists()


def test_roles(nadia: User) -> None:
    assert logged_in(nadia).get("/pratiques/evaluations/nouvelle/").status_code == 403
