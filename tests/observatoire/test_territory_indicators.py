from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from observatoire.models import Indicator
from observatoire.queries import territory_indicator_profile
from observatoire.services import values_import
from tests.conftest import ok

COMMUNES = (
    "CODGEO;P21_POP;TX_CHOM;TX_PAUV\n"
    "94080;48193;7,5;9,1\n"
    "94067;21071;6,2;s\n"
    "42218;173136;15,3;24,0\n"
    "42095;16817;12,0;18,2\n"
    "42001;512;4,0;3,0\n"
)
DEPARTEMENTS = "CODGEO;TX_CHOM\n94;8,9\n42;11,4\n"
REGIONS = "CODGEO;TX_CHOM\n11;8,1\n84;7,6\n"
FRANCE = "CODGEO;TX_CHOM;TX_PAUV\nFR;7,3;14,5\n"


@pytest.fixture
def values(catalogue: dict[str, Indicator]) -> None:
    for text, level in [
        (COMMUNES, "commune"),
        (DEPARTEMENTS, "departement"),
        (REGIONS, "region"),
        (FRANCE, "pays"),
    ]:
        run = values_import(data=text.encode(), file_name="v.csv", year=2021, level=level)
        assert run.status == "reussi", run.problems


def test_the_profile_compares_with_departement_region_france_and_peers(
    geo: Any, values: None
) -> None:
    # Firminy (16 817 inhabitants): peers = communes of « moins de 20 000 habitants ».
    profile = territory_indicator_profile(geo.firminy)
    assert profile.segment.code == "moins-de-20000"
    lines = {line.indicator.code: line for domain in profile.domains for line in domain.lines}
    chomage = lines["TX_CHOM"]
    assert (
        chomage.value,
        chomage.departement_value,
        chomage.region_value,
        chomage.france_value,
    ) == (
        12.0,
        11.4,
        7.6,
        7.3,
    )
    # Peers with a value: Firminy and Aboën (512 inhab. is « moins de 2 000 », another segment:
    # not a peer) → only Firminy itself.
    assert chomage.peers is None or chomage.peers.count == 1
    labels = [domain.fragility.label for domain in profile.domains]
    assert labels == sorted(
        labels, key=lambda label: [d.fragility.order for d in profile.domains][labels.index(label)]
    )


def test_percentiles_are_computed_among_peers_of_the_same_segment(geo: Any, values: None) -> None:
    # Vincennes (48 193) and Saint-Mandé (21 071) are both « moins de 50 000 ».
    profile = territory_indicator_profile(geo.vincennes)
    lines = {line.indicator.code: line for domain in profile.domains for line in domain.lines}
    assert lines["TX_CHOM"].peers.count == 2
    assert lines["TX_CHOM"].peers.percentile == 100.0  # 7,5 > 6,2
    assert lines["TX_CHOM"].is_fragile_side is True
    # Saint-Mandé's poverty rate is secret: it is no peer for TX_PAUV; Vincennes has no peer.
    assert lines["TX_PAUV"].peers is None
    low = territory_indicator_profile(geo.saint_mande)
    low_lines = {line.indicator.code: line for domain in low.domains for line in domain.lines}
    assert low_lines["TX_CHOM"].peers.percentile == 0.0
    assert low_lines["TX_PAUV"].value is None


def test_it_works_as_a_full_page_and_as_a_fragment(
    client: Client, geo: Any, values: None, htmx: dict[str, str]
) -> None:
    url = "/territoires/commune/94080/indicateurs/"
    full = client.get(url)
    assert full.status_code == 200
    html = full.content.decode()
    assert "<html" in html and "Taux de chômage des 15-64 ans" in html
    assert "Val-de-Marne" in html and "Île-de-France" in html and "France" in html
    assert "100<sup>e</sup> centile" in html
    # The charts are pictures drawn on the server (no plotly.js), each with its table of numbers.
    assert "plotly.min.js" not in html
    assert 'src="/territoires/commune/94080/indicateurs/graphique-' in html
    assert html.count("<summary>Données du graphique</summary>") == html.count(
        'class="chart-image"'
    )
    assert "7,5" in html and "n.d." not in html.split("Taux de pauvreté")[0][-10:]
    fragment = client.get(url, headers=htmx).content.decode()
    assert "<html" not in fragment
    assert fragment.strip().startswith('<section class="indicators" id="territory-indicators"')


def test_it_runs_a_constant_number_of_queries(
    client: Client, geo: Any, values: None, django_assert_num_queries: Any
) -> None:
    # territory, segments, values, indicators with their peer distributions, curated levels;
    # « Ce qui a changé »: the territory's earlier values, the latest releases
    with django_assert_num_queries(7):
        ok(client.get("/territoires/commune/94080/indicateurs/"))
    more = Indicator.objects.create(code="EXTRA", label="Un de plus", fragility_id=9)
    values_import(
        data=b"indicateur;code;valeur\nEXTRA;94080;1\nEXTRA;94067;2\n",
        file_name="x.csv",
        year=2020,
    )
    assert more.values.count() == 2
    with django_assert_num_queries(7):
        response = ok(client.get("/territoires/commune/94080/indicateurs/"))
    assert "Un de plus" in response.content.decode()


def test_demo_indicators_are_labelled(client: Client, geo: Any) -> None:
    from io import StringIO

    from observatoire.setup import load_demo

    load_demo(stdout=StringIO())
    html = client.get("/territoires/commune/42218/indicateurs/").content.decode()
    assert "Données de démonstration" in html and "démo" in html


@pytest.mark.parametrize(
    "url",
    [
        "/territoires/commune/99999/indicateurs/",
        "/territoires/inconnu/94080/indicateurs/",
        "/territoires/commune/99999/indicateurs.csv",
    ],
)
def test_an_unknown_territory_is_a_404(client: Client, geo: Any, url: str) -> None:
    assert client.get(url).status_code == 404


def test_the_csv_download(client: Client, geo: Any, values: None) -> None:
    values_import(
        data=b"indicateur;code;annee;valeur\nTX_CHOM;94080;2019;1234567,25\n",
        file_name="x.csv",
        year=None,
    )
    response = client.get("/territoires/commune/94080/indicateurs.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents right
    lines = response.content.decode("utf-8-sig").splitlines()
    # The year shown on the page carries its comparisons and rank (100 = le plus fragile); a
    # count is also given per 1 000 inhabitants, the value it is ranked on.
    assert lines == [
        "code;libelle;annee;valeur;unite;nature;pour_1000_habitants;departement;region;france;"
        "rang_centile_100_le_plus_fragile;pairs;source",
        "P21_POP;Population municipale;2021;48193;habitants;effectif;1000;69264;69264;259729;"
        "50;2;INSEE, recensement",
        "TX_CHOM;Taux de chômage des 15-64 ans;2019;1234567.25;%;taux;;;;;;;INSEE, recensement",
        "TX_CHOM;Taux de chômage des 15-64 ans;2021;7.5;%;taux;;8.9;8.1;7.3;100;2;"
        "INSEE, recensement",
        "TX_PAUV;Taux de pauvreté;2021;9.1;%;taux;;;;14.5;;;INSEE, Filosofi",
    ]
    secret = client.get("/territoires/commune/94067/indicateurs.csv").content.decode()
    assert "TX_PAUV;Taux de pauvreté;2021;;%;taux;;;;14.5;;;INSEE, Filosofi" in secret


def test_percentile_in_a_distribution() -> None:
    from observatoire.queries import percentile_in

    quantiles = [float(step) for step in range(101)]  # values 0..100
    assert percentile_in(quantiles, -1) == 0.0
    assert percentile_in(quantiles, 150) == 100.0
    assert percentile_in(quantiles, 42.5) == 42.5
    assert percentile_in(quantiles, 42.0) == 42.0
    flat = [1.0] * 50 + [2.0] * 51  # half the territories at 1, half at 2
    assert percentile_in(flat, 1.0) == 24.5
    assert percentile_in([3.0] * 101, 3.0) == 50.0


def test_distributions_are_rebuilt_by_imports(geo: Any, values: None) -> None:
    from observatoire.models import PeerDistribution

    def distribution_of_chomage() -> PeerDistribution:
        return PeerDistribution.objects.get(
            indicator__code="TX_CHOM", level="commune", segment__code="moins-de-50000"
        )

    distribution = distribution_of_chomage()
    assert distribution.count == 2 and len(distribution.quantiles) == 101
    assert (distribution.quantiles[0], distribution.quantiles[100]) == (6.2, 7.5)
    values_import(data=b"CODGEO;TX_CHOM\n94067;9\n", file_name="v.csv", year=2021)
    distribution = distribution_of_chomage()
    assert (distribution.quantiles[0], distribution.quantiles[100]) == (7.5, 9.0)


def test_the_peer_group_is_named(client: Client, geo: Any, values: None) -> None:
    html = client.get("/territoires/epci/244200770/indicateurs/").content.decode()
    assert "intercommunalités de plus de 50\u202f000 habitants" in html
