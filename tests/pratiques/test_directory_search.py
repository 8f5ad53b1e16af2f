"""The directory's search: nothing without consent; found from every level containing a commune."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from pratiques.directory.services import profile_withdraw
from territoires.services import project_create
from tests.conftest import logged_in, ok
from tests.pratiques.directory_helpers import opt_in

URL = reverse("pratiques:directory_search")


def search(client: Client, territory, **extra) -> str:
    params = {"territoire": f"{territory.level}:{territory.code}", **extra}
    return ok(client.get(URL, params)).content.decode()


def test_without_opt_in_nobody_is_found(alice: User, geo, elise: User) -> None:
    assert "Alice" not in search(logged_in(elise), geo.vincennes)
    assert "Personne ne correspond" in search(Client(), geo.vincennes)


def test_found_from_the_commune_and_every_level_containing_it(
    alice: User, bob: User, charlie: User, nadia: User, geo, elise: User
) -> None:
    project = project_create(name="PETR de l'Est parisien", members=[geo.grand_paris], user=None)
    opt_in(alice, geo.grand_paris, shown_name="Alice (EPCI)")
    opt_in(bob, geo.val_de_marne, shown_name="Bob (département)")
    opt_in(charlie, geo.idf, shown_name="Charlie (région)")
    opt_in(nadia, project, shown_name="Nadia (projet)")
    page = search(logged_in(elise), geo.vincennes)
    for name in ["Alice (EPCI)", "Bob (département)", "Charlie (région)", "Nadia (projet)"]:
        assert name in page
    # Acting on the Loire is not acting on Vincennes, and the reverse.
    assert "Alice" not in search(logged_in(elise), geo.saint_etienne)


def test_opt_in_on_the_commune_itself(alice: User, geo) -> None:
    opt_in(alice, geo.vincennes)
    assert "Alice Martin" in search(Client(), geo.vincennes)


def test_withdrawal_takes_effect_at_once(alice: User, geo) -> None:
    profile = opt_in(alice, geo.vincennes)
    profile_withdraw(user=alice)
    assert "Alice Martin" not in search(Client(), geo.vincennes)
    ok(Client().get(reverse("pratiques:directory_profile", args=[profile.pk])), 404)


def test_members_only_profiles_hidden_from_anonymous(alice: User, geo, elise: User) -> None:
    opt_in(alice, geo.vincennes, visibility="membres")
    assert "Alice Martin" not in search(Client(), geo.vincennes)
    assert "Alice Martin" in search(logged_in(elise), geo.vincennes)


def test_filters_by_practice_profile_engineering(alice: User, bob: User, geo) -> None:
    from pratiques.directory.queries import published_practices

    practice = published_practices()[0]
    opt_in(alice, geo.vincennes, shares=[practice.key])
    opt_in(bob, geo.vincennes)
    page = search(Client(), geo.vincennes, pratique=str(practice.key))
    assert "Alice Martin" in page and "Bob Durand" not in page


def test_no_email_address_anywhere(alice: User, geo) -> None:
    profile = opt_in(alice, geo.vincennes)
    pages = [
        search(Client(), geo.vincennes),
        ok(
            Client().get(reverse("pratiques:directory_profile", args=[profile.pk]))
        ).content.decode(),
        ok(logged_in(alice).get(reverse("pratiques:directory_me"))).content.decode(),
        ok(logged_in(alice).get(reverse("pratiques:directory_export"))).content.decode(),
        ok(
            Client().get(reverse("pratiques:territory_directory", args=["commune", "94080"]))
        ).content.decode(),
    ]
    for page in pages:
        assert "alice@exemple.fr" not in page
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", page), page


def test_fragment_and_constant_queries(
    geo, htmx, django_assert_num_queries, django_user_model
) -> None:
    users = [django_user_model.objects.create(username=f"u{i}") for i in range(6)]
    opt_in(users[0], geo.vincennes)
    client = Client()
    params = {"territoire": "commune:94080"}
    with django_assert_num_queries(9):
        ok(client.get(URL, params, headers=htmx))
    for user in users[1:]:
        opt_in(user, geo.grand_paris)
    with django_assert_num_queries(9):
        response = ok(client.get(URL, params, headers=htmx))
    assert b"<html" not in response.content
    assert response.content.count(b"directory-card") == 6


def test_bad_territory_is_a_400(geo) -> None:
    response = Client().get(URL, {"territoire": "Nulle-Part-sur-Mer"})
    assert response.status_code == 400
    assert "Aucun territoire ne correspond" in response.content.decode()


def test_filters_by_actor_profile_and_engineering(alice: User, bob: User, geo) -> None:
    from territoires.models import ActorProfile, Engineering

    first, second = ActorProfile.objects.order_by("order")[:2]
    engineering = Engineering.objects.order_by("order").first()
    opt_in(alice, geo.vincennes, engineerings=[engineering])
    opt_in(bob, geo.vincennes, actor_profile=second)
    by_engineering = search(Client(), geo.vincennes, ingenierie=engineering.code)
    assert "Alice Martin" in by_engineering and "Bob Durand" not in by_engineering
    by_profile = search(Client(), geo.vincennes, profil=second.code)
    assert "Bob Durand" in by_profile and "Alice Martin" not in by_profile
    assert first.code != second.code
