from __future__ import annotations

import re
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from config.links import Purpose, make_link_token
from config.roles import Role, user_roles

GOOD = {
    "first_name": "Inès",
    "last_name": "Nouvelle",
    "email": "Ines.Nouvelle@exemple.fr",
    "password1": "Ingenierie-territoriale-2026",
    "password2": "Ingenierie-territoriale-2026",
    "consent": "on",
}


def _link(message: mail.EmailMessage) -> str:
    match = re.search(r"http://[^/\s]+(/comptes/inscription/confirmer/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_the_page_shows_the_form_and_the_consent_wording() -> None:
    html = Client().get("/comptes/inscription/").content.decode()
    assert "Créer un compte catalyseur·rice" in html
    assert "statistiques anonymisées" in html
    assert '<label for="id_email">' in html


@pytest.mark.django_db
def test_it_works_sign_up_confirm_and_land_in_the_catalyst_space() -> None:
    client = Client()
    response = client.post("/comptes/inscription/", GOOD)
    assert response.status_code == 302
    assert response["Location"] == "/comptes/inscription/envoyee/"
    assert "Un e-mail vous a été envoyé" in client.get(response["Location"]).content.decode()
    user = User.objects.get(email="ines.nouvelle@exemple.fr")
    assert not user.is_active and user_roles(user) == [Role.CATALYST]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ines.nouvelle@exemple.fr"]
    link = _link(mail.outbox[0])
    # GET only shows a button (mail scanners open links); POST confirms.
    assert "Confirmer mon adresse" in client.get(link).content.decode()
    user.refresh_from_db()
    assert not user.is_active
    response = client.post(link)
    assert response["Location"] == "/espace/catalyseur/"
    user.refresh_from_db()
    assert user.is_active
    assert client.get("/pratiques/").status_code == 200
    messages = list(
        LogEntry.objects.filter(object_id=str(user.pk)).values_list("change_message", flat=True)
    )
    assert any("Inscription" in m for m in messages)
    assert any("confirmée" in m for m in messages)


@pytest.mark.django_db
def test_a_reused_link_is_refused() -> None:
    client = Client()
    client.post("/comptes/inscription/", GOOD)
    link = _link(mail.outbox[0])
    client.post(link)
    other = Client()
    for method in (other.get, other.post):
        response = method(link)
        assert response.status_code == 400
        assert "déjà été utilisé" in response.content.decode()


@pytest.mark.django_db
def test_an_expired_link_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    Client().post("/comptes/inscription/", GOOD)
    user = User.objects.get(email="ines.nouvelle@exemple.fr")
    now = time.time()
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: now - 3 * 24 * 3600)
        token = make_link_token(user, Purpose.SIGNUP)
    response = Client().post(f"/comptes/inscription/confirmer/{token}/")
    assert response.status_code == 400
    assert "expiré" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active


@pytest.mark.django_db
def test_an_invalid_link_is_refused() -> None:
    response = Client().get("/comptes/inscription/confirmer/pas-un-jeton/")
    assert response.status_code == 400
    assert "pas valide" in response.content.decode()


@pytest.mark.django_db
def test_an_existing_email_creates_nothing_and_does_not_tell_who_exists(alice: User) -> None:
    response = Client().post("/comptes/inscription/", GOOD | {"email": "ALICE@exemple.fr"})
    # Same answer as for a new address; the e-mail itself tells the owner.
    assert response.status_code == 302
    assert response["Location"] == "/comptes/inscription/envoyee/"
    assert User.objects.filter(email__iexact="alice@exemple.fr").count() == 1
    assert len(mail.outbox) == 1
    assert "un compte existe déjà" in mail.outbox[0].body
    assert "/comptes/password_reset/" in mail.outbox[0].body


@pytest.mark.django_db
def test_signing_up_again_before_confirming_sends_a_new_link() -> None:
    Client().post("/comptes/inscription/", GOOD)
    Client().post("/comptes/inscription/", GOOD)
    assert User.objects.filter(email="ines.nouvelle@exemple.fr").count() == 1
    assert len(mail.outbox) == 2
    assert _link(mail.outbox[1])


@pytest.mark.django_db
def test_a_weak_password_is_refused_in_french() -> None:
    data = GOOD | {"password1": "12345678", "password2": "12345678"}
    response = Client().post("/comptes/inscription/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ce mot de passe est trop courant" in html or "entièrement numérique" in html
    assert not User.objects.filter(email="ines.nouvelle@exemple.fr").exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_mismatched_passwords_missing_consent_and_bad_email_are_refused() -> None:
    client = Client()
    response = client.post("/comptes/inscription/", GOOD | {"password2": "autre-chose-2026"})
    assert response.status_code == 400
    assert "ne correspondent pas" in response.content.decode()
    data = {k: v for k, v in GOOD.items() if k != "consent"}
    response = client.post("/comptes/inscription/", data)
    assert response.status_code == 400
    assert "Cochez la case" in response.content.decode()
    response = client.post("/comptes/inscription/", GOOD | {"email": "pas-une-adresse"})
    assert response.status_code == 400
    assert "adresse électronique" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_sign_up_requests_are_throttled(settings) -> None:
    settings.PASSWORD_RESET_LIMIT = 2
    client = Client()
    for i in range(2):
        client.post("/comptes/inscription/", GOOD | {"email": f"n{i}@exemple.fr"})
    response = client.post("/comptes/inscription/", GOOD | {"email": "n9@exemple.fr"})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert not User.objects.filter(email="n9@exemple.fr").exists()


@pytest.mark.django_db
def test_a_signed_in_person_is_sent_to_their_space(alice: User) -> None:
    from tests.conftest import logged_in

    assert logged_in(alice).get("/comptes/inscription/")["Location"] == "/comptes/mon-espace/"
