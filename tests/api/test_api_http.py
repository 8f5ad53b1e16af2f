"""What every API answer shares: ETag → 304, HEAD, read-only CORS, the anonymous rate limit,
JSON errors with a stable code, bounded pages, the docs served locally, a schema without people."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from observatoire.models import Indicator, IndicatorValue
from observatoire.services import catalogue_import
from territoires.models import Level, Territory
from tests.conftest import ok

pytestmark = pytest.mark.django_db


def test_etag_then_304(geo: Any) -> None:
    client = Client()
    first = ok(client.get("/api/v1/territoires/commune/94080/"))
    assert first.json()["nom"] == "Vincennes" and first["ETag"]
    again = client.get(
        "/api/v1/territoires/commune/94080/", headers={"If-None-Match": first["ETag"]}
    )
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/v1/territoires/commune/94080/", headers={"If-None-Match": '"x"'})
    assert other.status_code == 200


def test_head_has_no_body_and_the_same_etag(geo: Any) -> None:
    client = Client()
    get = client.get("/api/v1/territoires/commune/94080/")
    head = client.head("/api/v1/territoires/commune/94080/")
    assert head.status_code == 200 and head.content == b"" and head["ETag"] == get["ETag"]


def test_read_only_cors() -> None:
    client = Client()
    response = client.get("/api/v1/grilles/")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options("/api/v1/grilles/", headers={"Origin": "https://exemple.fr"})
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    post = client.post("/api/v1/grilles/")
    assert post.status_code == 405 and post.json()["code"] == "methode_non_permise"


def test_the_61st_anonymous_call_in_a_minute_is_refused() -> None:
    client = Client()
    for _ in range(60):
        assert client.get("/api/v1/diffusions/").status_code == 200
    refused = client.get("/api/v1/diffusions/")
    assert refused.status_code == 429 and refused.json()["code"] == "trop_de_requetes"
    assert 1 <= int(refused["Retry-After"]) <= 60
    other_address = Client(REMOTE_ADDR="10.0.0.2").get("/api/v1/diffusions/")
    assert other_address.status_code == 200


def test_errors_are_json_with_a_stable_code(geo: Any) -> None:
    client = Client()
    unknown = client.get("/api/v1/territoires/commune/00000/")
    assert unknown.status_code == 404 and unknown.json()["code"] == "introuvable"
    level = client.get("/api/v1/territoires/planete/94080/")
    assert level.status_code == 422 and level.json()["code"] == "parametre_invalide"
    for bad in ("?taille=101", "?page=0", "?taille=abc", "?q=" + "x" * 101):
        response = client.get("/api/v1/territoires/" + bad)
        assert response.status_code == 422, bad
        assert response.json()["code"] == "parametre_invalide"
    page = ok(client.get("/api/v1/territoires/?niveau=commune&taille=2")).json()
    assert page["taille"] == 2 and len(page["resultats"]) == 2 and page["total"] > 2


def test_search_as_the_site_does_and_former_names(geo: Any) -> None:
    found = ok(Client().get("/api/v1/territoires/?q=vincennes")).json()["resultats"]
    assert found[0]["code"] == "94080" and found[0]["url"] == "/territoires/commune/94080/"
    detail = ok(Client().get("/api/v1/territoires/commune/94080/")).json()
    assert detail["departement"]["code"] == "94" and detail["region"]["code"] == "11"
    assert detail["segment_de_taille"] is not None


def test_docs_are_served_locally_and_the_schema_names_no_person() -> None:
    client = Client()
    docs = ok(client.get("/api/v1/docs/")).content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "<script>" not in docs  # no inline script: the platform's CSP holds
    for path in sources:
        assert client.get(path).status_code == 200, path
    schema = ok(client.get("/api/v1/openapi.json")).json()
    assert schema["openapi"].startswith("3.")
    words = json.dumps(schema).lower()
    for field in ("user", "username", "email", "assessment", "answer", "evaluation", "reponse"):
        assert f'"{field}' not in words, field
    assert "members" not in words and "pseudonym" not in words


def test_the_published_grid_with_its_stable_keys() -> None:
    versions = ok(Client().get("/api/v1/grilles/")).json()["resultats"]
    assert versions and all(v["statut"] != "draft" for v in versions)
    grid = ok(Client().get(f"/api/v1/grilles/{versions[0]['slug']}/")).json()
    practices = [p for a in grid["axes"] for s in a["situations"] for p in s["pratiques"]]
    assert len(practices) == 24 and all(len(p["cle"]) == 36 for p in practices)
    assert Client().get("/api/v1/grilles/inconnue/").json()["code"] == "introuvable"


def test_a_territory_and_its_values_in_three_queries(geo: Any, django_assert_num_queries) -> None:
    catalogue = (
        "code;libelle;unite;source;millesime;domaine;polarite;additif;nature\n"
        "TXCHOM;Taux de chômage;%;Essai;2022;Emploi / chômage / insertion;fragilite;non;taux\n"
    )
    assert catalogue_import(data=catalogue.encode(), file_name="c.csv").status == "reussi"
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code="TXCHOM"),
        territory=Territory.objects.get(level=Level.COMMUNE, code="94080"),
        year=2022,
        value=7.5,
    )
    client = Client()
    client.get("/api/v1/diffusions/")  # the first call of a minute also forgets older minutes
    # The anonymous counter (one upsert), the territory, the size segments.
    with django_assert_num_queries(3):
        ok(client.get("/api/v1/territoires/commune/94080/"))
    # The counter, the territory, the page of values with their total.
    with django_assert_num_queries(3):
        values = ok(client.get("/api/v1/territoires/commune/94080/valeurs/")).json()
    assert values["total"] == 1 and values["resultats"][0]["valeur"] == 7.5
    # A page past the end counts apart.
    with django_assert_num_queries(4):
        past = ok(client.get("/api/v1/territoires/commune/94080/valeurs/?page=2")).json()
    assert past["total"] == 1 and past["resultats"] == []
