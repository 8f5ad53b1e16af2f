"""The one module that loads the full shipped geography (once, for every test of the module)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count
from django.test import Client

from territoires.geography import GeographyReport, geography_load
from territoires.models import Level, SizeSegment, Territory
from territoires.queries import search_territories, territory_by_former_code
from tests.conftest import ok


@pytest.fixture(scope="module")
def full_geography(django_db_setup: Any, django_db_blocker: Any) -> Iterator[GeographyReport]:
    """Loaded once in a transaction rolled back after the module (each test nests in it)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield geography_load()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_the_shipped_geography(full_geography: GeographyReport) -> None:
    assert sum(full_geography.created.values()) == 1 + 26 + 109 + 1255 + 34969 + 45
    counts = dict(Territory.objects.values_list("level").annotate(n=Count("id")))
    assert counts == {
        "pays": 1,
        "region": 26,
        "departement": 109,
        "epci": 1255,
        "commune": 34969,
        "arrondissement": 45,
    }
    assert Territory.objects.filter(level=Level.COMMUNE, population__isnull=True).count() == 6
    assert (
        Territory.objects.filter(level=Level.COMMUNE, code__startswith="97")
        .exclude(code__startswith="975")
        .exclude(code__startswith="977")
        .exclude(code__startswith="978")
        .count()
        == 129
    )

    vincennes = Territory.objects.select_related("departement", "region", "epci").get(
        level=Level.COMMUNE, code="94080"
    )
    assert vincennes.population == 48_193
    assert vincennes.departement.name == "Val-de-Marne"
    assert vincennes.region.name == "Île-de-France"
    assert (vincennes.epci.code, vincennes.epci.name) == ("200054781", "Métropole du Grand Paris")
    assert SizeSegment.for_population(vincennes.population).label == "moins de 50 000 habitants"
    assert Territory.objects.get(level=Level.COUNTRY, code="FR").name == "France"

    assert not geography_load().changed  # a second run changes nothing


@pytest.mark.django_db
def test_arrondissements_sit_under_their_commune(full_geography: GeographyReport) -> None:
    paris = Territory.objects.get(level=Level.COMMUNE, code="75056")
    arrondissements = Territory.objects.filter(level=Level.ARRONDISSEMENT, commune=paris)
    assert arrondissements.count() == 20
    assert Territory.objects.filter(level=Level.ARRONDISSEMENT, commune__code="69123").count() == 9
    assert Territory.objects.filter(level=Level.ARRONDISSEMENT, commune__code="13055").count() == 16
    # The département's population is its communes', never its arrondissements' on top.
    departement = Territory.objects.get(level=Level.DEPARTEMENT, code="75")
    assert departement.population == paris.population
    fifteenth = arrondissements.get(code="75115")
    assert fifteenth.postal_codes == "75015" and fifteenth.epci.code == "200054781"


@pytest.mark.django_db
def test_former_names(full_geography: GeographyReport) -> None:
    cherbourg = Territory.objects.get(level=Level.COMMUNE, code="50129")
    assert "Cherbourg-Octeville" in cherbourg.former_names
    agen = Territory.objects.get(level=Level.EPCI, code="200096956")
    # A SIREN gone from the source whose communes now all belong to today's EPCI.
    assert "CA d'Agen" in agen.former_names


@pytest.mark.django_db
def test_former_codes(full_geography: GeographyReport) -> None:
    annecy = Territory.objects.get(level=Level.COMMUNE, code="74010")
    # Annecy merged with Annecy-le-Vieux, Cran-Gevrier, Meythet, Pringy and Seynod in 2017.
    assert {"74011", "74093", "74182", "74217", "74268"} <= set(annecy.former_codes)
    assert Territory.objects.filter(level=Level.COMMUNE).exclude(former_codes=[]).count() == 2667
    # No former code is the code of a commune today.
    assert not Territory.objects.filter(level=Level.COMMUNE, code__in=annecy.former_codes)
    assert territory_by_former_code("commune", "74093") == annecy
    assert territory_by_former_code("epci", "74093") is None
    assert territory_by_former_code("commune", "74010") is None


@pytest.mark.django_db
def test_a_former_code_answers_where_the_commune_went(full_geography: GeographyReport) -> None:
    client = Client()
    response = client.get("/api/v1/territoires/commune/74011/?x=1")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/territoires/commune/74010/?x=1"
    body = response.json()
    assert body["code"] == "code_remplace"
    assert body["vers"] == {
        "niveau": "commune",
        "code": "74010",
        "nom": "Annecy",
        "url": "/territoires/commune/74010/",
    }
    for suffix in ("indicateurs/", "valeurs/", "pratiques/"):
        moved = client.get(f"/api/v1/territoires/commune/74011/{suffix}")
        assert moved.status_code == 301
        assert moved["Location"] == f"/api/v1/territoires/commune/74010/{suffix}"
    detail = ok(client.get(response["Location"])).json()
    assert detail["nom"] == "Annecy" and "74011" in detail["anciens_codes"]
    assert client.get("/api/v1/territoires/commune/99999/").status_code == 404
    # The site: the page of a former code leads to the commune it merged into.
    page = client.get("/territoires/commune/74011/")
    assert page.status_code == 301 and page["Location"] == "/territoires/commune/74010/"
    assert client.get("/territoires/commune/99999/").status_code == 404


# (query, level and code of the expected first result, what the result says it matched)
QUERIES = [
    # The issue's queries
    ("marseille 13", "arrondissement", "13213", ""),
    ("Marseille 13e", "arrondissement", "13213", ""),
    ("Lyon 1er", "arrondissement", "69381", ""),
    ("st denis reunion", "commune", "97411", ""),
    ("lhay les roses", "commune", "94038", ""),
    ("L'Haÿ-les-Roses", "commune", "94038", ""),
    ("Œuilly", "commune", "51410", ""),
    ("2A004", "commune", "2A004", "code INSEE 2A004"),
    ("lyon", "commune", "69123", ""),
    ("69001", "arrondissement", "69381", "CP 69001"),
    ("75", "departement", "75", "département 75"),
    ("Paris", "commune", "75056", ""),
    ("CC du Pays de Gex", "epci", "240100750", ""),
    # Homonyms, told apart by their département
    ("Saint-Denis", "commune", "97411", ""),
    ("saint denis 93", "commune", "93066", ""),
    ("saint denis 974", "commune", "97411", ""),
    ("oeuilly 02", "commune", "02565", ""),
    ("montreuil", "commune", "93048", ""),
    ("montreuil 93", "commune", "93048", ""),
    ("Mantes", "commune", "78361", ""),
    # Arrondissements municipaux
    ("lyon 1", "arrondissement", "69381", ""),
    ("paris 15", "arrondissement", "75115", ""),
    ("Paris 15e arrondissement", "arrondissement", "75115", ""),
    ("75115", "arrondissement", "75115", "code INSEE 75115"),
    ("75015", "arrondissement", "75115", "CP 75015"),
    ("13201", "arrondissement", "13201", "code INSEE 13201"),
    ("marseille 1er", "arrondissement", "13201", ""),
    # Former names
    ("Cherbourg-Octeville", "commune", "50129", ""),
    ("Annecy-le-Vieux", "commune", "74010", ""),
    ("Bâgé-la-Ville", "commune", "01025", ""),
    ("CA d'Agen", "epci", "200096956", ""),
    ("communauté de communes du pays de gex", "epci", "240100750", ""),
    # Codes
    ("94300", "commune", "94080", "CP 94300"),
    ("94080", "commune", "94080", "code INSEE 94080"),
    ("13001", "commune", "13001", "code INSEE 13001"),
    ("200054781", "epci", "200054781", "SIREN 200054781"),
    # Former codes of communes merged since an earlier vintage
    ("74011", "commune", "74010", "ancien code INSEE 74011"),
    ("50173", "commune", "50129", "ancien code INSEE 50173"),
    ("94", "departement", "94", "département 94"),
    ("974", "departement", "974", "département 974"),
    ("2a", "departement", "2A", "département 2A"),
    ("11", "departement", "11", "département 11"),
    # Names as typed
    ("saint etienne", "commune", "42218", ""),
    ("St-Étienne", "commune", "42218", ""),
    ("Val de Marne", "departement", "94", ""),
    ("ile de france", "region", "11", ""),
    ("grand paris", "epci", "200054781", ""),
    ("metropole de lyon", "epci", "200046977", ""),
    ("bourg en bresse", "commune", "01053", ""),
    ("les sables dolonne", "commune", "85194", ""),
    ("aix en provence", "commune", "13001", ""),
    ("Pointe-à-Pitre", "commune", "97120", ""),
    ("st malo", "commune", "35288", ""),
    ("ajaccio", "commune", "2A004", ""),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "level", "code", "matched"), QUERIES)
def test_real_queries(
    full_geography: GeographyReport, query: str, level: str, code: str, matched: str
) -> None:
    first = search_territories(query, limit=10)[0]
    assert (first.level, first.code) == (level, code)
    assert first.matched_code == matched


@pytest.mark.django_db
def test_ranking_of_the_issue(full_geography: GeographyReport) -> None:
    lyon = search_territories("lyon")
    assert [(t.level, t.code) for t in lyon[:2]] == [
        ("commune", "69123"),
        ("epci", "200046977"),
    ]
    assert "Lyons-la-Forêt" not in [t.name for t in lyon[:5]]
    paris = [(t.level, t.code) for t in search_territories("Paris")[:3]]
    assert ("epci", "200054781") in paris
    seventy_five = search_territories("75")
    assert [(t.level, t.code) for t in seventy_five[:2]] == [
        ("departement", "75"),
        ("region", "75"),
    ]
    assert seventy_five[1].matched_code == "code région 75"
    # « 69001 »: Lyon 1er by its postcode, Affoux by its INSEE code: each says which.
    by_code = {t.code: t.matched_code for t in search_territories("69001")}
    assert by_code["69381"] == "CP 69001" and by_code["69001"] == "code INSEE 69001"
    homonyms = search_territories("saint denis")
    assert [t.departement.code for t in homonyms[:2]] == ["974", "93"]


@pytest.mark.django_db
def test_former_names_are_said(full_geography: GeographyReport) -> None:
    first = search_territories("Cherbourg-Octeville")[0]
    assert first.name == "Cherbourg-en-Cotentin"
    assert first.matched_former_name == "Cherbourg-Octeville"
    assert search_territories("cherbourg")[0].matched_former_name == ""


@pytest.mark.django_db
def test_one_query_per_keystroke(
    full_geography: GeographyReport, django_assert_num_queries
) -> None:
    for query in ["m", "ma", "marseille 13", "69001", "st denis reunion", "lhay"]:
        with django_assert_num_queries(1):
            search_territories(query)


@pytest.mark.django_db
def test_many_changed_rows_are_rewritten_in_one_statement(
    full_geography: GeographyReport, django_assert_max_num_queries
) -> None:
    # As after a change of the search keys: every row differs from what the loader computes.
    Territory.objects.exclude(level=Level.PROJECT).update(
        search_words="", former_names=[], former_codes=[]
    )
    with django_assert_max_num_queries(30):  # COPY into a staging table, one UPDATE per level
        report = geography_load()
    assert report.updated["commune"] == 34969 and report.updated["arrondissement"] == 45
    assert search_territories("lhay les roses")[0].code == "94038"
    assert search_territories("Cherbourg-Octeville")[0].matched_former_name
    assert search_territories("74011")[0].code == "74010"
    assert not geography_load().changed


@pytest.mark.django_db
def test_a_single_character_still_answers(full_geography: GeographyReport) -> None:
    # One digit: départements and régions only; one letter: exact names and the populous first.
    assert {t.level for t in search_territories("2")} <= {"departement", "region"}
    assert search_territories("y")[0].name == "Y"
    assert all(search_territories(letter) for letter in "abcdefghijklmnopqrstuvwxyz")
