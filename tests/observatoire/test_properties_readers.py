"""Property-based: the file readers turn any bytes into rows and a list of problems,
or refuse the file with a French message — never another exception."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from observatoire.imports.catalogue import read_catalogue_file
from observatoire.imports.problems import FileRefused
from observatoire.imports.values import read_values_file
from tests.observatoire.hostile_files import WIDE, xlsx_file

TERRITORIES = {"94080": 1, "94067": 2, "2A004": 3}
INDICATORS = {"TX_CHOM": 1, "P21_POP": 2}
FRAGILITIES = {"Emploi / chômage / insertion": 1}
BOUNDED = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
GOOD_XLSX = xlsx_file([["CODGEO", "TX_CHOM"], ["94080", 7.5], ["94067", "6,2"]])

# Text that looks like the files people send: known and unknown columns and codes, separators,
# decimal commas, missing markers, quotes, odd characters.
cells = st.one_of(
    st.sampled_from(
        ["CODGEO", "TX_CHOM", "P21_POP", "indicateur", "code", "annee", "valeur", "94080", "2A004"]
    ),
    st.sampled_from(["7,5", "1.5e3", "-", "s", "nd", "", " ", '"', "2021", "1 234,5", "=1+1"]),
    st.text(max_size=12),
)
lines = st.lists(cells, min_size=0, max_size=6).map(lambda row: ";".join(row))
csv_texts = st.lists(lines, min_size=0, max_size=30).map("\n".join)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "utf-32"])


def read_both(data: bytes, file_name: str) -> None:
    for read in (_values, _catalogue):
        try:
            result = read(data, file_name)
        except FileRefused as refused:
            assert refused.problems
            assert all(str(problem) for problem in refused.problems)
        else:
            assert all(str(problem) for problem in result.problems)


def _values(data: bytes, file_name: str) -> object:
    values_file = read_values_file(
        data,
        file_name=file_name,
        year=2021,
        level="commune",
        code_column="CODGEO",
        territory_codes=TERRITORIES,
        indicator_codes=INDICATORS,
    )
    if not values_file.problems:
        for block in values_file.blocks():
            assert len(block.territory_ids) == len(block.values)
    return values_file


def _catalogue(data: bytes, file_name: str) -> object:
    return read_catalogue_file(data, file_name=file_name, fragilities=FRAGILITIES)


@BOUNDED
@given(data=st.binary(max_size=4_000), name=st.sampled_from(["f.csv", "f.xlsx", "f.txt"]))
@example(data=b"\x00", name="f.csv")
@example(data=b"\xff\xfe", name="f.csv")
@example(data=b"PK\x03\x04", name="f.csv")
@example(data=b"\n" * 1_000, name="f.csv")
def test_any_bytes(data: bytes, name: str) -> None:
    read_both(data, name)


@BOUNDED
@given(text=csv_texts, encoding=encodings)
@example(text=WIDE, encoding="utf-16")
@example(text="CODGEO;CODGEO\n94080;1\n", encoding="utf-8")
@example(text="indicateur;valeur\nTX_CHOM;1\n", encoding="utf-8")
@example(text="indicateur;code;annee;valeur\nTX_CHOM;94080;2021,5;1\n", encoding="utf-8")
def test_any_csv_like_text_in_any_encoding(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", errors="replace")
    read_both(data, "valeurs.csv")


@BOUNDED
@given(
    cut=st.integers(min_value=0, max_value=len(GOOD_XLSX)),
    flips=st.lists(st.tuples(st.integers(0, len(GOOD_XLSX) - 1), st.integers(0, 255)), max_size=8),
)
def test_a_damaged_or_truncated_workbook(cut: int, flips: list[tuple[int, int]]) -> None:
    data = bytearray(GOOD_XLSX)
    for position, value in flips:
        data[position] = value
    read_both(bytes(data[:cut] if cut else data), "valeurs.xlsx")


@BOUNDED
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.integers(-(10**12), 10**12),
                st.floats(allow_nan=True, allow_infinity=True),
                st.booleans(),
                st.text(max_size=10).filter(lambda t: t.isprintable()),
                st.sampled_from(["CODGEO", "TX_CHOM", "94080", "7,5", "s"]),
            ),
            max_size=5,
        ),
        max_size=8,
    )
)
def test_any_workbook_content(rows: list[list[object]]) -> None:
    try:
        data = xlsx_file(rows)
    except Exception:  # openpyxl itself refuses some values (illegal characters)
        return
    read_both(data, "valeurs.xlsx")


@pytest.mark.parametrize(
    "member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"]
)
def test_a_workbook_with_a_garbled_part(member: str) -> None:
    source = zipfile.ZipFile(io.BytesIO(GOOD_XLSX))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info, b"<oops" if info.filename == member else content)
    read_both(buffer.getvalue(), "valeurs.xlsx")
