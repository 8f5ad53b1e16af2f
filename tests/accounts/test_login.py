"""The login page: the e-mail is the identifier; an unconfirmed sign-up is told to confirm, with a
way to get the link again (throttled), instead of « identifiants invalides »."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "first_name": "Inès",
    "last_name": "Nouvelle",
    "email": "ines@exemple.fr",
    "consent": "on",
}


def test_the_field_says_adresse_e_mail() -> None:
    html = Client().get("/comptes/login/").content.decode()
    assert re.search(r'<label for="id_username">Adresse e-mail', html)
    assert "Nom d’utilisateur" not in html and "Nom d'utilisateur" not in html


def test_it_works_with_the_e_mail_in_any_case(alice: User) -> None:
    response = Client().post(
        "/comptes/login/", {"username": "ALICE@exemple.fr", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_a_wrong_password_says_so_in_plain_french(alice: User) -> None:
    response = Client().post("/comptes/login/", {"username": "alice@exemple.fr", "password": "non"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Adresse e-mail ou mot de passe incorrect" in html
    assert "Confirmez votre adresse" not in html


def test_an_unconfirmed_sign_up_is_told_to_confirm_with_a_resend_button() -> None:
    Client().post("/comptes/inscription/", SIGNUP)
    assert len(mail.outbox) == 1
    client = Client()
    response = client.post("/comptes/login/", {"username": "ines@exemple.fr", "password": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Confirmez votre adresse" in html
    assert "incorrect" not in html
    assert 'action="/comptes/inscription/renvoyer/"' in html
    assert 'name="email" value="ines@exemple.fr"' in html
    response = client.post("/comptes/inscription/renvoyer/", {"email": "ines@exemple.fr"})
    assert response["Location"] == "/comptes/inscription/envoyee/"
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["ines@exemple.fr"]
    link = re.search(r"(/comptes/inscription/confirmer/\S+/)", mail.outbox[1].body)
    assert link is not None
    pair = {
        "password1": "Ingenierie-territoriale-2026",
        "password2": "Ingenierie-territoriale-2026",
    }
    assert client.post(link.group(1), pair).status_code == 302
    assert User.objects.get(email="ines@exemple.fr").is_active


def test_resending_answers_the_same_for_an_unknown_address_and_is_throttled(alice: User) -> None:
    client = Client()
    for email in ("inconnue@exemple.fr", "alice@exemple.fr"):
        response = client.post("/comptes/inscription/renvoyer/", {"email": email})
        assert response["Location"] == "/comptes/inscription/envoyee/"
    assert not mail.outbox  # neither is a pending sign-up
    Client().post("/comptes/inscription/", SIGNUP)  # 1 request for this e-mail
    for _ in range(2):
        assert client.post("/comptes/inscription/renvoyer/", SIGNUP).status_code == 302
    response = client.post("/comptes/inscription/renvoyer/", SIGNUP)
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert len(mail.outbox) == 3


def test_the_resend_page_is_prefilled_and_a_bad_address_is_a_400() -> None:
    html = Client().get("/comptes/inscription/renvoyer/?email=ines@exemple.fr").content.decode()
    assert 'value="ines@exemple.fr"' in html
    response = Client().post("/comptes/inscription/renvoyer/", {"email": "pas-une-adresse"})
    assert response.status_code == 400
