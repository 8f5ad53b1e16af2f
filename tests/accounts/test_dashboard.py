from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import logged_in


@pytest.mark.django_db
@pytest.mark.parametrize("space", ["catalyseur", "administration", "elu"])
def test_it_sends_anonymous_visitors_to_login(space: str) -> None:
    response = Client().get(f"/espace/{space}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/?next=")


@pytest.mark.django_db
def test_each_role_reaches_its_own_space(alice: User, nadia: User, elise: User) -> None:
    assert logged_in(alice).get("/espace/catalyseur/").status_code == 200
    assert logged_in(nadia).get("/espace/administration/").status_code == 200
    assert logged_in(elise).get("/espace/elu/").status_code == 200


@pytest.mark.django_db
def test_it_checks_the_role(alice: User, elise: User) -> None:
    assert logged_in(alice).get("/espace/administration/").status_code == 403
    assert logged_in(elise).get("/espace/catalyseur/").status_code == 403
    assert logged_in(alice).get("/espace/inconnu/").status_code == 404


@pytest.mark.django_db
def test_full_page_and_htmx_fragment(nadia: User, htmx: dict[str, str]) -> None:
    client = logged_in(nadia)
    full = client.get("/espace/administration/").content.decode()
    assert "<html" in full and 'id="role-links"' in full
    fragment = client.get("/espace/administration/", headers=htmx).content.decode()
    assert "<html" not in fragment
    assert fragment.strip().startswith('<ul class="links" id="role-links">')


@pytest.mark.django_db
def test_the_django_admin_link_is_for_superusers_only(nadia: User) -> None:
    # A network admin is not staff: the link would lead to « vous n'êtes pas autorisé ».
    assert "Administration technique" not in logged_in(nadia).get("/espace/administration/").text
    nadia.is_superuser = nadia.is_staff = True
    nadia.save()
    assert "Administration technique" in logged_in(nadia).get("/espace/administration/").text
