from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.test import Client

from pratiques.models import Assessment, OrganisationMembership, PeerBucket
from territoires.models import Follow, Mandate
from tests.conftest import PASSWORD, logged_in
from tests.pratiques.helpers import submitted


@pytest.mark.django_db
def test_the_page_says_what_goes_and_what_stays(alice: User) -> None:
    html = logged_in(alice).get("/comptes/supprimer-mon-compte/").content.decode()
    assert "Ce qui est supprimé" in html and "Ce qui reste" in html
    assert "statistiques anonymisées déjà diffusées" in html


@pytest.mark.django_db
def test_it_removes_or_anonymises_everything_personal(
    alice: User, bob: User, nadia: User, geo
) -> None:
    submitted(alice, geo.vincennes, 2, 3, organisation_name="Asso")
    submitted(bob, geo.vincennes, 1, 1)
    Mandate.objects.create(user=alice, territory=geo.vincennes)
    Follow.objects.create(user=alice, territory=geo.vincennes)
    Client().post("/comptes/login/", {"username": "alice", "password": "faux"})
    logged_in(nadia).post(f"/comptes/personnes/{alice.pk}/roles/", {"roles": ["catalyseur", "elu"]})
    client = logged_in(alice)
    response = client.post("/comptes/supprimer-mon-compte/", {"password": "faux"})
    assert response.status_code == 400 and "Mot de passe incorrect" in response.content.decode()
    response = client.post("/comptes/supprimer-mon-compte/", {"password": PASSWORD})
    assert response["Location"] == "/"
    user = User.objects.get(pk=alice.pk)
    assert user.username == f"compte-supprime-{alice.pk}"
    assert (user.email, user.first_name, user.last_name) == ("", "", "")
    assert not user.is_active and not user.has_usable_password() and not user.groups.exists()
    assert not Assessment.objects.filter(user=user).exists()
    assert not OrganisationMembership.objects.filter(user=user).exists()
    assert not Mandate.objects.exists() and not Follow.objects.exists()
    assert not AccessAttempt.objects.filter(username="alice").exists()
    assert PeerBucket.objects.get(group_kind="all", dimension="n").count == 1
    reprs = set(
        LogEntry.objects.filter(object_id=str(alice.pk)).values_list("object_repr", flat=True)
    )
    assert not any("alice" in r.lower() or "Martin" in r for r in reprs)
    assert "_auth_user_id" not in client.session
    assert (
        Client().post("/comptes/login/", {"username": "alice", "password": PASSWORD}).status_code
        == 400  # the login form refuses it, as for any wrong password
    )
