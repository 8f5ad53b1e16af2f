"""Fixtures of the Observatoire tests: a small catalogue over the mini geography."""

from __future__ import annotations

from typing import Any

import pytest

from observatoire.models import Indicator
from observatoire.services import catalogue_import

CATALOGUE_CSV = (
    "code;libelle;unite;source;millesime;domaine;polarite;additif\n"
    "P21_POP;Population municipale;habitants;INSEE, recensement;2021;Vieillissement;atout;oui\n"
    "TX_CHOM;Taux de chômage des 15-64 ans;%;INSEE, recensement;2021;Emploi / chômage / insertion;fragilite;non\n"
    "TX_PAUV;Taux de pauvreté;%;INSEE, Filosofi;2021;Pauvreté / lutte contre l'exclusion;fragilite;non\n"
)


@pytest.fixture
def catalogue(geo: Any) -> dict[str, Indicator]:
    run = catalogue_import(data=CATALOGUE_CSV.encode(), file_name="catalogue.csv")
    assert run.status == "reussi", run.problems
    return {indicator.code: indicator for indicator in Indicator.objects.all()}
