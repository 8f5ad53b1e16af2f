"""Attack: sign-up before the owner of an address.

The attacker signs up with the victim's address and his own password; the victim then signs up,
receives the link, confirms and uses the account. The attacker's password must not open it —
whatever the order of the requests (the attacker may also sign up again after the victim)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db

VICTIM = "victime@exemple.fr"
ATTACKER_PASSWORD = "Mot-de-passe-de-l-attaquant-2026"
VICTIM_PASSWORD = "Celui-de-la-victime-2026"


def _signup(client: Client, first_name: str, password: str) -> None:
    """The attacker fills in every field the form may ever have had, password included."""
    response = client.post(
        "/comptes/inscription/",
        {
            "first_name": first_name,
            "last_name": "Personne",
            "email": VICTIM,
            "password1": password,
            "password2": password,
            "consent": "on",
        },
    )
    assert response.status_code == 302


def _links() -> list[str]:
    found = []
    for message in mail.outbox:
        match = re.search(r"http://[^/\s]+(/comptes/inscription/confirmer/[^\s]+/)", message.body)
        if match and message.to == [VICTIM]:
            found.append(match.group(1))
    return found


def _attacker_logs_in() -> bool:
    response = Client().post("/comptes/login/", {"username": VICTIM, "password": ATTACKER_PASSWORD})
    return response.status_code == 302


@pytest.mark.parametrize("attacker_again_after_victim", [False, True])
def test_the_attacker_s_password_never_opens_the_victim_s_account(
    attacker_again_after_victim: bool,
) -> None:
    attacker, victim = Client(), Client()
    _signup(attacker, "Usurpateur", ATTACKER_PASSWORD)
    _signup(victim, "Vraie", VICTIM_PASSWORD)
    if attacker_again_after_victim:
        _signup(attacker, "Usurpateur", ATTACKER_PASSWORD)
    pending = User.objects.get(email=VICTIM)
    assert not pending.has_usable_password()  # nobody's password is held before confirmation
    # The victim opens the latest link of their mailbox and chooses their password.
    link = _links()[-1]
    assert victim.get(link).status_code == 200
    response = victim.post(link, {"password1": VICTIM_PASSWORD, "password2": VICTIM_PASSWORD})
    assert response.status_code == 302
    assert victim.get("/pratiques/").status_code == 200
    # Earlier links are dead.
    for earlier in _links()[:-1]:
        assert Client().post(earlier, {"password1": "x", "password2": "x"}).status_code == 400
    # 0 takeover: the attacker's password opens nothing, the victim's does.
    takeovers = int(_attacker_logs_in())
    print(f"sign-up takeover: {takeovers} account taken over")
    assert takeovers == 0
    response = Client().post("/comptes/login/", {"username": VICTIM, "password": VICTIM_PASSWORD})
    assert response.status_code == 302


def test_the_latest_request_wins_and_discards_the_earlier_names() -> None:
    _signup(Client(), "Usurpateur", ATTACKER_PASSWORD)
    _signup(Client(), "Vraie", VICTIM_PASSWORD)
    user = User.objects.get(email=VICTIM)
    assert user.first_name == "Vraie"
    assert User.objects.filter(email=VICTIM).count() == 1
