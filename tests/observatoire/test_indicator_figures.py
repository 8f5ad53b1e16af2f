"""One meaning per indicator figure: counts ranked as rates, « atout » indicators oriented like
every other (100 = le plus fragile), curated fragility levels shown beside the ranks."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from observatoire.models import Indicator, Kind, PeerDistribution
from observatoire.queries import fragility_rank, territory_indicator_profile
from observatoire.services import catalogue_import, values_import
from territoires.models import Fragility, FragilityReading
from tests.observatoire.report_helpers import pdf_text

pytestmark = pytest.mark.django_db

CATALOGUE = (
    "code;libelle;unite;source;millesime;domaine;polarite;additif\n"
    "RSA;Allocataires du RSA;personnes;Essai;2022;Pauvreté / lutte contre l'exclusion;"
    "fragilite;oui\n"
    "ETAB;Établissements actifs;établissements;Essai;2022;Développement économique;atout;oui\n"
)
# Vincennes (48 193 inhab.) and Saint-Mandé (21 071) are peers (« moins de 50 000 habitants »).
# Vincennes has more of both in number, fewer of both per 1 000 inhabitants.
VALUES = "CODGEO;RSA;ETAB\n94080;1000;3000\n94067;800;2500\n"


@pytest.fixture(autouse=True)
def cache_dir(settings: Any, tmp_path: Any) -> Any:
    settings.CACHE_DIR = tmp_path
    return tmp_path


@pytest.fixture
def figures(geo: Any) -> dict[str, Indicator]:
    run = catalogue_import(data=CATALOGUE.encode(), file_name="catalogue.csv")
    assert run.status == "reussi", run.problems
    run = values_import(data=VALUES.encode(), file_name="v.csv", year=2022)
    assert run.status == "reussi", run.problems
    return {i.code: i for i in Indicator.objects.all()}


def test_the_catalogue_says_which_indicators_are_counts(figures: dict[str, Indicator]) -> None:
    assert figures["RSA"].kind == Kind.COUNT and figures["RSA"].is_count
    bad = "code;libelle;unite;source;millesime;domaine;polarite;additif;nature\n" + (
        "X;X;%;S;2022;Santé;atout;oui;taux\n"
    )
    run = catalogue_import(data=bad.encode(), file_name="c.csv")
    assert run.status == "refuse"
    assert "un indicateur additif est un effectif" in str(run.problems)


def test_counts_are_ranked_per_1000_inhabitants(geo: Any, figures: dict[str, Indicator]) -> None:
    distribution = PeerDistribution.objects.get(
        indicator=figures["RSA"], level="commune", segment__code="moins-de-50000"
    )
    # 1 000 / 48 193 × 1 000 = 20.75 ; 800 / 21 071 × 1 000 = 37.97: rates, not counts.
    assert round(distribution.quantiles[0], 2) == 20.75
    assert round(distribution.quantiles[-1], 2) == 37.97
    lines = {
        line.indicator.code: line
        for domain in territory_indicator_profile(geo.vincennes).domains
        for line in domain.lines
    }
    # More recipients in number, fewer per inhabitant: the least fragile of its peers.
    assert lines["RSA"].value == 1000 and lines["RSA"].rate == 20.75
    assert lines["RSA"].rank == 0
    # More establishments in number, fewer per inhabitant: for an « atout », the fragile side.
    assert lines["ETAB"].rank == 100


@pytest.mark.chromium
def test_an_atout_reads_the_same_on_the_page_in_the_csv_and_in_the_pdf(
    figures: dict[str, Indicator],
) -> None:
    client = Client()
    page = (
        client.get("/territoires/commune/94067/indicateurs/")
        .content.decode()
        .replace("\u00a0", " ")
        .replace("\u202f", " ")
    )
    row = page.split('data-indicator="ETAB"')[1].split("</tr>")[0]
    assert "0<sup>e</sup> centile" in row and "118,65 pour 1 000 hab." in row
    assert "100 = le plus fragile" in page
    csv_text = client.get("/territoires/commune/94067/indicateurs.csv").content.decode("utf-8-sig")
    assert "ETAB;Établissements actifs;2022;2500;établissements;effectif;118.65;" in csv_text
    assert csv_text.split("ETAB;")[1].split("\n")[0].endswith(";0;2;Essai")
    pdf = pdf_text(client.get("/territoires/commune/94067/rapport.pdf").content)
    assert "Établissements actifs (établissements) 2022 2 500 118,65 pour 1 000 hab." in pdf
    assert "Rang centile parmi les pairs : 100 = le plus fragile" in pdf
    etab = pdf.split("Établissements actifs (établissements) 2022")[1][:120]
    assert " 0 sur 2" in etab


@pytest.mark.chromium
def test_a_curated_level_and_the_ranks_are_shown_together(
    geo: Any, figures: dict[str, Indicator]
) -> None:
    FragilityReading.objects.create(
        territory=geo.saint_mande,
        fragility=Fragility.objects.get(code="pauvrete-exclusion"),
        level=0,
        source="diagnostic",
        diagnosis_author="Réseau local",
        diagnosis_date=date(2025, 3, 1),
    )
    sentence = (
        "Niveau retenu par le réseau : 0 — non observée (diagnostic local, Réseau local, "
        "1er mars 2025) ; indicateurs : 100e centile (Allocataires du RSA). Les deux lectures "
        "divergent"
    )
    page = (
        Client()
        .get("/territoires/commune/94067/indicateurs/")
        .content.decode()
        .replace("\u00a0", " ")
        .replace("\u202f", " ")
    )
    assert "À examiner :" in page and sentence in page
    pdf = pdf_text(Client().get("/territoires/commune/94067/rapport.pdf").content)
    # The report's reading table: the level, its source and the gap on the domain's line.
    assert (
        "0 — non observée (diagnostic local, Réseau local, 1er mars 2025). À examiner : les deux "
        "lectures divergent" in pdf
    )
    # Vincennes: no curated level yet, said as such beside its ranks.
    page = (
        Client()
        .get("/territoires/commune/94080/indicateurs/")
        .content.decode()
        .replace("\u00a0", " ")
        .replace("\u202f", " ")
    )
    assert "Aucun niveau n’est encore retenu par le réseau pour ce domaine" in page


def test_the_rank_convention() -> None:
    assert fragility_rank(80.0, "fragilite") == 80
    assert fragility_rank(80.0, "atout") == 20
    assert fragility_rank(62.5, "atout") == 38  # halves rounded up: 37.5 → 38
    assert fragility_rank(50.0, "") is None
    assert fragility_rank(None, "atout") is None


def test_changing_an_indicators_nature_reranks_its_peers(figures: dict[str, Indicator]) -> None:
    changed = CATALOGUE.replace("fragilite;oui\n", "fragilite;non\n").replace(
        "polarite;additif\n", "polarite;additif;nature\n"
    )
    changed = changed.replace("fragilite;non\n", "fragilite;non;valeur\n").replace(
        "atout;oui\n", "atout;oui;effectif\n"
    )
    run = catalogue_import(data=changed.encode(), file_name="catalogue.csv")
    assert run.status == "reussi", run.problems
    distribution = PeerDistribution.objects.get(
        indicator=figures["RSA"], level="commune", segment__code="moins-de-50000"
    )
    assert (distribution.quantiles[0], distribution.quantiles[-1]) == (800, 1000)


def test_the_csv_runs_a_constant_number_of_queries(
    figures: dict[str, Indicator], django_assert_num_queries: Any
) -> None:
    # territory, segments, values, peer distributions, curated levels, every value of the territory
    with django_assert_num_queries(6):
        response = Client().get("/territoires/commune/94080/indicateurs.csv")
    assert response.status_code == 200
