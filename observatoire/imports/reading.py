"""Bytes of an uploaded file → a pandas table, the way French statistical files really come.

CSV (separator `;`, `,` or tab detected; UTF-8, Windows-1252/Latin-1, UTF-16 or UTF-32 with or
without BOM detected) or XLSX. Text columns stay text (« 01001 », « 2A004 »); numbers with a
decimal comma or point are parsed and every value column's dtype is checked afterwards
(``read_csv(decimal=',')`` silently leaves a column as text when some cells use '.').

Any byte sequence ends as a table or as ``FileRefused`` with a French message, never another
exception: binary files, NUL bytes, zip bombs and oversized sheets are refused before they are
parsed, and an XLSX is streamed (openpyxl read-only mode) with row and column limits.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from observatoire.imports.problems import FileRefused, Problem

# Secret-statistique and missing markers: all become NULL, never 0.
MISSING_MARKERS = ["", "s", "S", "nd", "ND", "n.d.", "N.D.", "n.d", "N.D", "-", "–"]
_MISSING_SET = {marker.lower() for marker in MISSING_MARKERS}
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)

# Limits, stated in docs/donnees.md (« Observatoire »). A wide file of all communes has ~35 000 rows
# and a few hundred indicator columns.
MAX_COLUMNS = 2_000
XLSX_MAX_ROWS = 250_000
XLSX_MAX_UNCOMPRESSED = 150 * 1024 * 1024  # bytes, all members of the archive together
XLSX_MAX_RATIO = 100  # uncompressed / compressed size of a member larger than 1 MB
XLSX_MAX_MEMBERS = 1_000
# Cells listed per column when they are not numbers (all are counted): bounds memory when a
# whole file of text is sent as values.
BAD_CELLS_KEPT = 5_000

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def refuse(message: str, line: int | None = None, column: str | None = None) -> FileRefused:
    return FileRefused([Problem(line, column, "fichier", message)])


@dataclass
class Table:
    frame: pd.DataFrame
    columns: list[str]
    encoding: str = ""
    separator: str = ""
    file_format: str = "csv"
    # Value columns whose cells could not all be read as numbers: column → [(line, raw text)]
    # (the first BAD_CELLS_KEPT of them), how many there are, and which rows they are on.
    bad_numbers: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    bad_number_counts: dict[str, int] = field(default_factory=dict)
    bad_number_rows: dict[str, pd.Series] = field(default_factory=dict)

    @staticmethod
    def line_of(index: int) -> int:
        """File line (or spreadsheet row) of a data row: the header is line 1."""
        return index + 2


def detect_wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (Excel's « Texte Unicode » is UTF-16 LE with a BOM), from the BOM or,
    without one, from where the NUL bytes of mostly-ASCII text fall."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return None if encoding == "utf-8-sig" else encoding
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 4]
    if len(sample) < 4:
        return None
    nul_at = [sample[offset::4].count(0) / (len(sample) // 4) for offset in range(4)]
    if nul_at[1] > 0.9 and nul_at[2] > 0.9 and nul_at[3] > 0.9 and nul_at[0] < 0.5:
        return "utf-32-le"
    if nul_at[0] > 0.9 and nul_at[1] > 0.9 and nul_at[2] > 0.9 and nul_at[3] < 0.5:
        return "utf-32-be"
    odd = (nul_at[1] + nul_at[3]) / 2
    even = (nul_at[0] + nul_at[2]) / 2
    if odd > 0.6 and even < 0.2:
        return "utf-16-le"
    if even > 0.6 and odd < 0.2:
        return "utf-16-be"
    return None


def text_bytes(data: bytes) -> bytes:
    """The bytes of a CSV as UTF-8/8-bit text: UTF-16/32 is transcoded to UTF-8; NUL bytes and
    binary content are refused with a message."""
    wide = detect_wide_encoding(data)
    if wide is not None:
        bom_length = 4 if "32" in wide else 2
        start = bom_length if data.startswith(_bom_of(wide)) else 0
        try:
            text = data[start:].decode(wide)
        except UnicodeDecodeError:
            raise refuse(
                f"le fichier semble encodé en {wide.upper()} mais ne se décode pas : "
                "enregistrez-le en CSV UTF-8."
            ) from None
        data = text.encode("utf-8", errors="replace")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise refuse(
            f"octet nul à la ligne {line} : ce n’est pas un fichier texte CSV (fichier binaire, "
            "abîmé ou d’un encodage non reconnu). Enregistrez-le en CSV UTF-8 ou en XLSX.",
            line=line,
        )
    sample = data[:65_536]
    controls = sum(sample.count(bytes([code])) for code in range(32) if code not in (9, 10, 13))
    if sample and controls / len(sample) > 0.01:
        raise refuse(
            "le fichier contient des caractères de contrôle : ce n’est pas un fichier texte CSV. "
            "Enregistrez-le en CSV UTF-8 ou en XLSX."
        )
    return data


def _bom_of(encoding: str) -> bytes:
    return dict((name, bom) for bom, name in _BOMS)[encoding]


def detect_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if _decodes(data, "utf-8"):
        return "utf-8"
    return "cp1252" if _decodes(data, "cp1252") else "latin-1"


def _decodes(data: bytes, encoding: str, chunk: int = 1 << 20) -> bool:
    """Whether ``data`` decodes, checked a megabyte at a time (no full copy as text)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for start in range(0, len(data), chunk):
            decoder.decode(view[start : start + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_separator(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: (counts[sep], sep == ";"))
    return best if counts[best] else ";"


def header_of(data: bytes, encoding: str) -> tuple[str, list[str]]:
    text = data[:65_536].decode(encoding, errors="replace")
    # pandas skips blank lines before the header too.
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    separator = detect_separator(first_line)
    try:
        columns = next(csv.reader([first_line], delimiter=separator), [])
    except csv.Error as exc:
        raise refuse(f"Ligne des noms de colonnes illisible : {_short(exc)}", line=1) from exc
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
    ``all_text`` every column does. Other columns are converted to floats, see ``numeric``.
    Raises ``FileRefused`` (with a French message) for anything that is not such a file."""
    if not data.strip():
        raise refuse("Le fichier est vide.")
    if data.startswith(OLE_MAGIC):
        raise refuse("classeur Excel 97-2003 (.xls) : enregistrez-le en XLSX ou en CSV (UTF-8).")
    if data.startswith(XLSX_MAGIC) or file_name.lower().endswith((".xlsx", ".xlsm")):
        table = _read_xlsx(data, text_columns=text_columns or [], all_text=all_text)
    else:
        table = _read_csv(text_bytes(data), text_columns=text_columns or [], all_text=all_text)
    # Rows with no cell at all (« ;;; » or blank spreadsheet rows) are not data; the index keeps
    # each remaining row's place so that line numbers stay those of the file.
    table.frame = table.frame.dropna(how="all")
    return table


def _check_columns(columns: list[str]) -> None:
    _check_header(columns)
    if len(columns) > MAX_COLUMNS:
        raise refuse(
            f"{len(columns)} colonnes : au plus {MAX_COLUMNS} sont acceptées. "
            "Découpez le fichier ou passez au format long (indicateur, code, annee, valeur).",
            line=1,
        )
    named = [column for column in columns if column]
    duplicated = sorted({column for column in named if named.count(column) > 1})
    if duplicated:
        raise refuse(
            f"colonne(s) en double : {', '.join(duplicated[:10])}.", line=1, column=duplicated[0]
        )


def _read_csv(data: bytes, *, text_columns: list[str], all_text: bool) -> Table:
    encoding = detect_encoding(data)
    separator, columns = header_of(data, encoding)
    _check_columns(columns)
    wanted_text = {name.lower() for name in text_columns}
    dtypes: dict[str, type] | type
    if all_text:
        dtypes = str
    else:
        dtypes = {column: str for column in columns if column.lower() in wanted_text}
    try:
        with warnings.catch_warnings():
            # pandas only warns when a line has more fields than the header, and drops them.
            warnings.simplefilter("error", pd.errors.ParserWarning)
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
                encoding_errors="replace",
                # A data line longer than the header must not turn the first column into the index.
                index_col=False,
            )
    except pd.errors.ParserWarning as exc:
        raise refuse(
            "une ligne compte plus de champs que la ligne des noms de colonnes : vérifiez le "
            "séparateur et les guillemets."
        ) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        raise refuse(f"Lecture CSV impossible : {_short(exc)}") from exc
    frame.columns = [str(column).strip() for column in frame.columns]
    table = Table(frame, list(frame.columns), encoding, separator, "csv")
    if not all_text:
        _check_numeric_columns(table, wanted_text)
    return table


def check_xlsx_archive(data: bytes) -> None:
    """Refuse a workbook whose archive would unzip to too much (zip bomb) before openpyxl opens
    it. Declared sizes bound what ``zipfile`` will ever inflate: it stops at the declared size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise refuse(
            f"Classeur XLSX illisible (archive abîmée ou tronquée : {_short(exc)}). "
            "Enregistrez-le à nouveau en XLSX ou en CSV."
        ) from exc
    if len(members) > XLSX_MAX_MEMBERS:
        raise refuse(f"Classeur XLSX refusé : {len(members)} parties dans l’archive.")
    total = sum(member.file_size for member in members)
    if total > XLSX_MAX_UNCOMPRESSED:
        raise refuse(
            f"Classeur XLSX refusé : il se décompresse en {total / 1_048_576:.0f} Mo, au-delà de "
            f"la limite de {XLSX_MAX_UNCOMPRESSED // 1_048_576} Mo. Envoyez-le en CSV."
        )
    for member in members:
        if member.file_size > 1_048_576 and member.file_size > XLSX_MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise refuse(
                f"Classeur XLSX refusé : « {member.filename[:80]} » se décompresse "
                f"{member.file_size // max(member.compress_size, 1)} fois (plus de "
                f"{XLSX_MAX_RATIO} fois) : ce n’est pas un classeur ordinaire."
            )


def _read_xlsx(data: bytes, *, text_columns: list[str], all_text: bool) -> Table:
    check_xlsx_archive(data)
    rows = xlsx_rows(data)
    header = [("" if cell is None else str(cell)).strip() for cell in rows[0]] if rows else []
    # Trailing unnamed columns are the spreadsheet's empty cells, not columns.
    while header and not header[-1]:
        header.pop()
    _check_columns(header)
    width = len(header)
    body = [tuple(row[:width]) + (None,) * (width - len(row)) for row in rows[1:]]
    del rows
    names = [column or f"Unnamed: {index}" for index, column in enumerate(header)]
    frame = pd.DataFrame.from_records(body, columns=names, coerce_float=False)
    del body
    frame = frame.astype(object)
    frame.columns = [str(column).strip() for column in frame.columns]
    wanted_text = {name.lower() for name in text_columns}
    for column in frame.columns:
        if all_text or column.lower() in wanted_text:
            frame[column] = frame[column].map(_cell_text)
    table = Table(frame, list(frame.columns), "", "", "xlsx")
    if not all_text:
        _check_numeric_columns(table, wanted_text)
    return table


def xlsx_rows(data: bytes) -> list[tuple]:
    """The first sheet's cell values, streamed (read-only mode), with row and column limits."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise refuse(f"Classeur XLSX illisible : {_short(exc)}") from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise refuse("Classeur XLSX sans feuille.")
        declared_rows, declared_columns = _declared_size(sheet)
        if declared_rows > XLSX_MAX_ROWS + 1:
            raise _too_many_rows(declared_rows)
        if declared_columns > MAX_COLUMNS:
            raise _too_many_columns(declared_columns)
        rows: list[tuple] = []
        try:
            for row in sheet.iter_rows(values_only=True):
                if len(row) > MAX_COLUMNS and any(cell is not None for cell in row[MAX_COLUMNS:]):
                    raise _too_many_columns(len(row))
                row = row[:MAX_COLUMNS]
                # Blank rows count too: a sheet of a million empty rows is refused as well.
                rows.append(() if all(cell is None or cell == "" for cell in row) else row)
                if len(rows) > XLSX_MAX_ROWS + 1:
                    raise _too_many_rows(len(rows))
        except FileRefused:
            raise
        except Exception as exc:
            raise refuse(f"Classeur XLSX illisible : {_short(exc)}") from exc
    finally:
        workbook.close()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _declared_size(sheet: object) -> tuple[int, int]:
    try:
        return int(sheet.max_row or 0), int(sheet.max_column or 0)  # type: ignore[attr-defined]
    except Exception:  # a malformed <dimension> element: rely on the limits while reading
        return 0, 0


def _too_many_rows(count: int) -> FileRefused:
    return refuse(
        f"Classeur XLSX refusé : plus de {XLSX_MAX_ROWS:,} lignes ({count:,} au moins). "
        "Envoyez un fichier de cette taille en CSV.".replace(",", " ")
    )


def _too_many_columns(count: int) -> FileRefused:
    return refuse(
        f"{count} colonnes : au plus {MAX_COLUMNS} sont acceptées. Découpez le fichier ou "
        "passez au format long (indicateur, code, annee, valeur).",
        line=1,
    )


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"


def _cell_text(cell: object) -> str | float:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return np.nan
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell).strip()
    return np.nan if text.lower() in _MISSING_SET else text


def _check_header(columns: list[str]) -> None:
    if not columns or all(not column for column in columns):
        raise refuse("La première ligne doit porter les noms de colonnes.", line=1)


def _check_numeric_columns(table: Table, text_columns: set[str]) -> None:
    """Every non-text column must end as a float column; cells that are not numbers are listed."""
    for column in table.columns:
        if column.lower() in text_columns:
            continue
        series = table.frame[column]
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            table.frame[column] = series.astype("float64")
            continue
        converted, bad, bad_mask = numeric(series)
        table.frame[column] = converted
        if bad:
            table.bad_numbers[column] = bad
            table.bad_number_counts[column] = int(bad_mask.sum())
            table.bad_number_rows[column] = bad_mask


def numeric(series: pd.Series) -> tuple[pd.Series, list[tuple[int, str]], pd.Series]:
    """Object column → floats: decimal comma or point, spaces as thousands separators, missing
    markers → NaN. Returns the converted column, the (file line, text) of the first
    ``BAD_CELLS_KEPT`` cells that are not numbers, and the mask of all of them."""
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
    bad = [
        (Table.line_of(int(index)), str(series[index])[:200])
        for index in series.index[bad_mask.to_numpy()][:BAD_CELLS_KEPT]
    ]
    return converted, bad, bad_mask


def _number_text(cell: object) -> str | None:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return None
    return str(cell)
