"""The API and the territory page give the same indicator figures: 20 territories of every level
(the data and the page reading of tests/observatoire/test_figures_everywhere.py)."""

from __future__ import annotations

import html as html_lib
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from observatoire.templatetags.observatoire import indicator_value
from territoires.models import Territory
from tests.conftest import ok
from tests.observatoire.test_figures_everywhere import LEVELS, generated_data, page_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def data(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, list[Territory]]]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield generated_data()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def shown(number: float | None) -> str:
    return indicator_value(number) if number is not None else ""


@pytest.mark.parametrize("level", LEVELS)
def test_the_api_gives_the_figures_of_the_page(
    level: str, data: dict[str, list[Territory]], settings: Any
) -> None:
    settings.API_ANON_RATE_PER_MINUTE = 10_000
    client = Client()
    checked = 0
    for territory in data[level]:
        base = f"/territoires/{territory.level}/{territory.code}"
        page = html_lib.unescape(
            ok(client.get(f"{base}/indicateurs/", headers={"HX-Request": "true"})).content.decode()
        )
        rows = page_rows(page)
        api = ok(client.get(f"/api/v1{base}/indicateurs/")).json()
        lines = {line["code"]: line for line in api["indicateurs"]}
        assert set(lines) == set(rows) == {"RSA", "ETAB", "TXCHOM", "REVMED"}
        for code, row in rows.items():
            line = lines[code]
            assert str(line["annee"]) == row["year"], (territory, code)
            if line["valeur"] is None:
                assert row["value"] in ("n.d.", ""), (territory, code)
            else:
                assert shown(line["valeur"]) == row["value"], (territory, code)
            assert shown(line["pour_1000_habitants"]) == row["rate"].replace(" ", "\u202f")
            rank = line["rang_centile"]
            assert ("" if rank is None else str(rank)) == row["rank"], (territory, code)
            if row["rank"]:
                assert str(line["pairs"]) == row["peers"], (territory, code)
                checked += 1
    assert checked > 0
