from __future__ import annotations

import pytest

from territoires.demo import demo_load
from territoires.models import FragilityReading, Level, MaturityAssessment, Territory


@pytest.mark.django_db
def test_demo_is_deterministic_idempotent_and_labelled(geo, client) -> None:
    demo_load()
    first = list(
        MaturityAssessment.objects.values_list(
            "territory__code", "ecosystem_score", "pivot_score", "skills_score"
        )
    )
    readings = FragilityReading.objects.count()
    demo_load()
    assert (
        list(
            MaturityAssessment.objects.values_list(
                "territory__code", "ecosystem_score", "pivot_score", "skills_score"
            )
        )
        == first
    )
    assert FragilityReading.objects.count() == readings == 5 * 16
    assert not MaturityAssessment.objects.filter(is_demo=False).exists()
    assert Territory.objects.filter(level=Level.PROJECT).count() == 1
    html = client.get("/territoires/commune/94080/").content.decode()
    assert "données de démonstration" in html
