"""Every byte sequence sent to the imports gets a French answer, the run always ends
« refusé » or « échoué » (never « en cours »), and nothing is half-written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from observatoire.imports import reading
from observatoire.imports.problems import FileRefused, Problem, storable
from observatoire.models import ImportRun, ImportStatus, Indicator, IndicatorValue
from observatoire.services import values_import
from tests.conftest import committed, logged_in
from tests.observatoire.hostile_files import WIDE, hostile_files, xlsx_bomb, xlsx_file

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
HOSTILE = hostile_files()
# Files that are readable after all: UTF-16/32 text is decoded, blank lines are skipped.
READABLE = {
    "utf16-bom-tab",
    "utf16le-no-bom",
    "utf16be-no-bom",
    "utf32-bom",
    "utf32le-no-bom",
    "1m-empty-lines",
    "1m-separator-lines",
}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_hostile_file_ends_refused_or_imported(
    name: str, catalogue: dict[str, Indicator]
) -> None:
    file_name, data = HOSTILE[name]
    run = values_import(data=data, file_name=file_name, year=2021, dry_run=True)
    run.refresh_from_db()
    assert run.status in (ImportStatus.SUCCEEDED, ImportStatus.REFUSED), run.message
    assert run.progress == 100 and run.finished_at is not None
    if name in READABLE:
        assert run.status == ImportStatus.SUCCEEDED, run.problems
        assert (run.rows_read, run.values_read) == (2, 2)
    elif run.status == ImportStatus.REFUSED:
        assert run.problem_count >= 1 and run.problems
        assert "Rien n’a été enregistré" in run.message
        for problem in run.problems:
            assert "\x00" not in problem["message"] and len(problem["message"]) <= 500
    assert IndicatorValue.objects.count() == 0


def test_a_utf16_file_from_excel_imports_for_real(catalogue: dict[str, Indicator]) -> None:
    file_name, data = HOSTILE["utf16-bom-tab"]
    run = values_import(data=data, file_name=file_name, year=2021)
    assert run.status == ImportStatus.SUCCEEDED, run.problems
    assert dict(IndicatorValue.objects.values_list("territory__code", "value")) == {
        "94080": 7.5,
        "94067": 6.2,
    }


def test_nul_bytes_are_refused_with_their_line(catalogue: dict[str, Indicator]) -> None:
    file_name, data = HOSTILE["nul-bytes"]
    run = values_import(data=data, file_name=file_name, year=2021)
    run.refresh_from_db()
    assert run.status == ImportStatus.REFUSED
    assert run.problems[0]["line"] == 4
    assert "octet nul à la ligne 4" in run.problems[0]["message"]


def test_the_xlsx_bomb_is_refused_before_it_is_unzipped(catalogue: dict[str, Indicator]) -> None:
    data = xlsx_bomb()  # 1.6 M rows: ≈ 450 KB that unzip to ≈ 133 MB
    assert len(data) < 600_000
    with pytest.raises(FileRefused) as refused:
        reading.check_xlsx_archive(data)
    assert "se décompresse" in refused.value.problems[0].message
    run = values_import(data=data, file_name="bombe.xlsx", year=2021)
    assert run.status == ImportStatus.REFUSED and run.duration < 5


def test_xlsx_limits_on_rows_columns_and_size(
    catalogue: dict[str, Indicator], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "XLSX_MAX_ROWS", 10)
    rows: list[list[object]] = [["CODGEO", "TX_CHOM"], *[["94080", 1.0]] * 20]
    assert "plus de 10 lignes" in refusal(xlsx_file(rows))
    monkeypatch.setattr(reading, "MAX_COLUMNS", 5)
    assert "au plus 5 sont acceptées" in refusal(xlsx_file([[f"C{i}" for i in range(8)]]))
    monkeypatch.setattr(reading, "XLSX_MAX_UNCOMPRESSED", 1_000)
    assert "limite de 0 Mo" in refusal(xlsx_file(rows))


def refusal(data: bytes, file_name: str = "f.xlsx") -> str:
    with pytest.raises(FileRefused) as refused:
        reading.read_table(data, file_name=file_name)
    return refused.value.problems[0].message


def test_an_ordinary_xlsx_still_imports(catalogue: dict[str, Indicator]) -> None:
    data = xlsx_file([["CODGEO", "LIBGEO", "TX_CHOM"], [94080, "Vincennes", 7.5], [], ["94067"]])
    run = values_import(data=data, file_name="valeurs.xlsx", year=2021)
    assert run.status == ImportStatus.SUCCEEDED, run.problems
    assert (run.rows_read, run.created) == (2, 2)


def test_problem_text_is_storable() -> None:
    assert storable("a\x00b\x07c\ud800") == "a\ufffdb\ufffdc\ufffd"
    assert storable("x" * 600, 500) == "x" * 499 + "…"
    problem = Problem(2, "CO\x00DE", "fichier", "« \x00 »" + "y" * 1_000)
    assert "\x00" not in str(problem) and len(problem.as_dict()["message"]) == 500


def test_an_unexpected_error_ends_the_run_failed_and_storable(
    catalogue: dict[str, Indicator], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("panne \x00 imprévue")

    monkeypatch.setattr("observatoire.services.read_values_file", explode)
    run = values_import(data=WIDE.encode(), file_name="v.csv", year=2021)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED and run.progress == 100
    assert "panne \ufffd imprévue" in run.message and IndicatorValue.objects.count() == 0


def test_an_unstorable_report_still_ends_the_run(
    catalogue: dict[str, Indicator], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        # A JSON value PostgreSQL cannot store (\u0000), as raw problems once were.
        raise FileRefused([Problem(1, None, "fichier", "ok")])

    monkeypatch.setattr("observatoire.services.read_values_file", refuse)
    monkeypatch.setattr(Problem, "as_dict", lambda self: {"message": "\x00"})
    run = values_import(data=WIDE.encode(), file_name="v.csv", year=2021)
    run = ImportRun.objects.get(pk=run.pk)
    assert run.status == ImportStatus.FAILED and run.progress == 100
    assert "rapport de l’import n’a pas pu être enregistré" in run.message


@pytest.mark.parametrize("name", ["nul-bytes", "utf16le-no-bom", "xlsx-bomb", "10000-columns"])
def test_the_command_answers_in_french_with_a_non_zero_exit(
    name: str, catalogue: dict[str, Indicator], tmp_path: Path
) -> None:
    file_name, data = HOSTILE[name]
    path = tmp_path / file_name
    path.write_bytes(data)
    if name in READABLE:
        call_command("import_indicateurs", str(path), "--annee", "2021", stdout=_Sink())
        return
    with pytest.raises(CommandError, match="Fichier refusé"):
        call_command(
            "import_indicateurs", str(path), "--annee", "2021", stdout=_Sink(), stderr=_Sink()
        )


def test_the_command_prints_at_most_a_thousand_problems(
    catalogue: dict[str, Indicator], tmp_path: Path
) -> None:
    path = tmp_path / "v.csv"
    path.write_text("CODGEO;TX_CHOM\n" + "".join(f"{n:05d};1\n" for n in range(1_500)))
    stderr = _Sink()
    with pytest.raises(CommandError):
        call_command(
            "import_indicateurs", str(path), "--annee", "2021", stdout=_Sink(), stderr=stderr
        )
    lines = stderr.text.splitlines()
    assert sum("code de territoire inconnu" in line for line in lines) == 1_000
    assert "… et 500 autre(s) problème(s)." in lines


def test_the_upload_page_refuses_big_files_and_shows_refusals(
    nadia: User, catalogue: dict[str, Indicator], settings: Any
) -> None:
    client = logged_in(nadia)
    settings.UPLOAD_MAX_BYTES = 1_000
    response = client.post(
        "/observatoire/imports/",
        {"kind": "valeurs", "valeurs-file": SimpleUploadedFile("v.csv", b"x" * 1_500)},
    )
    assert response.status_code == 400
    assert "Fichier trop volumineux (plus de 0 Mo)" in response.content.decode()
    settings.UPLOAD_MAX_BYTES = 1_048_576
    response = client.post(
        "/observatoire/imports/",
        {"kind": "valeurs", "valeurs-file": SimpleUploadedFile("v.csv", b"x" * 2_200_000)},
    )
    assert response.status_code == 413 and "dépasse 1 Mo" in response.content.decode()
    file_name, data = HOSTILE["nul-bytes"]
    with committed():
        response = client.post(
            "/observatoire/imports/",
            {
                "kind": "valeurs",
                "valeurs-file": SimpleUploadedFile(file_name, data),
                "valeurs-year": "2021",
                "valeurs-level": "commune",
                "valeurs-code_column": "CODGEO",
            },
        )
    run = ImportRun.objects.order_by("-pk").first()
    assert response.status_code == 302 and run.status == ImportStatus.REFUSED
    page = client.get(response["Location"]).content.decode()
    assert "octet nul à la ligne 4" in page and "hx-trigger" not in page.split("</main>")[0][-50:]


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text + "\n"

    def flush(self) -> None:
        return None


@pytest.mark.parametrize(
    "name", ["a\x00b.csv", "../../etc/x.csv", "é" * 400 + ".csv", "x.csv\x00.exe", "a\u202e.csv"]
)
def test_odd_upload_file_names_get_an_answer(
    name: str, nadia: User, catalogue: dict[str, Indicator]
) -> None:
    response = logged_in(nadia).post(
        "/observatoire/imports/",
        {"kind": "catalogue", "catalogue-file": SimpleUploadedFile(name, b"code;x\n1;2\n")},
    )
    assert response.status_code in (302, 400)
    run = ImportRun.objects.order_by("-pk").first()
    assert "\x00" not in run.file_name and len(run.file_name) <= 255


def test_a_sheet_of_blank_rows_without_dimension_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reading, "XLSX_MAX_ROWS", 1_000)
    # One real row far below the header: openpyxl yields every blank row in between.
    sheet = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>CODGEO</t></is></c></row>'
        b'<row r="50000"><c r="A50000"><v>1</v></c></row>'
    )
    data = _with_sheet_data(sheet)
    assert "plus de 1\u202f000 lignes" in refusal(data)


def _with_sheet_data(rows_xml: bytes) -> bytes:
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx_bomb(rows=0)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<sheetData>", b"<sheetData>" + rows_xml)
            target.writestr(info.filename, content)
    return buffer.getvalue()


def test_a_file_wrong_on_every_cell_counts_all_and_keeps_the_first(
    catalogue: dict[str, Indicator],
) -> None:
    header = "CODGEO;" + ";".join(["TX_CHOM", "P21_POP", "TX_PAUV"] * 1) + "\n"
    rows = "".join("94080;x;y;z\n" if n == 0 else f"9{n:04d};x;y;z\n" for n in range(4_000))
    run = values_import(data=(header + rows).encode(), file_name="v.csv", year=2021)
    run.refresh_from_db()
    # 3 999 unknown codes + 12 000 cells that are not numbers, all counted; 5 000 kept, in order.
    assert run.status == ImportStatus.REFUSED and run.problem_count == 3_999 + 12_000
    assert len(run.problems) == 5_000
    assert [p["line"] for p in run.problems] == sorted(p["line"] for p in run.problems)
    assert run.problems[0]["line"] == 2
