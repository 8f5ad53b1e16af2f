"""Exact small counts, quartiles over five values, per-assessment points: none is published."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from observatoire.report import drawing
from pratiques import disclosure
from pratiques.aggregates import release_aggregates
from tests.observatoire.report_helpers import pdf_text
from tests.privacy import attack

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 2, 4])
def test_a_count_below_the_threshold_is_never_shown(geo, count: int) -> None:
    for i in range(count):
        attack.submit_random(attack.person(f"p{i}"), geo.small_commune, seed=i)
    release_aggregates()
    html = Client().get(f"/pratiques/territoires/commune/{geo.small_commune.code}/").content
    text = html.decode()
    assert "Moins de 5" in text
    assert not re.search(rf"\b{count} (catalyseur|auto-évaluation|autodiagnostic)", text)
    assert "Un seul" not in text and "Seuls" not in text


def test_no_quartile_over_five_values_and_counts_to_the_nearest_five(geo) -> None:
    for i in range(6):
        attack.submit_random(attack.person(f"p{i}"), geo.small_commune, seed=i)
    release_aggregates()
    html = Client().get(f"/pratiques/territoires/commune/{geo.small_commune.code}/").content
    text = html.decode()
    assert "1er quartile" not in text and "qu'à partir de 10 personnes" in text
    people = int(re.search(r"pris en compte : environ (\d+)", text)[1])
    assert people % disclosure.COUNT_STEP == 0
    shares = [
        int(v) for v in re.findall(r'<td class="num">(?:environ )?(\d+)[ \u202f]%</td>', text)
    ]
    assert shares and all(v % disclosure.SHARE_STEP == 0 for v in shares)


def test_no_chart_draws_one_persons_point(geo, settings, tmp_path) -> None:
    settings.CACHE_DIR = tmp_path
    for i in range(12):
        attack.submit_random(attack.person(f"p{i}"), geo.small_commune, seed=i)
    release_aggregates()
    # The triangle takes the barycentre only: one marker, whatever the number of people.
    assert drawing.lever_triangle((30, 35, 35)).count('class="barycentre"') == 1
    text = pdf_text(
        Client().get(f"/territoires/commune/{geo.small_commune.code}/rapport.pdf").content
    )
    assert "aucun point individuel n’est dessiné" in text
    assert "Chaque point est un autodiagnostic" not in text
