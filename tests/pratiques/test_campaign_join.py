from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import User
from django.core import signing

from pratiques.models import Assessment, Invitee
from tests.conftest import logged_in
from tests.pratiques.campaign_helpers import invited, link_for, make_campaign
from tests.pratiques.helpers import start

pytestmark = pytest.mark.django_db


def test_the_link_signs_in_creates_the_account_and_opens_a_draft(geo, client) -> None:
    campaign = invited(make_campaign(), 2)
    path = link_for("personne0000@exemple.fr")
    assert 'method="post"' in client.get(path).content.decode()  # a button: GET changes nothing
    assert not User.objects.get(email="personne0000@exemple.fr").is_active
    response = client.post(path)
    person = Invitee.objects.select_related("user", "assessment").get(
        email="personne0000@exemple.fr"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/pratiques/evaluations/{person.assessment.pk}/"
    assert person.user.is_active and person.user.groups.filter(name="catalyseur").exists()
    assert person.assessment.version == campaign.version and person.assessment.is_draft
    assert person.assessment.territory == geo.vincennes
    assert client.get(response["Location"]).status_code == 200  # signed in


def test_a_link_used_twice_is_refused(geo, client) -> None:
    invited(make_campaign(), 1)
    path = link_for("personne0000@exemple.fr")
    assert client.post(path).status_code == 302
    client.logout()
    response = client.post(path)
    assert response.status_code == 410
    assert "déjà été utilisé" in response.content.decode()


def test_an_expired_link_is_refused(geo, client, monkeypatch, settings) -> None:
    invited(make_campaign(), 1)
    path = link_for("personne0000@exemple.fr")
    later = time.time() + (settings.INVITATION_LINK_MAX_AGE_DAYS + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(path)
    assert response.status_code == 410 and "expiré" in response.content.decode()
    assert not Invitee.objects.get().user.is_active


def test_a_tampered_link_or_another_invitee_is_refused(geo, client) -> None:
    invited(make_campaign(), 2)
    path = link_for("personne0000@exemple.fr")
    other = Invitee.objects.get(email="personne0001@exemple.fr")
    parts = path.rstrip("/").split("/")
    assert client.get(path[:-3] + "xx/").status_code == 400
    parts[-2] = str(other.pk)
    assert client.get("/".join(parts) + "/").status_code == 400


def test_an_existing_catalyst_keeps_their_account_and_own_draft_elsewhere(
    alice: User, geo, client
) -> None:
    from pratiques.campaigns.population import population_import
    from pratiques.campaigns.sending import campaign_messages_run
    from tests.pratiques.campaign_helpers import population_csv

    campaign = make_campaign()
    data = population_csv(0, extra_lines=["alice@exemple.fr;Alice;Martin;;ingenieries;94080;"])
    population_import(campaign=campaign, data=data, file_name="p.csv")
    campaign_messages_run(campaign_id=campaign.pk)
    person = Invitee.objects.get()
    assert person.user == alice
    own = start(alice, geo.saint_etienne)  # a draft of her own on the same grid is adopted
    # She has a password: the link sends her to the login page, then to her campaign.
    html = client.get(link_for("alice@exemple.fr")).content.decode()
    assert f"/comptes/login/?next=%2Fpratiques%2Fcampagnes%2Frejoindre%2F{person.pk}%2F" in html
    client = logged_in(alice)
    client.get(f"/pratiques/campagnes/rejoindre/{person.pk}/")
    person.refresh_from_db()
    assert person.assessment == own
    assert Assessment.objects.filter(user=alice).count() == 1


def test_a_catalyst_sees_their_campaigns_and_can_stop_reminders(geo, client) -> None:
    invited(make_campaign(), 1)
    client.post(link_for("personne0000@exemple.fr"))
    person = Invitee.objects.get()
    html = client.get("/pratiques/campagnes/mes-campagnes/").content.decode()
    assert "Étude 2026" in html and "en cours" in html and "<html" in html
    fragment = client.get(
        "/pratiques/campagnes/mes-campagnes/", headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment and 'id="my-campaigns"' in fragment
    response = client.post(f"/pratiques/campagnes/relances/{person.pk}/")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.reminders_stopped_at is not None
    dashboard = client.get("/espace/catalyseur/").content.decode()
    assert "/pratiques/campagnes/mes-campagnes/" in dashboard


def test_the_open_link_lets_a_catalyst_join(alice: User, geo) -> None:
    from territoires.models import ActorProfile, Engineering

    campaign = make_campaign(open_registration=True)
    client = logged_in(alice)
    url = f"/pratiques/campagnes/participer/{campaign.open_code}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "territory": "commune:94080",
            "actor_profile": ActorProfile.objects.get(code="ingenieries").pk,
            "engineerings": [Engineering.objects.first().pk],
        },
    )
    person = Invitee.objects.get(campaign=campaign)
    assert response.status_code == 302 and person.user == alice and person.assessment is not None
    assert person.source == "lien"
    closed = make_campaign(title="Fermée", open_registration=False)
    assert client.get(f"/pratiques/campagnes/participer/{closed.open_code}/").status_code == 404


def test_a_link_never_opens_an_administration_session(nadia: User, geo, client) -> None:
    from pratiques.campaigns.population import population_import
    from pratiques.campaigns.sending import campaign_messages_run
    from tests.pratiques.campaign_helpers import population_csv

    campaign = make_campaign()
    data = population_csv(0, extra_lines=["nadia@exemple.fr;Nadia;Admin;;ingenieries;94080;"])
    population_import(campaign=campaign, data=data, file_name="p.csv")
    campaign_messages_run(campaign_id=campaign.pk)
    response = client.get(link_for("nadia@exemple.fr"))
    assert (
        response.status_code == 200
        and "Se connecter avec mon mot de passe" in response.content.decode()
    )
    response = client.post(link_for("nadia@exemple.fr"))
    assert (
        response.status_code == 403
        and "Connectez-vous avec votre mot de passe" in response.content.decode()
    )
    assert "_auth_user_id" not in client.session
