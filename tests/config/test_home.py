from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import logged_in


@pytest.mark.django_db
def test_it_works() -> None:
    response = Client().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html  # skip link
    assert "hx-headers" in html and "X-CSRFToken" in html
    assert "/static/vendor/htmx/htmx-2.0.11.min.js" in html
    assert 'role="banner"' in html and 'role="contentinfo"' in html


@pytest.mark.django_db
def test_it_speaks_to_each_role(nadia: User) -> None:
    html = logged_in(nadia).get("/").content.decode()
    assert "Vous êtes catalyseur·rice" in html
    assert "Vous êtes élu·e" in html
    assert "Vous administrez le réseau" in html


@pytest.mark.django_db
def test_static_assets_are_served_by_the_app() -> None:
    for path in ("/static/vendor/htmx/htmx-2.0.11.min.js", "/static/vendor/plotly/plotly.min.js"):
        response = Client().get(path)
        assert response.status_code == 200
        response.close()  # the file it streams (an open file left behind is a warning, an error)


@pytest.mark.django_db
def test_an_unknown_page_is_a_french_404() -> None:
    response = Client().get("/nexiste-pas/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_home_search_box_shows_live_results() -> None:
    html = Client().get("/").content.decode()
    assert 'hx-get="/territoires/recherche/"' in html and 'id="resultats"' in html
