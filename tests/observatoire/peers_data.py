"""A commune among its peers with many indicators: only what the indicators page reads.

Shared by ``tests/observatoire/test_territory_indicators_many.py`` and ``bench/bench_peers.py``:
the mini geography, ``count`` indicators spread over the fragility domains (every polarity and
nature), the values of Vincennes, its département, its région and France, and one peer
distribution per indicator (101 quantiles, as the import computes them), some with runs of equal
quantiles. Deterministic; no import is run, so the data does not depend on the import's code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from observatoire.models import Indicator, IndicatorValue, Kind, PeerDistribution, Polarity
from territoires.models import Fragility, SizeSegment, Territory
from tests.factories import MiniGeography, mini_geography

YEAR = 2022
SEED = 20261130
POLARITIES = [Polarity.FRAGILITY, Polarity.STRENGTH, Polarity.FRAGILITY, Polarity.UNSPECIFIED]
KINDS = [Kind.RATE, Kind.COUNT, Kind.AMOUNT, Kind.UNSPECIFIED]


@dataclass
class PeerVintage:
    geo: MiniGeography
    territory: Territory
    indicators: list[Indicator]


def peer_vintage(count: int = 333, *, peers: int = 1_500) -> PeerVintage:
    """Vincennes (« moins de 50 000 habitants ») with ``count`` indicators in 2022."""
    geo = mini_geography()
    rng = np.random.default_rng(SEED)
    fragilities = list(Fragility.objects.order_by("order", "pk"))
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"PAIRS_{number:03d}",
            label=f"Indicateur de comparaison n° {number}",
            unit="%" if KINDS[number % 4] == Kind.RATE else "",
            source="Source de test",
            fragility=fragilities[number % len(fragilities)] if number % 11 else None,
            polarity=POLARITIES[number % 4],
            kind=KINDS[number % 4],
            order=number,
        )
        for number in range(1, count + 1)
    )
    commune = geo.vincennes
    segment = SizeSegment.for_population(commune.population, list(SizeSegment.objects.all()))
    assert segment is not None
    values = []
    distributions = []
    for number, indicator in enumerate(indicators, start=1):
        samples = rng.gamma(2.0, 20.0, size=peers)
        if number % 7 == 0:  # counts of rare events: many peers share a value
            samples = np.floor(samples / 10)
        scale = commune.population / 1000 if indicator.kind == Kind.COUNT else 1.0
        own = None if number % 50 == 0 else float(np.round(rng.gamma(2.0, 20.0) * scale, 1))
        for place, value in [
            (commune, own),
            (geo.val_de_marne, float(np.round(rng.gamma(2.0, 20.0), 1))),
            (geo.idf, float(np.round(rng.gamma(2.0, 20.0), 1))),
            (geo.france, float(np.round(rng.gamma(2.0, 20.0), 1))),
        ]:
            values.append(
                IndicatorValue(indicator=indicator, territory=place, year=YEAR, value=value)
            )
        quantiles = np.quantile(samples, np.linspace(0, 1, 101))
        distributions.append(
            PeerDistribution(
                indicator=indicator,
                year=YEAR,
                level=commune.level,
                segment=segment,
                count=peers,
                quantiles=[float(q) for q in quantiles],
            )
        )
    IndicatorValue.objects.bulk_create(values)
    PeerDistribution.objects.bulk_create(distributions)
    territory = Territory.objects.get(pk=commune.pk)
    return PeerVintage(geo, territory, indicators)
