"""The indicator catalogue searched, filtered and sorted; the imports history filtered."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from observatoire.models import ImportRun, Indicator
from observatoire.services import values_import
from tests.conftest import logged_in

URL = "/observatoire/indicateurs/"


def codes(html: str) -> list[str]:
    return [code for code in ("P21_POP", "TX_CHOM", "TX_PAUV") if f"<code>{code}</code>" in html]


def test_search_ignores_accents_and_order(client: Client, catalogue: dict[str, Indicator]) -> None:
    assert codes(client.get(URL, {"q": "chomage taux"}).content.decode()) == ["TX_CHOM"]
    html = client.get(URL, {"q": "pauvrete"}).content.decode()
    assert codes(html) == ["TX_PAUV"] and "1 indicateur sur 3" in html


def test_filters_by_domain_polarity_level_collection(
    client: Client, catalogue: dict[str, Indicator]
) -> None:
    domain = catalogue["TX_CHOM"].fragility
    assert codes(client.get(URL, {"domaine": domain.code}).content.decode()) == ["TX_CHOM"]
    assert codes(client.get(URL, {"polarite": "atout"}).content.decode()) == ["P21_POP"]
    assert len(codes(client.get(URL, {"niveau": "commune"}).content.decode())) == 3
    html = client.get(URL, {"collection": "acteurs"}).content.decode()
    assert codes(html) == [] and "Aucun indicateur ne correspond" in html


def test_sorts_both_ways(client: Client, catalogue: dict[str, Indicator]) -> None:
    html = client.get(URL, {"tri": "-code"}).content.decode()
    assert html.index("<code>TX_PAUV</code>") < html.index("<code>P21_POP</code>")
    assert 'aria-sort="descending"' in html
    html = client.get(URL, {"tri": "code", "q": "taux"}).content.decode()
    assert html.index("<code>TX_CHOM</code>") < html.index("<code>TX_PAUV</code>")
    assert 'href="?q=taux&amp;tri=-code"' in html  # the same filters, the other direction


def test_fragment_and_bad_input(
    client: Client, catalogue: dict[str, Indicator], htmx: dict[str, str]
) -> None:
    fragment = client.get(URL, {"polarite": "fragilite"}, headers=htmx).content.decode()
    assert "<html" not in fragment and codes(fragment) == ["TX_CHOM", "TX_PAUV"]
    response = client.get(URL, {"domaine": "inconnu", "tri": "n-importe"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ce domaine n’existe pas" in html and "Sélectionnez un choix valide" in html


def test_imports_history_filters(
    nadia: User,
    catalogue: dict[str, Indicator],
    htmx: dict[str, str],
    django_assert_num_queries: Any,
) -> None:
    long_name = "valeurs-" + "tres-long-nom-de-fichier-" * 6 + ".csv"
    values_import(data=b"CODGEO;TX_CHOM\n94080;7,5\n", file_name=long_name, year=2021)
    values_import(data=b"CODGEO;TX_CHOM\n99999;7,5\n", file_name="refuse.csv", year=2021)
    assert ImportRun.objects.count() == 3  # with the catalogue's
    client = logged_in(nadia)
    html = client.get("/observatoire/imports/", {"statut": "refuse"}).content.decode()
    assert "refuse.csv" in html and long_name not in html
    assert 'class="file-name"' in html  # long names wrap (stylesheet class)
    fragment = client.get(
        "/observatoire/imports/", {"type": "catalogue"}, headers=htmx
    ).content.decode()
    assert "<html" not in fragment and "catalogue.csv" in fragment and "refuse.csv" not in fragment
    empty = client.get("/observatoire/imports/", {"statut": "echec"}).content.decode()
    assert "Aucun import ne correspond à ces filtres." in empty
    bad = client.get("/observatoire/imports/", {"statut": "???"})
    assert bad.status_code == 400 and "Filtre inconnu : Statut" in bad.content.decode()
