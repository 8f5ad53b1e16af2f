"""The results charts: SVG pictures drawn on the server, for their owner only."""

from __future__ import annotations

import re

from django.contrib.auth.models import User

from pratiques import charts
from pratiques.aggregates import release_aggregates
from tests.conftest import logged_in
from tests.factories import months_later
from tests.pratiques.helpers import peers, start, submitted


def chart_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|srcset)="(/pratiques/evaluations/[^"]+\.svg[^"]*)"', html)


def test_it_works(alice: User, geo) -> None:
    peers(geo.vincennes, 10)
    mine = submitted(alice, geo.vincennes, 3, 2)
    client = logged_in(alice)
    response = client.get(f"/pratiques/evaluations/{mine.pk}/resultats/")
    html = response.content.decode()
    assert "plotly.min.js" not in html and "results.js" not in html
    urls = chart_urls(html)
    assert len(urls) == 4  # radar and triangle, narrow and wide
    assert all("?groupe=" in url for url in urls)  # the group the page shows
    for url in urls:
        chart = client.get(url.replace("&amp;", "&"))
        assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"
        assert chart.content.startswith(b"<svg")
        # One person's chart: never kept by a shared cache, nor on disk by the browser.
        assert chart["Cache-Control"] == "private, no-store"
    # Every chart has its numbers in a table next to it.
    assert (
        "Scores par axe et par situation" in html and "Parts de Gestion, Action et Vision" in html
    )


def test_the_pictures_show_the_numbers_of_the_page(alice: User, geo) -> None:
    peers(geo.vincennes, 10)
    mine = submitted(alice, geo.vincennes, 3, 2)
    release_aggregates()  # the peers are read from the release
    data = logged_in(alice).get(f"/pratiques/evaluations/{mine.pk}/resultats/").context["charts"]
    radar, _, _ = charts.results_figure("radar", data, "large")
    moi = radar.data[-1]
    assert moi.name == "Moi" and list(moi.r) == [*data["radar"]["mine"], data["radar"]["mine"][0]]
    median = next(trace for trace in radar.data if trace.name == "Médiane des pairs")
    assert list(median.r)[:-1] == data["radar"]["median"]
    triangle, width, height = charts.results_figure("triangle", data, "etroit")
    assert (width, height) == charts.SIZES["triangle"]["etroit"]
    points = {trace.name: trace for trace in triangle.data}
    assert points["Moi"].a[0] == data["ternary"]["mine"][0]
    assert points["Barycentre des pairs"].b[0] == data["ternary"]["barycentre"][1]
    # Issue 23: no spread is released any more (only the noised barycentre): no cell to draw.
    assert data["ternary"]["spread"] == [] and "Pairs (dispersion)" not in points


def test_it_checks_ownership(alice: User, bob: User, charlie: User, nadia: User, geo) -> None:
    mine = submitted(alice, geo.vincennes, 2, 2)
    url = f"/pratiques/evaluations/{mine.pk}/resultats/radar-etroit.svg"
    assert logged_in(charlie).get(url).status_code == 404
    assert logged_in(nadia).get(url).status_code == 403
    assert logged_in(alice).get(url).status_code == 200
    draft = start(bob, geo.vincennes)
    assert (
        logged_in(bob)
        .get(f"/pratiques/evaluations/{draft.pk}/resultats/radar-etroit.svg")
        .status_code
        == 404
    )


def test_an_unknown_chart_is_a_404(alice: User, geo) -> None:
    mine = submitted(alice, geo.vincennes, 2, 2)
    client = logged_in(alice)
    assert (
        client.get(f"/pratiques/evaluations/{mine.pk}/resultats/camembert-etroit.svg").status_code
        == 404
    )
    assert (
        client.get(f"/pratiques/evaluations/{mine.pk}/resultats/radar-moyen.svg").status_code == 404
    )


def test_constant_number_of_queries(alice: User, geo, django_assert_num_queries) -> None:
    peers(geo.vincennes, 6)
    mine = submitted(alice, geo.vincennes, 3, 2)
    release_aggregates()
    client = logged_in(alice)
    url = f"/pratiques/evaluations/{mine.pk}/resultats/triangle-large.svg"
    client.get(url)
    # The results' own queries (as the page), whatever the number of peers; the peers from the
    # release (3 queries) instead of live histograms (5).
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200
    peers(geo.saint_etienne, 6, start_index=30)
    release_aggregates(now=months_later())
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200
