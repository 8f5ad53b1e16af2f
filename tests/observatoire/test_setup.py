from __future__ import annotations

from io import StringIO
from typing import Any

from django.db.models import Sum

from observatoire.models import Indicator, IndicatorValue
from observatoire.setup import DEMO_INDICATORS, DEMO_YEAR, load_demo, load_reference
from territoires.models import Level


def test_reference_figures_are_real_values_at_france_level(geo: Any) -> None:
    load_reference(stdout=StringIO())
    load_reference(stdout=StringIO())  # idempotent
    value = IndicatorValue.objects.get(indicator__code="REP_ALLIANCE_MAIRES")
    assert (value.territory, value.year, value.value) == (geo.france, 2022, 92)
    co_construction = dict(
        IndicatorValue.objects.filter(indicator__code="REP_ELUS_CO_CONSTRUCTION").values_list(
            "year", "value"
        )
    )
    assert co_construction == {2020: 25, 2024: 42}
    assert not Indicator.objects.filter(is_demo=True).exists()
    assert all(i.source for i in Indicator.objects.all())


def test_demo_data_covers_every_level_and_sums_only_counts(geo: Any) -> None:
    load_demo(stdout=StringIO())
    indicators = Indicator.objects.filter(is_demo=True)
    assert indicators.count() == len(DEMO_INDICATORS) >= 30
    assert indicators.values("fragility").distinct().count() == 16
    values = IndicatorValue.objects.filter(indicator__is_demo=True, year=DEMO_YEAR)
    # 11 territories (France, 2 régions, 2 départements, 2 EPCI, 5 communes) … minus none.
    assert values.count() == len(DEMO_INDICATORS) * 12
    count = Indicator.objects.get(code="DEMO_DEMANDEURS_EMPLOI")
    communes_of_loire = values.filter(
        indicator=count, territory__level=Level.COMMUNE, territory__departement=geo.loire
    ).aggregate(total=Sum("value"))["total"]
    assert values.get(indicator=count, territory=geo.loire).value == communes_of_loire
    assert (
        values.get(indicator=count, territory=geo.france).value
        == values.filter(indicator=count, territory__level=Level.COMMUNE).aggregate(
            total=Sum("value")
        )["total"]
    )
    # A rate is drawn per level, never the mean of the communes.
    rate = Indicator.objects.get(code="DEMO_TX_PAUVRETE")
    assert not rate.additive
    before = sorted(values.values_list("indicator_id", "territory_id", "value"))
    load_demo(stdout=StringIO())  # deterministic and idempotent
    assert sorted(values.values_list("indicator_id", "territory_id", "value")) == before
