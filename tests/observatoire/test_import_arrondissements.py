"""A commune file may give Paris, Lyon, Marseille by arrondissement municipal."""

from __future__ import annotations

from typing import Any

import pytest

from observatoire.models import Indicator, IndicatorValue
from territoires.models import Level, Territory
from tests.factories import territory
from tests.observatoire.test_import_values import run_values


@pytest.fixture
def paris(geo: Any) -> Territory:
    departement = territory(Level.DEPARTEMENT, "75", "Paris", 2_103_778, region=geo.idf)
    commune = Territory.objects.create(
        level=Level.COMMUNE,
        code="75056",
        name="Paris",
        population=2_103_778,
        region=geo.idf,
        departement=departement,
        epci=geo.grand_paris,
    )
    for code, name, population in [
        ("75101", "Paris 1er Arrondissement", 15_917),
        ("75115", "Paris 15e Arrondissement", 229_713),
    ]:
        Territory.objects.create(
            level=Level.ARRONDISSEMENT,
            code=code,
            name=name,
            population=population,
            region=geo.idf,
            departement=departement,
            epci=geo.grand_paris,
            commune=commune,
        )
    return commune


def values(code: str) -> dict[str, float | None]:
    return dict(
        IndicatorValue.objects.filter(indicator__code=code).values_list("territory__code", "value")
    )


def test_arrondissement_codes_are_accepted_and_summed_into_their_commune(
    paris: Territory, catalogue: dict[str, Indicator]
) -> None:
    run = run_values(
        "CODGEO;P21_POP;TX_CHOM\n"
        "75101;15917;8,1\n"
        "75115;229713;6,9\n"
        "94080;48193;7,5\n"
        "94067;21071;6,2\n"
    )
    assert run.status == "reussi", run.problems
    assert "sommés de leurs arrondissements" in run.message
    population = values("P21_POP")
    assert population["75101"] == 15_917 and population["75115"] == 229_713
    # The file has no row for Paris itself: its count is the sum of its arrondissements.
    assert population["75056"] == 15_917 + 229_713
    # Counted once up the levels: the EPCI sums its communes (Paris included), not arrondissements.
    assert population["200054781"] == 15_917 + 229_713 + 48_193 + 21_071
    assert population["75"] == 15_917 + 229_713
    # A rate is never summed.
    assert "75056" not in values("TX_CHOM")


def test_a_file_with_the_commune_keeps_its_own_value(
    paris: Territory, catalogue: dict[str, Indicator]
) -> None:
    run = run_values("CODGEO;P21_POP\n75056;2103778\n75101;15917\n75115;229713\n")
    assert run.status == "reussi", run.problems
    population = values("P21_POP")
    assert population["75056"] == 2_103_778
    assert population["75"] == 2_103_778  # not + the arrondissements


def test_an_unknown_code_is_still_refused(
    paris: Territory, catalogue: dict[str, Indicator]
) -> None:
    run = run_values("CODGEO;P21_POP\n75199;1000\n")
    assert run.status != "reussi"
    assert "« 75199 » n’est pas un code de commune connu." in str(run.problems)
