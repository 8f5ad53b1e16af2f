from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD, logged_in


@pytest.mark.django_db
def test_login_page_is_labelled_in_french() -> None:
    html = Client().get("/comptes/login/").content.decode()
    assert '<label for="id_username">' in html
    assert "Se connecter" in html


@pytest.mark.django_db
def test_login_flow(alice: User) -> None:
    client = Client()
    response = client.post("/comptes/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    # Login lands on the role space: one role → its space.
    assert response["Location"] == "/comptes/mon-espace/"
    assert client.get(response["Location"])["Location"] == "/espace/catalyseur/"
    assert "Alice Martin" in client.get("/").content.decode()
    response = client.post("/comptes/logout/")
    assert response.status_code == 302
    assert "Se connecter" in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_wrong_password_redisplays_the_form_with_a_message(alice: User) -> None:
    response = Client().post("/comptes/login/", {"username": "alice", "password": "faux"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Adresse e-mail ou mot de passe incorrect" in html
    assert 'value="alice"' in html


@pytest.mark.django_db
def test_password_change(alice: User) -> None:
    client = logged_in(alice)
    response = client.post(
        "/comptes/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Nouveau-secret-2026",
            "new_password2": "Nouveau-secret-2026",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("Nouveau-secret-2026")


@pytest.mark.django_db
def test_password_reset_sends_a_french_email(alice: User) -> None:
    response = Client().post("/comptes/password_reset/", {"email": "alice@exemple.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Réinitialisation" in mail.outbox[0].subject
    assert "/comptes/reset/" in mail.outbox[0].body


@pytest.mark.django_db
def test_an_overlong_login_name_is_refused_not_a_500(client) -> None:
    response = client.post("/comptes/login/", {"username": "x" * 5000, "password": "0"})
    assert response.status_code == 400  # re-displayed with its message, nothing stored as is
