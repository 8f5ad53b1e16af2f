"""The released practice aggregates through the API: the public page's figures, nothing finer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pratiques.aggregates import release_aggregates, territory_practices
from tests.conftest import ok
from tests.pratiques.helpers import peers

pytestmark = pytest.mark.django_db


def test_below_the_threshold_no_figure(geo: Any) -> None:
    peers(geo.vincennes, 4)
    release_aggregates()
    body = ok(Client().get("/api/v1/territoires/commune/94080/pratiques/")).json()
    assert body["statut"] == "below" and body["personnes"] == "moins de 5"
    assert body["pratiques"] == [] and body["situations"] == [] and body["leviers"] == {}
    assert body["barycentre"] is None and "4" not in body["personnes"]


def test_released_figures_are_the_page_figures(geo: Any) -> None:
    peers(geo.vincennes, 6)
    peers(geo.saint_mande, 6, start_index=10)
    peers(geo.saint_etienne, 5, start_index=20)
    release_aggregates()
    body = ok(Client().get("/api/v1/territoires/epci/200054781/pratiques/")).json()
    released = territory_practices(geo.grand_paris)
    assert body["statut"] == "published" and body["personnes"] == released.people_label
    assert [
        (p["en_interne_pct"], p["en_partenariat_pct"], p["les_deux_pct"], p["a_developper_pct"])
        for p in body["pratiques"]
    ] == [(p.in_house, p.partnership, p.both, p.develop) for p in released.practices]
    releases = ok(Client().get("/api/v1/diffusions/")).json()["resultats"]
    assert releases[0]["parametres"]["k"] == 5
    assert "people" not in releases[0] and "members" not in str(body)
