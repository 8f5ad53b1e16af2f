from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.pratiques.helpers import peers

pytestmark = pytest.mark.django_db


def test_below_the_threshold_only_a_sentence(geo) -> None:
    peers(geo.vincennes, 4)
    html = Client().get("/pratiques/territoires/commune/94080/").content.decode()
    assert "moins de 5" in html and "Médiane" not in html


def test_aggregates_for_a_commune_and_its_epci(geo, htmx, django_assert_num_queries) -> None:
    peers(geo.vincennes, 3)
    peers(geo.saint_mande, 3, start_index=10)
    with django_assert_num_queries(9):
        html = Client().get("/pratiques/territoires/epci/200054781/", headers=htmx).content.decode()
    assert "<html" not in html and "D&#x27;après 6 auto-évaluations" not in html
    assert "après 6 auto-évaluations" in html and "Médiane" in html and "En partenariat" in html
    full = Client().get("/pratiques/territoires/region/11/").content.decode()
    assert "<html" in full and "après 6 auto-évaluations" in full
    assert (
        "Aucun·e catalyseur·rice"
        in Client().get("/pratiques/territoires/region/84/").content.decode()
    )


def test_unknown_territory_is_404(alice: User) -> None:
    assert Client().get("/pratiques/territoires/commune/00000/").status_code == 404


def test_barycentre_is_the_mean_of_each_assessment_position(geo) -> None:
    """Same definition as the results page's peer barycentre and the territory report's."""
    from statistics import fmean

    from pratiques import scoring
    from pratiques.models import AssessmentScore, Axis
    from pratiques.queries import territory_practices

    peers(geo.vincennes, 6)
    levers = {a.key: a.lever for a in Axis.objects.filter(version__status="published")}
    by_assessment: dict[int, dict[str, float]] = {}
    for row in AssessmentScore.objects.filter(element_key__in=list(levers)).values(
        "assessment_id", "element_key", "score"
    ):
        by_assessment.setdefault(row["assessment_id"], {})[levers[row["element_key"]]] = row[
            "score"
        ]
    positions = [
        p
        for s in by_assessment.values()
        if (p := scoring.ternary(s["gestion"], s["action"], s["vision"])) is not None
    ]
    expected = tuple(fmean(p[i] for p in positions) for i in range(3))
    barycentre = territory_practices(geo.vincennes).barycentre
    assert barycentre == pytest.approx(expected)
