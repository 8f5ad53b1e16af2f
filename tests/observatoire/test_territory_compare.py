"""« Comparer des territoires »: two to four territories of one level, as a page and a PDF."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from observatoire.models import Indicator
from tests.conftest import ok
from tests.observatoire.test_territory_indicators import values  # noqa: F401 (fixture)

URL = "/territoires/comparer/"
pytestmark = pytest.mark.django_db


def cells(html: str, code: str) -> str:
    start = html.index(f'data-indicator="{code}"')
    return html[start : html.index("</tr>", start)]


@pytest.mark.usefixtures("values")
def test_it_works(geo: Any, django_assert_max_num_queries: Any) -> None:
    query = {"t1": "commune:94080", "t2": "commune:42218"}
    with django_assert_max_num_queries(40):
        html = ok(Client().get(URL, query)).content.decode()
    row = cells(html, "TX_CHOM")
    assert "7,5" in row and "15,3" in row  # Vincennes, Saint-Étienne: as on their pages
    assert "Vincennes" in html and "Saint-Étienne" in html
    assert "Profil de fragilités" in html and "Pratiques d'ingénierie publiées" in html
    assert "comparer.pdf?" in html


@pytest.mark.usefixtures("values")
def test_the_figures_are_each_territorys_own_page(geo: Any) -> None:
    client = Client()
    html = client.get(URL, {"t1": "commune:94080", "t2": "commune:94067"}).content.decode()
    for territory in (geo.vincennes, geo.saint_mande):
        page = client.get(f"/territoires/commune/{territory.code}/indicateurs/").content.decode()
        own = cells(page, "TX_CHOM")
        value = own.split('data-field="value"><strong>')[1].split("</strong>")[0]
        assert value in cells(html, "TX_CHOM")


@pytest.mark.usefixtures("values")
def test_the_query_count_does_not_grow_with_indicators(
    geo: Any, django_assert_max_num_queries: Any
) -> None:
    Indicator.objects.bulk_create(
        Indicator(code=f"X{i}", label=f"Indicateur {i}", unit="%") for i in range(30)
    )
    with django_assert_max_num_queries(40):
        ok(Client().get(URL, {"t1": "commune:94080", "t2": "commune:42218", "t3": "42095"}))


@pytest.mark.usefixtures("values")
def test_an_htmx_request_gets_the_whole_page(geo: Any, htmx: Any) -> None:
    # Its form is submitted as a whole (no swap): an HTMX request gets the page too.
    html = Client().get(URL, {"t1": "94080", "t2": "42218"}, headers=htmx).content.decode()
    assert "<html" in html and 'id="comparison"' in html


def test_the_empty_form(geo: Any) -> None:
    html = ok(Client().get(URL)).content.decode()
    assert "Premier territoire" in html and "Quatrième territoire (facultatif)" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"t1": "commune:94080", "t2": "departement:94"}, "même niveau"),
        ({"t1": "commune:94080", "t2": "commune:94080"}, "deux fois"),
        ({"t1": "commune:94080", "t2": "Atlantide"}, "Aucun territoire ne correspond"),
        ({"t1": "commune:94080"}, "Ce champ est obligatoire"),
        ({"t1": "pays:FR", "t2": "region:11"}, "même niveau"),
    ],
)
def test_a_wrong_choice_is_explained_and_kept(geo: Any, query: dict, message: str) -> None:
    response = Client().get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'value="{query["t1"]}"' in html  # what was typed is still there


@pytest.mark.usefixtures("values")
def test_the_pdf(geo: Any) -> None:
    response = Client().get("/territoires/comparer.pdf", {"t1": "94080", "t2": "42218"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "comparaison-vincennes-saint-etienne.pdf" in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Vincennes" in text and "Profil de fragilités" in text and "15,3" in text


def test_the_pdf_of_a_wrong_choice_is_the_form(geo: Any) -> None:
    response = Client().get("/territoires/comparer.pdf", {"t1": "94080", "t2": "departement:94"})
    assert response.status_code == 400 and b"<html" in response.content


def test_the_chosen_territories_are_shown_by_their_names(geo: Any) -> None:
    html = Client().get(URL, {"t1": "commune:94080", "t2": "42218"}).content.decode()
    assert 'value="Vincennes (94) — Commune, code 94080"' in html
    assert 'value="Saint-Étienne (42) — Commune, code 42218"' in html
