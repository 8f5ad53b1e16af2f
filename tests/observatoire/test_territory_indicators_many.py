"""One commune among its peers with 333 indicators — constant queries, same figures."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.test import Client

from observatoire.models import IndicatorValue, PeerDistribution
from observatoire.queries import StoredQuantiles, percentile_in, territory_indicator_profile
from tests.conftest import ok
from tests.observatoire.peers_data import YEAR, peer_vintage

pytestmark = pytest.mark.django_db


def test_333_indicators_take_seven_queries(
    client: Client, htmx: dict[str, str], django_assert_num_queries: Any
) -> None:
    vintage = peer_vintage(333)
    url = f"/territoires/commune/{vintage.territory.code}/indicateurs/"
    # territory, size segments, values, indicators with their peer distributions, curated levels;
    # « Ce qui a changé »: the territory's earlier values, the latest releases
    with django_assert_num_queries(7):
        html = ok(client.get(url, headers=htmx)).content.decode()
    assert html.count("<tr data-indicator=") == 333
    assert "<sup>e</sup> centile" in html and "valeur manquante" in html
    assert "sens non précisé par la source" in html


def test_ranks_read_from_the_stored_text_are_those_of_the_whole_list() -> None:
    rng = random.Random(13)
    for _ in range(500):
        quantiles = sorted(
            round(rng.gammavariate(2.0, 20.0), rng.choice([0, 1, 6])) for _ in range(101)
        )
        text = "[" + ", ".join(repr(q) for q in quantiles) + "]"
        stored = StoredQuantiles(text)
        assert list(stored) == quantiles
        for value in [*rng.sample(quantiles, 5), rng.uniform(-5, 200), quantiles[0], quantiles[-1]]:
            assert percentile_in(stored, value) == percentile_in(quantiles, value)


def test_every_line_is_ranked_on_its_own_year_and_segment() -> None:
    vintage = peer_vintage(40)
    profile = territory_indicator_profile(vintage.territory)
    lines = [line for domain in profile.domains for line in domain.lines]
    assert len(lines) == 40
    # Every 50th value is missing; an indicator without polarity has peers but no rank.
    ranked = [line for line in lines if line.rank is not None]
    assert all(line.peers and line.peers.count == 1_500 for line in lines)
    assert all(0 <= line.rank <= 100 for line in ranked)
    assert {line.indicator.polarity for line in lines if line.rank is None} == {""}


def test_a_distribution_of_another_year_is_not_used() -> None:
    vintage = peer_vintage(30)
    before = {
        line.indicator.code: (line.year, line.rank, line.peers.count if line.peers else None)
        for domain in territory_indicator_profile(vintage.territory).domains
        for line in domain.lines
    }
    older = [
        PeerDistribution(
            indicator=distribution.indicator,
            year=YEAR - 1,
            level=distribution.level,
            segment=distribution.segment,
            count=7,
            quantiles=[float(point) for point in range(101)],
        )
        for distribution in PeerDistribution.objects.all()
    ]
    PeerDistribution.objects.bulk_create(older)
    # An older value of a 31st indicator: ranked on the older distribution, the others unchanged.
    extra = vintage.indicators[0]
    IndicatorValue.objects.filter(indicator=extra, territory=vintage.territory).update(
        year=YEAR - 1
    )
    after = {
        line.indicator.code: (line.year, line.rank, line.peers.count if line.peers else None)
        for domain in territory_indicator_profile(vintage.territory).domains
        for line in domain.lines
    }
    assert after.pop(extra.code)[::2] == (YEAR - 1, 7)
    before.pop(extra.code)
    assert after == before
