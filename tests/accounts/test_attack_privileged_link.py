"""Attack: an e-mailed link opens a privileged session.

A network admin is also in a campaign's population (a catalyst of the network who administers it):
the campaign e-mail's personal link must not open their session — not on GET (a mail scanner
follows every link of a message), not on POST either (whoever holds the e-mail is not the person).
An e-mailed link signs in only a person who never had another role nor a password, and only after
a button."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from config.roles import Role
from pratiques.campaigns.population import population_import
from pratiques.campaigns.sending import campaign_messages_run
from pratiques.models import Invitee
from tests.conftest import make_user
from tests.pratiques.campaign_helpers import link_for, make_campaign, population_csv

pytestmark = pytest.mark.django_db


def _invite(*emails: str) -> None:
    lines = [f"{email};Prénom;Nom;;ingenieries;94080;" for email in emails]
    campaign = make_campaign()
    population_import(
        campaign=campaign, data=population_csv(0, extra_lines=lines), file_name="p.csv"
    )
    campaign_messages_run(campaign_id=campaign.pk)


def _signed_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def test_a_campaign_link_of_a_network_admin_opens_no_session(geo) -> None:
    admin = make_user("nora", Role.NETWORK_ADMIN, first_name="Nora")
    _invite("nora@exemple.fr")
    path = link_for("nora@exemple.fr")
    sessions = 0
    for attempt in ("scanner GET", "GET", "POST"):
        client = Client()
        response = client.get(path) if attempt.endswith("GET") else client.post(path)
        assert response.status_code < 500
        sessions += _signed_in_as(client) == admin.pk
    print(f"privileged link: {sessions} session(s) opened")
    assert sessions == 0
    admin.refresh_from_db()
    assert admin.is_active


def test_a_catalyst_with_a_password_is_sent_to_the_login_page(alice: User, geo) -> None:
    _invite("alice@exemple.fr")
    client = Client()
    response = client.get(link_for("alice@exemple.fr"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "mot de passe" in html and "/comptes/login/?next=" in html
    assert client.post(link_for("alice@exemple.fr")).status_code == 403
    assert _signed_in_as(client) is None


def test_someone_who_once_was_an_admin_is_refused_too(geo) -> None:
    """Roles taken away later: the link still refuses (history says they had another role)."""
    from accounts.services import roles_set

    actor = make_user("nadine", Role.NETWORK_ADMIN)
    former = make_user("ancien", Role.NETWORK_ADMIN)
    roles_set(actor=actor, user=former, roles=[Role.CATALYST])
    former.set_unusable_password()
    former.save()
    _invite("ancien@exemple.fr")
    client = Client()
    client.post(link_for("ancien@exemple.fr"))
    assert _signed_in_as(client) is None


def test_a_mail_scanner_s_get_neither_signs_in_nor_uses_up_the_link(geo) -> None:
    _invite("nouvelle@exemple.fr")
    path = link_for("nouvelle@exemple.fr")
    scanner = Client()
    response = scanner.get(path)
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert _signed_in_as(scanner) is None
    user = Invitee.objects.get(email="nouvelle@exemple.fr").user
    user.refresh_from_db()
    assert not user.is_active and user.last_login is None
    person = Client()
    response = person.post(path)  # the button, later, by the person
    assert response.status_code == 302
    assert _signed_in_as(person) == user.pk
    assert len(mail.outbox) == 1
