from __future__ import annotations

from io import StringIO
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from observatoire.models import Indicator
from observatoire.setup import load_demo
from tests.conftest import logged_in, ok


def test_it_lists_the_catalogue(
    client: Client, catalogue: dict[str, Indicator], django_assert_num_queries: Any
) -> None:
    load_demo(stdout=StringIO())
    with django_assert_num_queries(2):  # the catalogue, the 16 domains of the filter
        html = ok(client.get("/observatoire/indicateurs/")).content.decode()
    assert "<html" in html and "Taux de chômage des 15-64 ans" in html
    assert "Emploi / chômage / insertion" in html and "fragilité (plus c’est élevé" in html
    assert "Données de démonstration" in html and "effectif (additif)" in html


def test_the_fragment(
    client: Client, catalogue: dict[str, Indicator], htmx: dict[str, str]
) -> None:
    fragment = client.get("/observatoire/indicateurs/", headers=htmx).content.decode()
    assert "<html" not in fragment and fragment.strip().startswith('<div id="catalogue">')
    assert "Données de démonstration" not in fragment


def test_admin_links(nadia: User) -> None:
    html = logged_in(nadia).get("/espace/administration/").content.decode()
    assert 'href="/observatoire/imports/"' in html and 'href="/observatoire/indicateurs/"' in html
