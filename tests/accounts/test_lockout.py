"""Login throttling (django-axes) on the site login and /admin/login/, the password-reset limit,
and the people page's view of locks."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD, logged_in


def _fail(client: Client, url: str, username: str, times: int) -> None:
    for _ in range(times):
        client.post(url, {"username": username, "password": "faux"})


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(alice: User) -> None:
    client = Client()
    _fail(client, "/comptes/login/", "alice", 4)
    # Not yet locked: the form still answers with its message.
    response = client.post("/comptes/login/", {"username": "alice", "password": "faux"})
    assert response.status_code == 429
    response = client.post("/comptes/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Connexion suspendue" in html and "Trop de tentatives" in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_four_wrong_passwords_then_the_right_one_works_and_resets_the_count(alice: User) -> None:
    client = Client()
    _fail(client, "/comptes/login/", "alice", 4)
    response = client.post("/comptes/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="alice").exists()


@pytest.mark.django_db
def test_the_admin_login_is_throttled_too(nadia: User) -> None:
    nadia.is_superuser = True
    nadia.is_staff = True
    nadia.save()
    client = Client()
    _fail(client, "/admin/login/", "nadia", 5)
    response = client.post("/admin/login/", {"username": "nadia", "password": PASSWORD})
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_a_lock_is_shown_to_admins_and_lifted_with_a_history_line(alice: User, nadia: User) -> None:
    _fail(Client(), "/comptes/login/", "alice", 5)
    admin = logged_in(nadia)
    html = admin.get("/comptes/personnes/").content.decode()
    assert "Connexions verrouillées" in html and "Lever le verrou" in html
    assert "127.0.0.1" in html
    page = admin.get(f"/comptes/personnes/{alice.pk}/").content.decode()
    assert "Connexion verrouillée" in page
    response = admin.post(
        "/comptes/personnes/verrous/lever/", {"username": "alice", "ip": "127.0.0.1"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    entry = LogEntry.objects.get(object_id=str(alice.pk))
    assert entry.user == nadia and "Verrou de connexion levé" in entry.change_message
    response = Client().post("/comptes/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_only_admins_lift_locks(alice: User, bob: User) -> None:
    _fail(Client(), "/comptes/login/", "alice", 5)
    response = logged_in(bob).post("/comptes/personnes/verrous/lever/", {"username": "alice"})
    assert response.status_code == 403
    assert AccessAttempt.objects.filter(username="alice").exists()


@pytest.mark.django_db
def test_password_reset_requests_are_limited_per_email_and_address(alice: User) -> None:
    client = Client()
    for _ in range(5):
        assert (
            client.post("/comptes/password_reset/", {"email": "alice@exemple.fr"}).status_code
            == 302
        )
    response = client.post("/comptes/password_reset/", {"email": "alice@exemple.fr"})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert len(mail.outbox) == 5
    # Another address from elsewhere is still served; the same e-mail from elsewhere is not.
    elsewhere = Client(REMOTE_ADDR="10.0.0.2")
    assert elsewhere.post("/comptes/password_reset/", {"email": "x@exemple.fr"}).status_code == 302
    assert (
        elsewhere.post("/comptes/password_reset/", {"email": "alice@exemple.fr"}).status_code == 429
    )
