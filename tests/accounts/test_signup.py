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
    "consent": "on",
}
PASSWORDS = {
    "password1": "Ingenierie-territoriale-2026",
    "password2": "Ingenierie-territoriale-2026",
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
    # GET only shows the form (mail scanners open links); POST chooses the password and confirms.
    assert "Confirmer mon adresse" in client.get(link).content.decode()
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    response = client.post(link, PASSWORDS)
    assert response["Location"] == "/espace/catalyseur/"
    user.refresh_from_db()
    assert user.is_active and user.check_password(PASSWORDS["password1"])
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
    client.post(link, PASSWORDS)
    other = Client()
    for method in (other.get, other.post):
        response = method(link, PASSWORDS) if method == other.post else method(link)
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
    response = Client().post(f"/comptes/inscription/confirmer/{token}/", PASSWORDS)
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
def test_signing_up_again_before_confirming_sends_a_new_link_and_kills_the_old_one() -> None:
    Client().post("/comptes/inscription/", GOOD)
    Client().post("/comptes/inscription/", GOOD | {"first_name": "Inès-Marie"})
    assert User.objects.filter(email="ines.nouvelle@exemple.fr").count() == 1
    assert len(mail.outbox) == 2
    old, new = _link(mail.outbox[0]), _link(mail.outbox[1])
    assert Client().post(old, PASSWORDS).status_code == 400
    assert Client().post(new, PASSWORDS).status_code == 302
    assert User.objects.get(email="ines.nouvelle@exemple.fr").first_name == "Inès-Marie"


@pytest.mark.django_db
def test_a_weak_or_mismatched_password_is_refused_in_french_at_confirmation() -> None:
    Client().post("/comptes/inscription/", GOOD)
    link = _link(mail.outbox[0])
    response = Client().post(link, {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ce mot de passe est trop courant" in html or "entièrement numérique" in html
    response = Client().post(link, PASSWORDS | {"password2": "autre-chose-2026"})
    assert response.status_code == 400
    assert "ne correspondent pas" in response.content.decode()
    user = User.objects.get(email="ines.nouvelle@exemple.fr")
    assert not user.is_active and not user.has_usable_password()
    assert Client().post(link, PASSWORDS).status_code == 302  # the link still works


@pytest.mark.django_db
def test_missing_consent_and_bad_email_are_refused() -> None:
    client = Client()
    data = {k: v for k, v in GOOD.items() if k != "consent"}
    response = client.post("/comptes/inscription/", data)
    assert response.status_code == 400
    assert "Cochez la case" in response.content.decode()
    response = client.post("/comptes/inscription/", GOOD | {"email": "pas-une-adresse"})
    assert response.status_code == 400
    assert "adresse électronique" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_sign_up_requests_are_throttled_per_address(settings) -> None:
    settings.SIGNUP_LIMIT_PER_ADDRESS = 2
    client = Client()
    for i in range(2):
        client.post("/comptes/inscription/", GOOD | {"email": f"n{i}@exemple.fr"})
    response = client.post("/comptes/inscription/", GOOD | {"email": "n9@exemple.fr"})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert not User.objects.filter(email="n9@exemple.fr").exists()


@pytest.mark.django_db
def test_a_room_of_forty_people_on_one_address_all_sign_up() -> None:
    """A network meeting: 40 catalysts on one Wi-Fi (one IP) sign up within the hour."""
    client = Client()
    for i in range(40):
        data = GOOD | {"email": f"participant{i}@exemple.fr", "first_name": f"P{i}"}
        response = client.post("/comptes/inscription/", data)
        assert response.status_code == 302, i
    assert User.objects.filter(email__startswith="participant").count() == 40
    assert len(mail.outbox) == 40


@pytest.mark.django_db
def test_one_e_mail_is_limited_strictly(settings) -> None:
    """From several addresses, one mailbox gets at most SIGNUP_LIMIT_PER_EMAIL (3) links an hour."""
    for i in range(3):
        response = Client(REMOTE_ADDR=f"10.0.0.{i}").post("/comptes/inscription/", GOOD)
        assert response.status_code == 302
    response = Client(REMOTE_ADDR="10.0.0.9").post("/comptes/inscription/", GOOD)
    assert response.status_code == 429
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_signed_in_person_is_sent_to_their_space(alice: User) -> None:
    from tests.conftest import logged_in

    assert logged_in(alice).get("/comptes/inscription/")["Location"] == "/comptes/mon-espace/"
