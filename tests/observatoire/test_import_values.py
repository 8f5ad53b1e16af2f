from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from observatoire.imports import loading
from observatoire.models import ImportRun, Indicator, IndicatorValue
from observatoire.services import values_import


def snapshot() -> list[tuple]:
    return sorted(
        IndicatorValue.objects.values_list("indicator__code", "territory__code", "year", "value")
    )


def run_values(
    text: str | bytes, *, year: int | None = 2021, dry_run: bool = False, **kw: Any
) -> ImportRun:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return values_import(
        data=data, file_name=kw.pop("file_name", "valeurs.csv"), year=year, dry_run=dry_run, **kw
    )


WIDE_LATIN1 = (
    "CODGEO;LIBGEO;P21_POP;TX_CHOM;TX_PAUV\n"
    "94080;Vincennes;48193;7,5;9,1\n"
    "94067;Saint-Mandé;21071;6,2;s\n"
    "42218;Saint-Étienne;173136;15,3;nd\n"
    "42095;Firminy;16817;-;n.d.\n"
    "42001;Aboën;512;;4,0\n"
).encode("latin-1")


def test_it_imports_a_wide_latin1_file_with_decimal_comma(catalogue: dict[str, Indicator]) -> None:
    run = run_values(WIDE_LATIN1)
    assert run.status == "reussi", run.problems
    assert (run.layout, run.rows_read, run.values_read, run.created) == ("large", 5, 15, 15)
    assert run.sha256 and run.duration is not None
    rows = {(code, terr): value for code, terr, _, value in snapshot()}
    assert rows[("TX_CHOM", "94080")] == 7.5
    assert rows[("P21_POP", "42001")] == 512
    # Secret and missing markers are NULL, never 0.
    assert rows[("TX_PAUV", "94067")] is None
    assert rows[("TX_PAUV", "42218")] is None
    assert rows[("TX_CHOM", "42095")] is None
    assert rows[("TX_CHOM", "42001")] is None
    assert rows[("TX_PAUV", "42001")] == 4.0


def test_reimporting_the_same_file_changes_nothing(catalogue: dict[str, Indicator]) -> None:
    run_values(WIDE_LATIN1)
    before = snapshot()
    again = run_values(WIDE_LATIN1)
    assert again.status == "reussi"
    assert (again.created, again.updated, again.unchanged, again.changed) == (0, 0, 15, 0)
    assert snapshot() == before


def test_a_new_file_for_the_same_year_replaces_the_values_it_carries(
    catalogue: dict[str, Indicator],
) -> None:
    run_values(WIDE_LATIN1)
    run = run_values("CODGEO;TX_CHOM\n94080;8,0\n94067;6,2\n42095;12\n")
    assert (run.created, run.updated, run.unchanged) == (0, 2, 1)
    rows = {(code, terr): value for code, terr, _, value in snapshot()}
    assert rows[("TX_CHOM", "94080")] == 8.0
    assert rows[("TX_CHOM", "42095")] == 12.0
    assert rows[("TX_PAUV", "94080")] == 9.1  # not in the new file: kept


def test_it_imports_a_long_utf8_file_with_commas(catalogue: dict[str, Indicator]) -> None:
    text = (
        "indicateur,code,annee,valeur\n"
        "TX_CHOM,94080,2020,7.1\n"
        "TX_CHOM,94080,2021,7.5\n"
        'TX_PAUV,42218,2021,"21,4"\n'
        "TX_PAUV,42095,2021,s\n"
    )
    run = run_values(text, year=None)
    assert run.status == "reussi", run.problems
    assert (run.layout, run.created) == ("longue", 4)
    assert snapshot() == [
        ("TX_CHOM", "94080", 2020, 7.1),
        ("TX_CHOM", "94080", 2021, 7.5),
        ("TX_PAUV", "42095", 2021, None),
        ("TX_PAUV", "42218", 2021, 21.4),
    ]


def test_mixed_decimal_marks_in_a_column_are_all_read(catalogue: dict[str, Indicator]) -> None:
    # read_csv(decimal=',') leaves such a column as text: every dtype is checked after parsing.
    run = run_values("CODGEO;TX_CHOM\n94080;7,5\n94067;6.2\n42218;1 234,5\n")
    assert run.status == "reussi", run.problems
    values = {terr: value for _, terr, _, value in snapshot()}
    assert values == {"94080": 7.5, "94067": 6.2, "42218": 1234.5}


def test_it_imports_an_xlsx_file(catalogue: dict[str, Indicator]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["CODGEO", "LIBGEO", "TX_CHOM", "TX_PAUV"])
    sheet.append(["94080", "Vincennes", 7.5, "s"])
    sheet.append([42218, "Saint-Étienne", "15,3", 21.4])  # a code typed as a number
    sheet.append(["42001", "Aboën", None, 4])
    buffer = io.BytesIO()
    book.save(buffer)
    run = run_values(buffer.getvalue(), file_name="valeurs.xlsx")
    assert run.status == "reussi", run.problems
    rows = {(code, terr): value for code, terr, _, value in snapshot()}
    assert rows == {
        ("TX_CHOM", "94080"): 7.5,
        ("TX_PAUV", "94080"): None,
        ("TX_CHOM", "42218"): 15.3,
        ("TX_PAUV", "42218"): 21.4,
        ("TX_CHOM", "42001"): None,
        ("TX_PAUV", "42001"): 4.0,
    }


def test_commune_codes_stay_text(geo: Any, catalogue: dict[str, Indicator]) -> None:
    from territoires.models import Level, Territory

    Territory.objects.create(level=Level.COMMUNE, code="2A004", name="Ajaccio", population=70_000)
    Territory.objects.create(level=Level.COMMUNE, code="01001", name="L'Abergement", population=800)
    run = run_values("CODGEO;TX_CHOM\n2A004;9,9\n01001;3,1\n1001;3,1\n")
    # « 1001 » is « 01001 » without its zero: found, and reported as a duplicate of line 3.
    assert run.status == "refuse"
    assert [(p["line"], p["kind"]) for p in run.problems] == [(4, "ligne_en_double")]
    run = run_values("CODGEO;TX_CHOM\n2A004;9,9\n01001;3,1\n")
    assert run.status == "reussi"
    assert {terr for _, terr, _, _ in snapshot()} == {"2A004", "01001"}


BAD_FILES = {
    "territoire_inconnu": ("CODGEO;TX_CHOM\n94080;7,5\n99999;1\n", 3, "CODGEO"),
    "indicateur_inconnu": ("CODGEO;TX_CHOM;INCONNU\n94080;7,5;1\n", 1, "INCONNU"),
    "valeur_non_numerique": ("CODGEO;TX_CHOM\n94080;7,5\n94067;beaucoup\n", 3, "TX_CHOM"),
    "ligne_en_double": ("CODGEO;TX_CHOM\n94080;7,5\n94067;1\n94080;7,5\n", 4, "CODGEO"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_bad_file_is_refused_with_line_and_column_and_leaves_the_data(
    catalogue: dict[str, Indicator], kind: str, dry_run: bool
) -> None:
    run_values(WIDE_LATIN1)
    before = snapshot()
    text, line, column = BAD_FILES[kind]
    run = run_values(text, dry_run=dry_run)
    assert run.status == "refuse"
    assert [(p["kind"], p["line"], p["column"]) for p in run.problems] == [(kind, line, column)]
    assert "Rien n’a été enregistré" in run.message
    assert snapshot() == before


def test_year_out_of_range_is_refused(catalogue: dict[str, Indicator]) -> None:
    run = run_values("CODGEO;TX_CHOM\n94080;7,5\n", year=1850)
    assert run.status == "refuse"
    assert run.problems[0]["kind"] == "annee_hors_limites"
    long_text = "indicateur;code;annee;valeur\nTX_CHOM;94080;2021;1\nTX_CHOM;94067;3021;2\n"
    run = run_values(long_text, year=None)
    assert [(p["kind"], p["line"], p["column"]) for p in run.problems] == [
        ("annee_hors_limites", 3, "annee")
    ]
    assert snapshot() == []


def test_every_problem_is_listed(catalogue: dict[str, Indicator]) -> None:
    text = (
        "indicateur;code;annee;valeur\n"
        "TX_CHOM;94080;2021;7,5\n"
        "TX_CHOM;94080;2021;7,5\n"
        "NOPE;94067;2021;1\n"
        "TX_PAUV;00000;2021;2\n"
        "TX_PAUV;42218;2021;x\n"
        "TX_PAUV;42095;1800;1\n"
    )
    run = run_values(text, year=None)
    assert [(p["line"], p["kind"]) for p in run.problems] == [
        (3, "ligne_en_double"),
        (4, "indicateur_inconnu"),
        (5, "territoire_inconnu"),
        (6, "valeur_non_numerique"),
        (7, "annee_hors_limites"),
    ]
    assert run.problem_count == 5
    assert snapshot() == []


def test_a_dry_run_reports_what_would_change_and_writes_nothing(
    catalogue: dict[str, Indicator],
) -> None:
    run = run_values(WIDE_LATIN1, dry_run=True)
    assert (run.status, run.created) == ("reussi", 15)
    assert snapshot() == []
    run_values(WIDE_LATIN1)
    run = run_values("CODGEO;TX_CHOM\n94080;8,0\n", dry_run=True)
    assert (run.created, run.updated, run.unchanged) == (0, 1, 0)
    assert ("TX_CHOM", "94080", 2021, 7.5) in snapshot()


def test_the_bulk_path_drops_and_rebuilds_the_keys(
    catalogue: dict[str, Indicator], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "BULK_ROWS", 1)
    before = loading._table_definitions(loading.TABLE)
    run = run_values(WIDE_LATIN1)
    assert run.created == 15 and "index reconstruits" in run.message
    run = run_values(WIDE_LATIN1.replace(b"7,5", b"7,6"))
    assert (run.created, run.updated, run.unchanged) == (0, 1, 14)
    assert "remplacement" in run.message
    assert loading._table_definitions(loading.TABLE) == before
    assert len(snapshot()) == 15 + 7  # and P21_POP summed into 2 EPCI, 2 dép., 2 régions, France


def test_counts_are_summed_up_the_levels_and_rates_never(
    geo: Any, catalogue: dict[str, Indicator]
) -> None:
    run = run_values(WIDE_LATIN1)
    assert "recalculée" in run.message
    values = {
        (code, terr): value
        for code, terr, _, value in snapshot()
        if terr in {"244200770", "200054781", "42", "94", "84", "11", "FR"}
    }
    assert values[("P21_POP", "244200770")] == 173136 + 16817 + 512
    assert values[("P21_POP", "200054781")] == 48193 + 21071
    assert values[("P21_POP", "42")] == values[("P21_POP", "84")] == 173136 + 16817 + 512
    assert values[("P21_POP", "FR")] == 48193 + 21071 + 173136 + 16817 + 512
    assert not any(code != "P21_POP" for code, _ in values)  # rates are not aggregated
    # A commune without a value: its parents get no total (NULL), never an understated one.
    run_values("CODGEO;P21_POP\n42001;s\n")
    values = {terr: value for code, terr, _, value in snapshot() if code == "P21_POP"}
    assert values["244200770"] is None and values["42"] is None and values["FR"] is None
    assert values["200054781"] == 48193 + 21071
