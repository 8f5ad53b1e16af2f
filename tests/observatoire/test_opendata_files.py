"""Bulk open-data files: Frictionless validates the package, CSV and Parquet row counts equal
the database's, nothing below the threshold carries a figure."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from frictionless import Package, validate

from observatoire import opendata
from observatoire.models import Indicator, IndicatorValue
from observatoire.services import catalogue_import
from pratiques.aggregates import release_aggregates
from pratiques.models import Practice
from territoires.models import Territory
from tests.pratiques.helpers import peers

pytestmark = pytest.mark.django_db

CATALOGUE = (
    "code;libelle;unite;source;millesime;domaine;polarite;additif;nature\n"
    "TXCHOM;Taux de chômage;%;Essai;2022;Emploi / chômage / insertion;fragilite;non;taux\n"
)


def test_files_rows_and_a_valid_datapackage(geo: Any, settings: Any, tmp_path: Path) -> None:
    settings.CACHE_DIR = tmp_path
    assert catalogue_import(data=CATALOGUE.encode(), file_name="c.csv").status == "reussi"
    indicator = Indicator.objects.get(code="TXCHOM")
    territories = list(Territory.objects.all())
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=indicator, territory=t, year=2022, value=None if i == 0 else 5.5 + i
        )
        for i, t in enumerate(territories)
    )
    peers(geo.vincennes, 6)
    peers(geo.saint_etienne, 3, start_index=20)
    release_aggregates()
    package = opendata.bulk_export()
    folder = opendata.folder()
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    counts = {r["name"]: r["rows"] for r in package["resources"]}
    kept = Territory.objects.filter(is_demo=False, archived_at__isnull=True)
    assert counts["territoires"] == kept.count()
    assert counts["valeurs_2022"] == IndicatorValue.objects.filter(year=2022).count()
    assert counts["grille"] == Practice.objects.exclude(version__status="draft").count()
    for resource in package["resources"]:
        with open(folder / resource["path"], encoding="utf-8") as handle:
            assert sum(1 for _ in csv.reader(handle)) - 1 == resource["rows"]
        parquet = folder / resource["parquet"]["path"]
        assert pq.ParquetFile(parquet).metadata.num_rows == resource["rows"]
    with open(folder / "territoires.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {"niveau", "code", "nom"} <= set(rows[0]) and any(r["code"] == "94" for r in rows)
    values = (folder / "valeurs_2022.csv").read_text(encoding="utf-8").splitlines()
    assert values[0] == "indicateur,niveau,code,annee,valeur" and any(
        v.endswith(",") for v in values
    )
    with open(folder / "agregats_diffuses.csv", encoding="utf-8") as handle:
        released = list(csv.DictReader(handle))
    loire = [r for r in released if r["niveau"] == "commune" and r["code"] == "42218"]
    assert loire and all(
        r["en_interne_pct"] == "" and r["personnes"] == "moins de 5" for r in loire
    )
    assert (
        json.loads((folder / "datapackage.json").read_text())["licenses"][0]["name"] == "etalab-2.0"
    )
    assert Package(str(folder / "datapackage.json")).get_resource("territoires")


def test_the_page_and_the_files(geo: Any, settings: Any, tmp_path: Path) -> None:
    from django.test import Client

    from observatoire.tasks import bulk_export_task

    settings.CACHE_DIR = tmp_path
    client = Client()
    assert "pas encore été générés" in client.get("/donnees/").content.decode()
    assert client.get("/donnees/territoires.csv").status_code == 404
    bulk_export_task.call()
    page = client.get("/donnees/").content.decode()
    assert "territoires.csv" in page and "territoires.parquet" in page and "Etalab" in page
    csv_file = client.get("/donnees/territoires.csv")
    assert csv_file.status_code == 200 and csv_file["Content-Type"].startswith("text/csv")
    assert client.get("/donnees/datapackage.json").status_code == 200
    assert client.get("/donnees/..%2Fsecret").status_code == 404
    assert client.get("/donnees/settings.py").status_code == 404


def test_a_release_enqueues_the_regeneration(
    geo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    peers(geo.vincennes, 6)
    with django_capture_on_commit_callbacks(execute=True):
        release_aggregates()
    assert DBTaskResult.objects.filter(task_path__endswith="bulk_export_task").count() == 1
