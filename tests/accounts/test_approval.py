"""Who counts, the admin side: the approval queue of the people page, approving and withdrawing,
the invitation that vouches, the sentence of the catalyst's space, the history entries."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.test import Client

from config.roles import Role
from pratiques.models import Assessment, Vouch, VouchSource, established
from pratiques.services import vouch_record, vouch_withdraw
from tests.conftest import logged_in, make_user

pytestmark = pytest.mark.django_db


def _history(user: User) -> list[str]:
    return list(
        LogEntry.objects.filter(object_id=str(user.pk))
        .order_by("pk")
        .values_list("change_message", flat=True)
    )


def test_the_queue_lists_confirmed_unvouched_catalysts(alice: User, bob: User, nadia: User) -> None:
    vouch_record(user=bob, source=VouchSource.DEMO)
    pending = make_user("pendant", Role.CATALYST, is_active=False)
    html = logged_in(nadia).get("/comptes/personnes/").content.decode()
    queue = html.split('id="titre-approbations"')[1].split("</section>")[0]
    assert "alice@exemple.fr" in queue
    assert "bob@exemple.fr" not in queue  # already vouched
    assert pending.email not in queue  # address not confirmed
    assert "personne réelle du réseau" in queue  # why approval exists


def test_it_works_approve_then_withdraw(alice: User, nadia: User) -> None:
    client = logged_in(nadia)
    response = client.post(
        f"/comptes/personnes/{alice.pk}/approbation/",
        {"decision": "approuver", "next": "/comptes/personnes/"},
    )
    assert response.status_code == 302 and response["Location"] == "/comptes/personnes/"
    vouch = Vouch.objects.get(user=alice)
    assert vouch.source == VouchSource.APPROVAL and vouch.vouched_by == nadia
    assert User.objects.filter(established("")).filter(pk=alice.pk).exists()
    html = client.get(f"/comptes/personnes/{alice.pk}/").content.decode()
    assert "Compte dans les chiffres du réseau" in html and "Retirer des chiffres" in html
    response = client.post(f"/comptes/personnes/{alice.pk}/approbation/", {"decision": "retirer"})
    assert response["Location"] == f"/comptes/personnes/{alice.pk}/"
    assert not Vouch.objects.filter(user=alice).exists()
    history = _history(alice)
    assert "Inscription approuvée : compte dans les chiffres du réseau" in history
    assert "Approbation retirée : compte hors des chiffres du réseau" in history
    entry = LogEntry.objects.get(change_message__startswith="Inscription approuvée")
    assert entry.user_id == nadia.pk


def test_it_checks_the_role(alice: User, bob: User) -> None:
    response = logged_in(bob).post(
        f"/comptes/personnes/{alice.pk}/approbation/", {"decision": "approuver"}
    )
    assert response.status_code == 403
    assert not Vouch.objects.exists()
    assert Client().post(f"/comptes/personnes/{alice.pk}/approbation/").status_code == 302


def test_refusals_say_why_and_change_nothing(alice: User, nadia: User) -> None:
    client = logged_in(nadia)
    inactive = make_user("inactif", Role.CATALYST, is_active=False)
    response = client.post(
        f"/comptes/personnes/{inactive.pk}/approbation/", {"decision": "approuver"}, follow=True
    )
    assert "ne peut pas être approuvé" in response.content.decode()
    response = client.post(
        f"/comptes/personnes/{alice.pk}/approbation/", {"decision": "retirer"}, follow=True
    )
    assert "ne compte pas dans les chiffres" in response.content.decode()
    response = client.post(
        f"/comptes/personnes/{alice.pk}/approbation/", {"decision": "n'importe"}, follow=True
    )
    assert "Choisissez" in response.content.decode()
    assert client.post("/comptes/personnes/999999/approbation/").status_code == 404
    assert not Vouch.objects.exists()


def test_vouch_record_is_one_per_person_and_idempotent(alice: User, nadia: User) -> None:
    first = vouch_record(user=alice, source=VouchSource.APPROVAL, by=nadia)
    again = vouch_record(user=alice, source=VouchSource.INVITATION)
    assert first.pk == again.pk and Vouch.objects.filter(user=alice).count() == 1
    again.refresh_from_db()
    # The first vouch stays as it was (its source, its author, its date).
    assert again.source == VouchSource.APPROVAL and again.vouched_by == nadia
    assert vouch_withdraw(user=alice) and not vouch_withdraw(user=alice)


def test_accepting_an_invitation_vouches_the_person(nadia: User) -> None:
    import re

    from django.core import mail

    client = logged_in(nadia)
    client.post(
        "/comptes/personnes/inviter/",
        {
            "email": "paul@exemple.fr",
            "first_name": "Paul",
            "last_name": "A",
            "roles": ["administrateur"],
        },
    )
    link = re.search(r"(/comptes/invitation/\S+/)", mail.outbox[-1].body).group(1)
    strong = "Ingenierie-territoriale-2026"
    response = Client().post(
        link, {"first_name": "Paul", "last_name": "A", "password1": strong, "password2": strong}
    )
    assert response.status_code == 302
    paul = User.objects.get(email="paul@exemple.fr")
    vouch = Vouch.objects.get(user=paul)
    assert vouch.source == VouchSource.INVITATION and vouch.vouched_by == nadia
    assert any("invité·e par l'administration" in m for m in _history(paul))


def test_the_catalyst_sees_whether_they_count_and_why(alice: User, nadia: User) -> None:
    client = logged_in(alice)
    html = client.get("/espace/catalyseur/").content.decode()
    assert "ne comptent pas encore dans les chiffres du réseau" in html
    assert "approuvée par l" in html and "administration du réseau" in html
    logged_in(nadia).post(f"/comptes/personnes/{alice.pk}/approbation/", {"decision": "approuver"})
    html = client.get("/espace/catalyseur/").content.decode()
    assert "comptent dans les chiffres du réseau" in html
    assert "votre inscription a été approuvée" in html


def test_an_approved_person_s_assessments_are_established(
    alice: User, nadia: User, geo: Any
) -> None:
    from tests.pratiques.helpers import submitted

    submitted(alice, geo.vincennes, 2)
    assert not Assessment.objects.filter(established()).exists()
    logged_in(nadia).post(f"/comptes/personnes/{alice.pk}/approbation/", {"decision": "approuver"})
    assert Assessment.objects.filter(established()).count() == 1
