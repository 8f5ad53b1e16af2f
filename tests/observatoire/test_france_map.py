"""The map of France: 101 départements drawn and linked, the legend's thresholds are the
quintiles of the values shown, a scope below the threshold shows no figure, the table's CSV."""

from __future__ import annotations

import re
import statistics
from typing import Any

import pytest
from django.test import Client

from observatoire import maps
from observatoire.models import Indicator, IndicatorValue
from observatoire.services import catalogue_import
from observatoire.templatetags.observatoire import indicator_value
from pratiques.aggregates import release_aggregates
from territoires.models import Level, Territory
from tests.conftest import ok
from tests.pratiques.helpers import peers

pytestmark = pytest.mark.django_db

CATALOGUE = (
    "code;libelle;unite;source;millesime;domaine;polarite;additif;nature\n"
    "TXCHOM;Taux de chômage;%;Essai;2022;Emploi / chômage / insertion;fragilite;non;taux\n"
)


@pytest.fixture
def departements() -> list[Territory]:
    region = Territory.objects.create(level=Level.REGION, code="R1", name="Région essai")
    made = []
    for i, code in enumerate(sorted(maps.department_codes())):
        made.append(
            Territory.objects.create(
                level=Level.DEPARTEMENT,
                code=code,
                name=f"Département {code}",
                population=100_000 + i,
                region=region,
            )
        )
    assert catalogue_import(data=CATALOGUE.encode(), file_name="c.csv").status == "reussi"
    indicator = Indicator.objects.get(code="TXCHOM")
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=indicator,
            territory=t,
            year=2022,
            value=None if i % 17 == 3 else round(4 + (i * 37 % 101) / 10, 1),
        )
        for i, t in enumerate(made)
    )
    return made


def test_101_departements_drawn_and_linked(departements: list[Territory]) -> None:
    assert len(maps.department_codes()) == 101
    html = ok(
        Client().get("/observatoire/carte/?source=indicateur&indicateur=TXCHOM&mesure=valeur")
    ).content.decode()
    linked = set(
        re.findall(r'<a href="/territoires/departement/(\w+)/" data-code="\1"><title>', html)
    )
    assert len(linked) == 101 and {"2A", "2B", "971", "976", "75"} <= linked
    assert html.count("<title>") >= 101 and "LGPL" in html and "pygal_maps_fr" in html


def test_the_legend_thresholds_are_the_quintiles_of_the_values_shown(
    departements: list[Territory],
) -> None:
    html = ok(
        Client().get("/observatoire/carte/?indicateur=TXCHOM&mesure=valeur&annee=2022")
    ).content.decode()
    values = list(
        IndicatorValue.objects.filter(year=2022, value__isnull=False).values_list(
            "value", flat=True
        )
    )
    cuts = statistics.quantiles(values, n=5, method="inclusive")
    legend = html.split('class="map-legend"')[1].split("</ul>")[0]
    for cut in cuts:
        assert indicator_value(round(cut, 2)) in legend, (cut, legend)
    assert "non disponible" in legend and "moins de 5" in legend
    csv_bytes = (
        Client().get("/observatoire/carte/?indicateur=TXCHOM&mesure=valeur&format=csv").content
    )
    assert csv_bytes.startswith("\ufeff".encode())  # a spreadsheet reads the accents
    lines = csv_bytes.decode("utf-8-sig").splitlines()
    assert lines[0] == "code,nom,valeur,statut" and len(lines) == 102


def test_a_departement_below_the_threshold_shows_no_figure(geo: Any) -> None:
    peers(geo.vincennes, 4)  # Val-de-Marne: 4 people, below k = 5
    release_aggregates()
    html = ok(Client().get("/observatoire/carte/?source=pratiques")).content.decode()
    row = re.search(r'<tr data-code="94">(.*?)</tr>', html, re.S)[1]
    assert "moins de 5" in row and not re.search(r"\d", re.sub(r"<[^>]+>|94|moins de 5", "", row))
    title = re.search(r'data-code="94"><title>(.*?)</title>', html)[1]
    assert title.endswith("moins de 5")
    assert "environ" not in html.split('data-code="94"')[1][:200]


def test_by_region_and_a_bad_parameter(geo: Any) -> None:
    html = ok(Client().get("/observatoire/carte/?echelle=region")).content.decode()
    assert 'href="/territoires/region/11/"' in html
    assert Client().get("/observatoire/carte/?echelle=lune").status_code == 400


def test_the_map_is_cached_until_its_figures_change(
    departements: list[Territory], django_assert_max_num_queries, django_assert_num_queries
) -> None:
    client = Client()
    url = "/observatoire/carte/?mesure=valeur"
    with django_assert_max_num_queries(20):  # drawn: the stamp, the figures, the cache write
        ok(client.get(url))
    with django_assert_num_queries(2):  # the catalogue (the form) and the stamp of the figures
        cached = ok(client.get(url)).content.decode()
    assert "Département 01 : " in cached
    # A new value (a reload without an import run): a new stamp, the map is drawn again.
    IndicatorValue.objects.filter(territory=departements[0]).update(value=99.5)
    assert "Département 01 : 99,5" in ok(client.get(url)).content.decode()
