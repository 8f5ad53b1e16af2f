"""The indicators page's charts: SVG pictures drawn on the server from the page's own numbers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from observatoire.models import Indicator
from observatoire.queries import territory_indicator_profile
from observatoire.report.charts import indicator_distribution_figure
from observatoire.services import values_import
from observatoire.views import _chart_data
from tests.observatoire import test_territory_indicators as page_tests

PAGE = "/territoires/commune/94080/indicateurs/"


@pytest.fixture
def values(catalogue: dict[str, Indicator]) -> None:
    """The indicators page's test data."""
    for text, level in [
        (page_tests.COMMUNES, "commune"),
        (page_tests.DEPARTEMENTS, "departement"),
        (page_tests.REGIONS, "region"),
        (page_tests.FRANCE, "pays"),
    ]:
        assert values_import(data=text.encode(), file_name="v.csv", year=2021, level=level)


def chart_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|srcset)="(/territoires/[^"]+/graphique-[^"]+\.svg)"', html)


def test_it_works(client: Client, geo: Any, values: None) -> None:
    html = client.get(PAGE).content.decode()
    urls = chart_urls(html)
    assert urls and len(urls) == 2 * html.count('class="chart-image"')  # narrow and wide
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        assert response.content.startswith(b"<svg")
        assert response["Cache-Control"] == "public, max-age=300"  # the same for everyone
        # Its own policy: no script, and plotly's style attributes (the page keeps its nonce).
        assert response["Content-Security-Policy"].startswith("default-src 'none'")
        assert "script" not in response["Content-Security-Policy"]


def test_the_picture_shows_the_numbers_of_the_table(client: Client, geo: Any, values: None) -> None:
    chart = _chart_data(territory_indicator_profile(geo.vincennes))[0]
    fig, width, height = indicator_distribution_figure(chart["rows"], territory="Vincennes")
    box, diamond = fig.data
    assert list(box.q1) == [row["q"][1] for row in chart["rows"]]
    assert list(box.median) == [row["q"][2] for row in chart["rows"]]
    assert list(diamond.x) == [row["value"] for row in chart["rows"] if row["value"] is not None]
    assert (width, height) == chart["etroit"]
    html = client.get(PAGE).content.decode()
    table = html.split("<summary>Données du graphique</summary>")[1].split("</table>")[0]
    assert "Taux de chômage des 15-64 ans" in table and "7,5" in table  # Vincennes' value


def test_an_unknown_chart_is_a_404(client: Client, geo: Any, values: None) -> None:
    assert (
        client.get("/territoires/commune/94080/indicateurs/graphique-99-large.svg").status_code
        == 404
    )
    assert (
        client.get("/territoires/commune/94080/indicateurs/graphique-0-moyen.svg").status_code
        == 404
    )
    assert (
        client.get("/territoires/commune/00000/indicateurs/graphique-0-large.svg").status_code
        == 404
    )


def test_it_runs_the_page_queries_only(
    client: Client, geo: Any, values: None, django_assert_num_queries: Any
) -> None:
    client.get("/territoires/commune/94080/indicateurs/graphique-0-etroit.svg")  # exported once
    # territory, segments, values, peer distributions, curated fragility levels (as the page)
    with django_assert_num_queries(5):
        response = client.get("/territoires/commune/94080/indicateurs/graphique-0-etroit.svg")
    assert response.status_code == 200


def test_long_labels_wrap_on_whole_words_instead_of_being_cut() -> None:
    from observatoire.report.charts import row_label

    label = "Part des familles monoparentales parmi les ménages avec enfants"
    phone = row_label(label, "etroit")
    assert phone.split("<br>")[0] == "Part des familles"  # whole words, no « Part des f… »
    assert len(phone.split("<br>")) == 3 and phone.endswith("…")
    desk = row_label(label, "large")
    assert desk == "Part des familles monoparentales parmi les<br>ménages avec enfants"
    assert row_label("Taux de chômage", "etroit") == "Taux de chômage"
