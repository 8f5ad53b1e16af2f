"""A fragility level sourced by an indicator reads by the indicator's name on the territory page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from observatoire.models import Indicator
from territoires.models import Fragility, FragilityReading

pytestmark = pytest.mark.django_db


def test_the_source_indicator_is_named_not_coded(geo: Any, catalogue: dict[str, Indicator]) -> None:
    FragilityReading.objects.create(
        territory=geo.vincennes,
        fragility=Fragility.objects.get(code="pauvrete-exclusion"),
        level=2,
        source="indicateur",
        indicator_code="TX_PAUV",
    )
    response = Client().get("/territoires/commune/94080/")
    assert response.status_code == 200
    html = response.content.decode().replace("\u00a0", " ").replace("\u202f", " ")
    assert "« Taux de pauvreté »" in html and "(TX_PAUV)" in html
