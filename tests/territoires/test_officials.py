"""Elected officials: declared mandates (shown only once confirmed) and followed territories."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.test import Client

from territoires.forms import territory_choice_label
from territoires.models import Follow, Mandate, MandateStatus
from tests.conftest import logged_in


def _declare(client: Client, territory, role_label: str = "maire") -> None:
    response = client.post(
        "/territoires/mandats/declarer/",
        {"territory": territory_choice_label(territory), "role_label": role_label},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_an_unconfirmed_mandate_is_never_shown_a_confirmed_one_is(
    geo, elise: User, nadia: User
) -> None:
    official = logged_in(elise)
    _declare(official, geo.vincennes)
    mandate = Mandate.objects.get(user=elise)
    assert mandate.status == MandateStatus.PENDING
    # Pending: not on the territory page, for anyone.
    for client in (Client(), official, logged_in(nadia)):
        html = client.get("/territoires/commune/94080/").content.decode()
        assert "Élu·e·s inscrit·e·s" not in html
    # The official sees its status in their space; the admin sees it to confirm.
    assert "en attente de confirmation" in official.get("/espace/elu/").content.decode()
    assert "Mandats à confirmer" in logged_in(nadia).get("/comptes/personnes/").content.decode()
    response = logged_in(nadia).post(
        f"/comptes/personnes/mandats/{mandate.pk}/", {"decision": "confirmer"}
    )
    assert response.status_code == 302
    html = Client().get("/territoires/commune/94080/").content.decode()
    assert "Élise Maire" in html and "maire" in html
    entry = LogEntry.objects.get(object_id=str(elise.pk))
    assert entry.user == nadia and entry.change_message == "Mandat confirmé : Vincennes (94080)"


@pytest.mark.django_db
def test_a_refused_mandate_is_not_shown(geo, elise: User, nadia: User) -> None:
    _declare(logged_in(elise), geo.vincennes)
    mandate = Mandate.objects.get(user=elise)
    logged_in(nadia).post(f"/comptes/personnes/mandats/{mandate.pk}/", {"decision": "refuser"})
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.REFUSED
    assert "Élise Maire" not in Client().get("/territoires/commune/94080/").content.decode()


@pytest.mark.django_db
def test_declaring_twice_or_nothing_says_why(geo, elise: User) -> None:
    official = logged_in(elise)
    _declare(official, geo.vincennes)
    response = official.post(
        "/territoires/mandats/declarer/",
        {"territory": territory_choice_label(geo.vincennes)},
        follow=True,
    )
    assert "déjà déclaré ce territoire" in response.content.decode()
    response = official.post("/territoires/mandats/declarer/", {"territory": ""}, follow=True)
    assert 'class="message error"' in response.content.decode()
    assert Mandate.objects.count() == 1


@pytest.mark.django_db
def test_a_country_is_not_a_mandate(geo, elise: User) -> None:
    response = logged_in(elise).post(
        "/territoires/mandats/declarer/",
        {"territory": territory_choice_label(geo.france)},
        follow=True,
    )
    assert "Un mandat porte sur" in response.content.decode()
    assert not Mandate.objects.exists()


@pytest.mark.django_db
def test_only_officials_declare_confirm_needs_an_admin(geo, alice: User, elise: User) -> None:
    response = logged_in(alice).post(
        "/territoires/mandats/declarer/", {"territory": territory_choice_label(geo.vincennes)}
    )
    assert response.status_code == 403
    _declare(logged_in(elise), geo.vincennes)
    mandate = Mandate.objects.get()
    response = logged_in(elise).post(
        f"/comptes/personnes/mandats/{mandate.pk}/", {"decision": "confirmer"}
    )
    assert response.status_code == 403
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.PENDING


@pytest.mark.django_db
def test_an_official_follows_from_the_territory_page(geo, elise: User) -> None:
    official = logged_in(elise)
    html = official.get("/territoires/commune/94080/").content.decode()
    assert "Suivre ce territoire" in html
    official.post("/territoires/commune/94080/suivre/", {"suivre": "oui"})
    official.post("/territoires/commune/94080/suivre/", {"suivre": "oui"})  # idempotent
    assert Follow.objects.filter(user=elise, territory=geo.vincennes).count() == 1
    html = official.get("/territoires/commune/94080/").content.decode()
    assert "Ne plus suivre ce territoire" in html
    space = official.get("/espace/elu/").content.decode()
    assert "Vincennes" in space and "/territoires/commune/94080/rapport.pdf" in space
    official.post("/territoires/commune/94080/suivre/", {"suivre": "non"})
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_the_follow_button_is_for_officials_only(geo, alice: User) -> None:
    assert (
        "Suivre ce territoire" not in Client().get("/territoires/commune/94080/").content.decode()
    )
    html = logged_in(alice).get("/territoires/commune/94080/").content.decode()
    assert "Suivre ce territoire" not in html
    assert logged_in(alice).post("/territoires/commune/94080/suivre/").status_code == 403


@pytest.mark.django_db
def test_the_email_option_belongs_to_the_follower(geo, elise: User, alice: User) -> None:
    item = Follow.objects.create(user=elise, territory=geo.vincennes)
    logged_in(elise).post(f"/territoires/suivis/{item.pk}/courriel/", {"courriel": "oui"})
    item.refresh_from_db()
    assert item.notify_by_email
    other = User.objects.create(username="autre-elu")
    other.groups.add(*elise.groups.all())
    response = logged_in(other).post(
        f"/territoires/suivis/{item.pk}/courriel/", {"courriel": "non"}
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.notify_by_email


@pytest.mark.django_db
def test_the_country_has_no_follow_button_and_cannot_be_followed(geo, elise: User) -> None:
    official = logged_in(elise)
    assert "Suivre ce territoire" not in official.get("/territoires/pays/FR/").content.decode()
    response = official.post("/territoires/pays/FR/suivre/", {"suivre": "oui"}, follow=True)
    assert "On suit une commune" in response.content.decode()
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_a_confirmed_mandate_follows_its_territory_which_can_be_unfollowed(
    geo, elise: User, nadia: User
) -> None:
    official = logged_in(elise)
    _declare(official, geo.vincennes)
    mandate = Mandate.objects.get(user=elise)
    assert not Follow.objects.filter(user=elise).exists()  # pending: nothing followed yet
    logged_in(nadia).post(f"/comptes/personnes/mandats/{mandate.pk}/", {"decision": "confirmer"})
    assert Follow.objects.filter(user=elise, territory=geo.vincennes).exists()
    official.post("/territoires/commune/94080/suivre/", {"suivre": "non"})
    assert not Follow.objects.filter(user=elise).exists()


@pytest.mark.django_db
def test_an_official_withdraws_their_own_mandate_only(
    geo, elise: User, nadia: User, charlie: User
) -> None:
    official = logged_in(elise)
    _declare(official, geo.vincennes)
    mandate = Mandate.objects.get(user=elise)
    logged_in(nadia).post(f"/comptes/personnes/mandats/{mandate.pk}/", {"decision": "confirmer"})
    html = official.get("/espace/elu/").content.decode()
    assert f"/territoires/mandats/{mandate.pk}/retirer/" in html
    # Someone else's mandate: not found, never withdrawn.
    other = User.objects.create_user("autre-elu")
    other.groups.add(*elise.groups.all())
    assert logged_in(other).post(f"/territoires/mandats/{mandate.pk}/retirer/").status_code == 404
    response = official.post(f"/territoires/mandats/{mandate.pk}/retirer/")
    assert response.status_code == 302 and not Mandate.objects.filter(pk=mandate.pk).exists()
    assert "Élu·e·s inscrit·e·s" not in Client().get("/territoires/commune/94080/").text
    assert Follow.objects.filter(user=elise, territory=geo.vincennes).exists()  # still followed
