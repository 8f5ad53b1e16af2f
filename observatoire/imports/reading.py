"""Bytes of an uploaded file → a pandas table, the way French statistical files really come.

CSV (separator `;`, `,` or tab detected; UTF-8 or Windows-1252/Latin-1 detected) or XLSX.
Text columns stay text (« 01001 », « 2A004 »); numbers with a decimal comma or point are parsed
and every value column's dtype is checked afterwards (``read_csv(decimal=',')`` silently leaves a
column as text when some cells use '.').
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from observatoire.imports.problems import FileRefused, Problem

# Secret-statistique and missing markers: all become NULL, never 0.
MISSING_MARKERS = ["", "s", "S", "nd", "ND", "n.d.", "N.D.", "n.d", "N.D", "-", "–"]
_MISSING_SET = {marker.lower() for marker in MISSING_MARKERS}
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    frame: pd.DataFrame
    columns: list[str]
    encoding: str = ""
    separator: str = ""
    file_format: str = "csv"
    # Value columns whose cells could not all be read as numbers: column → [(line, raw text)].
    bad_numbers: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    @staticmethod
    def line_of(index: int) -> int:
        """File line (or spreadsheet row) of a data row: the header is line 1."""
        return index + 2


def detect_encoding(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def detect_separator(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: (counts[sep], sep == ";"))
    return best if counts[best] else ";"


def header_of(data: bytes, encoding: str) -> tuple[str, list[str]]:
    text = data[:65_536].decode(encoding, errors="replace")
    first_line = text.splitlines()[0] if text else ""
    separator = detect_separator(first_line)
    columns = next(csv.reader([first_line], delimiter=separator), [])
    return separator, [column.strip() for column in columns]


def find_column(columns: list[str], *names: str) -> str | None:
    """The first column whose name matches one of ``names``, ignoring case and accents of « é »."""
    wanted = [name.lower().replace("é", "e") for name in names]
    simplified = {column.lower().replace("é", "e").strip(): column for column in columns}
    for name in wanted:
        if name in simplified:
            return simplified[name]
    return None


def read_table(
    data: bytes, *, file_name: str, text_columns: list[str] | None = None, all_text: bool = False
) -> Table:
    """Read a CSV or XLSX file. ``text_columns`` (header names, any case) stay text; with
    ``all_text`` every column does. Other columns are converted to floats, see ``numeric``."""
    if not data.strip():
        raise FileRefused([Problem(None, None, "fichier", "Le fichier est vide.")])
    if data.startswith(XLSX_MAGIC) or file_name.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, text_columns=text_columns or [], all_text=all_text)
    return _read_csv(data, text_columns=text_columns or [], all_text=all_text)


def _read_csv(data: bytes, *, text_columns: list[str], all_text: bool) -> Table:
    encoding = detect_encoding(data)
    separator, columns = header_of(data, encoding)
    _check_header(columns)
    wanted_text = {name.lower() for name in text_columns}
    dtypes: dict[str, type] | type
    if all_text:
        dtypes = str
    else:
        dtypes = {column: str for column in columns if column.lower() in wanted_text}
    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            sep=separator,
            decimal="," if separator != "," else ".",
            encoding=encoding,
            dtype=dtypes,
            na_values=MISSING_MARKERS,
            keep_default_na=False,
            skipinitialspace=True,
            skip_blank_lines=True,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise FileRefused(
            [Problem(None, None, "fichier", f"Lecture CSV impossible : {exc}")]
        ) from exc
    frame.columns = [str(column).strip() for column in frame.columns]
    table = Table(frame, list(frame.columns), encoding, separator, "csv")
    if not all_text:
        _check_numeric_columns(table, wanted_text)
    return table


def _read_xlsx(data: bytes, *, text_columns: list[str], all_text: bool) -> Table:
    try:
        frame = pd.read_excel(io.BytesIO(data), dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise FileRefused(
            [Problem(None, None, "fichier", f"Classeur XLSX illisible : {exc}")]
        ) from exc
    frame.columns = [str(column).strip() for column in frame.columns]
    _check_header(list(frame.columns))
    wanted_text = {name.lower() for name in text_columns}
    for column in frame.columns:
        if all_text or column.lower() in wanted_text:
            frame[column] = frame[column].map(_cell_text)
    table = Table(frame, list(frame.columns), "", "", "xlsx")
    if not all_text:
        _check_numeric_columns(table, wanted_text)
    return table


def _cell_text(cell: object) -> str | float:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return np.nan
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell).strip()
    return np.nan if text.lower() in _MISSING_SET else text


def _check_header(columns: list[str]) -> None:
    if not columns or all(not column for column in columns):
        raise FileRefused(
            [Problem(1, None, "fichier", "La première ligne doit porter les noms de colonnes.")]
        )


def _check_numeric_columns(table: Table, text_columns: set[str]) -> None:
    """Every non-text column must end as a float column; cells that are not numbers are listed."""
    for column in table.columns:
        if column.lower() in text_columns:
            continue
        series = table.frame[column]
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            table.frame[column] = series.astype("float64")
            continue
        converted, bad = numeric(series)
        table.frame[column] = converted
        if bad:
            table.bad_numbers[column] = bad


def numeric(series: pd.Series) -> tuple[pd.Series, list[tuple[int, str]]]:
    """Object column → floats: decimal comma or point, spaces as thousands separators, missing
    markers → NaN. Returns the converted column and the (file line, text) of cells that are not
    numbers."""
    text = series.map(lambda cell: cell if isinstance(cell, str) else _number_text(cell))
    cleaned = (
        text.str.strip()
        .str.replace("\u00a0", "", regex=False)
        .str.replace("\u202f", "", regex=False)
        .str.replace(" ", "", regex=False)
    )
    is_missing = cleaned.isna() | cleaned.str.lower().isin(_MISSING_SET)
    cleaned = cleaned.str.replace(",", ".", regex=False)
    converted = pd.to_numeric(cleaned.where(~is_missing), errors="coerce").astype("float64")
    bad_mask = converted.isna() & ~is_missing
    bad = [(Table.line_of(int(index)), str(series[index])) for index in series.index[bad_mask]]
    return converted, bad


def _number_text(cell: object) -> str | None:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return None
    return str(cell)
