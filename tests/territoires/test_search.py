from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import ok

URL = "/territoires/recherche/"


@pytest.mark.django_db
def test_full_page(geo, client: Client, django_assert_num_queries) -> None:
    with django_assert_num_queries(2):  # segments, results
        response = client.get(URL, {"q": "vinc"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and "Trouver un territoire" in html
    assert 'href="/territoires/commune/94080/"' in html
    assert "48\u00a0193 hab." in html and "moins de 50 000 habitants" in html


@pytest.mark.django_db
def test_htmx_fragment(geo, client: Client, htmx) -> None:
    html = client.get(URL, {"q": "vinc"}, headers=htmx).content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<div id="resultats"')
    assert "Vincennes" in html


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["saint etienne", "st-etienne", "Saint-Étienne", "SAINT ÉTIENNE"])
def test_accents_case_hyphens_and_saint_are_ignored(geo, client: Client, typed: str) -> None:
    html = client.get(URL, {"q": typed}).content.decode()
    assert 'href="/territoires/commune/42218/"' in html
    # Exact name first, then the EPCI that starts with it.
    assert html.index("/commune/42218/") < html.index("/epci/244200770/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("94300", "/territoires/commune/94080/"),
        ("94080", "/territoires/commune/94080/"),
        ("200054781", "/territoires/epci/200054781/"),
        ("94", "/territoires/departement/94/"),
        ("etienne", "/territoires/commune/42218/"),  # a later word of the name
        ("grand paris", "/territoires/epci/200054781/"),
    ],
)
def test_codes_and_words(geo, client: Client, typed: str, address: str) -> None:
    assert f'href="{address}"' in client.get(URL, {"q": typed}).content.decode()


@pytest.mark.django_db
def test_ranking_exact_then_prefix_then_populous(geo, client: Client) -> None:
    html = client.get(URL, {"q": "saint"}).content.decode()
    # Both start with « saint »: the more populous first.
    assert html.index("/commune/42218/") < html.index("/commune/94067/")


@pytest.mark.django_db
def test_empty_query_explains(geo, client: Client, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):  # no search, so no size segments to read either
        html = ok(client.get(URL, {"q": "  "})).content.decode()
    assert "Saisissez un nom, un code postal ou un code INSEE" in html


@pytest.mark.django_db
def test_a_1000_character_query_is_refused_in_french(geo, client: Client, htmx) -> None:
    response = client.get(URL, {"q": "a" * 1000}, headers=htmx)
    assert response.status_code == 200
    assert (
        "Votre recherche compte 1\u00a0000 caractères\u00a0: 100 au plus"
        in response.content.decode()
    )


@pytest.mark.django_db
def test_no_result(geo, client: Client) -> None:
    html = client.get(URL, {"q": "Atlantide"}).content.decode()
    assert "Aucun territoire ne correspond à «\u00a0Atlantide\u00a0»" in html


@pytest.mark.django_db
def test_it_works_without_a_query_string(client: Client) -> None:
    assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_result_lines_name_their_codes(geo, client: Client, htmx) -> None:
    html = client.get(URL, {"q": "Vincennes"}, headers=htmx).content.decode()
    assert "code INSEE 94080 · CP 94300" in html
    assert "SIREN 200054781" in client.get(URL, {"q": "200054781"}, headers=htmx).content.decode()
