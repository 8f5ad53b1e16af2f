"""The one module that loads the full shipped geography (≈ 5 s)."""

from __future__ import annotations

import pytest
from django.db.models import Count

from territoires.geography import geography_load
from territoires.models import Level, SizeSegment, Territory
from territoires.queries import search_territories


@pytest.mark.django_db
def test_the_shipped_geography() -> None:
    report = geography_load()
    assert sum(report.created.values()) == 1 + 26 + 109 + 1255 + 34969
    counts = dict(Territory.objects.values_list("level").annotate(n=Count("id")))
    assert counts == {"pays": 1, "region": 26, "departement": 109, "epci": 1255, "commune": 34969}
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

    assert search_territories("saint etienne")[0].code == "42218"
    assert search_territories("94300")[0].code == "94080"

    assert not geography_load().changed  # a second run changes nothing
