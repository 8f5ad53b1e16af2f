from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from observatoire.models import ImportRun, Indicator, IndicatorValue
from tests.observatoire.conftest import CATALOGUE_CSV


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_import_catalogue_and_values(geo: Any, tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_bytes(CATALOGUE_CSV.encode("cp1252"))
    out, err = StringIO(), StringIO()
    call_command("import_catalogue", str(catalogue), stdout=out, stderr=err)
    assert "indicateurs : 3 créé(s), 0 modifié(s)" in out.getvalue()
    assert Indicator.objects.count() == 3
    values = tmp_path / "valeurs.csv"
    values.write_text("CODGEO;TX_CHOM\n94080;7,5\n")
    call_command(
        "import_indicateurs", str(values), "--annee", "2021", "--dry-run", stdout=out, stderr=err
    )
    assert IndicatorValue.objects.count() == 0
    call_command("import_indicateurs", str(values), "--annee", "2021", stdout=out, stderr=err)
    assert IndicatorValue.objects.get().value == 7.5
    assert "100 %" in err.getvalue()  # the progress bar
    assert ImportRun.objects.count() == 3


def test_a_refused_file_exits_non_zero_with_every_problem(
    catalogue: dict[str, Indicator], tmp_path: Path
) -> None:
    values = tmp_path / "valeurs.csv"
    values.write_text("CODGEO;TX_CHOM\n99999;7,5\n94080;abc\n")
    err = StringIO()
    with pytest.raises(CommandError, match="2 problème"):
        call_command(
            "import_indicateurs", str(values), "--annee", "2021", stdout=StringIO(), stderr=err
        )
    assert "ligne 2, colonne « CODGEO » : code de territoire inconnu" in err.getvalue()
    assert "ligne 3, colonne « TX_CHOM » : valeur non numérique" in err.getvalue()
    assert IndicatorValue.objects.count() == 0


def test_a_bad_catalogue_is_refused(geo: Any, tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(
        "code;libelle;unite;source;millesime;domaine;polarite\n"
        "A;Un;%;INSEE;2021;Santé;atout\n"
        "B;Deux;%;INSEE;2021;Sante;fragilite\n"
        "A;Trois;%;INSEE;2021;Santé;neutre\n"
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_catalogue", str(catalogue), stdout=StringIO(), stderr=err)
    assert "ligne 3, colonne « domaine »" in err.getvalue()
    assert "ligne 4, colonne « code » : ligne en double" in err.getvalue()
    assert "ligne 4, colonne « polarite »" in err.getvalue()
    assert Indicator.objects.count() == 0


def test_reimporting_the_catalogue_changes_nothing(geo: Any, tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(CATALOGUE_CSV)
    call_command("import_catalogue", str(catalogue), stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("import_catalogue", str(catalogue), stdout=out, stderr=StringIO())
    assert "0 changement(s)" in out.getvalue()


def test_a_catalogue_in_xlsx(geo: Any, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    for row in CATALOGUE_CSV.strip().splitlines():
        book.active.append(row.split(";"))
    path = tmp_path / "catalogue.xlsx"
    book.save(path)
    call_command("import_catalogue", str(path), stdout=StringIO(), stderr=StringIO())
    chomage = Indicator.objects.get(code="TX_CHOM")
    assert (chomage.fragility.code, chomage.polarity, chomage.additive) == (
        "emploi-chomage-insertion",
        "fragilite",
        False,
    )
    assert Indicator.objects.get(code="P21_POP").additive is True
