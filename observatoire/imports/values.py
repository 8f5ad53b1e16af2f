"""A values file (wide INSEE layout or long layout) → checked blocks of rows ready for COPY."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from observatoire.imports.problems import STORED_PROBLEMS_MAX, FileRefused, Problem
from observatoire.imports.reading import Table, find_column, read_table
from territoires.models import Level

FIRST_YEAR = 1960
# Problems of one kind listed per file (all are counted): a file where every row is wrong keeps
# memory bounded; reports show the first ones then « … et N autres ».
KEPT = STORED_PROBLEMS_MAX
# Columns of a wide file that describe the territory rather than carry an indicator.
LABEL_COLUMNS = {"libgeo", "libelle", "libellé", "nom", "name", "reg", "dep", "epci", "niveau"}
LONG_INDICATOR = ("indicateur", "code_indicateur", "indicator", "variable")
LONG_VALUE = ("valeur", "value")
LONG_YEAR = ("annee", "année", "year", "millesime")
LONG_CODE = ("code", "code_territoire", "codgeo")


def year_bounds() -> tuple[int, int]:
    return FIRST_YEAR, datetime.date.today().year


@dataclass
class Block:
    """Rows sharing nothing in particular: parallel arrays (one per column of the COPY)."""

    indicator_ids: np.ndarray
    territory_ids: np.ndarray
    years: np.ndarray
    values: np.ndarray

    def __len__(self) -> int:
        return len(self.values)


@dataclass
class ValuesFile:
    """A checked values file: its layout, its blocks of rows, every problem found."""

    layout: str
    rows_read: int
    values_read: int
    indicator_ids: list[int]
    years: list[int]
    problems: list[Problem] = field(default_factory=list)
    # Every problem counted, including those beyond the KEPT listed ones of each kind.
    problem_total: int = 0
    _blocks: list[tuple] = field(default_factory=list, repr=False)
    _matrix: np.ndarray | None = field(default=None, repr=False)
    _territory_ids: np.ndarray | None = field(default=None, repr=False)

    def blocks(self, *, only: set[tuple[int, int]] | None = None) -> Iterator[Block]:
        """Wide files yield one block per indicator column (no full long copy in memory), in
        indicator order, rows in territory order: the order of the primary key, whose build
        then reads sorted input. ``only``: the (indicator, year) keys to keep."""
        if self._matrix is not None and self._territory_ids is not None:
            year = np.full(len(self._territory_ids), self.years[0], dtype=np.int16)
            order = self.territory_order()
            territories = self._territory_ids[order]
            for position in np.argsort(self.indicator_ids, kind="stable").tolist():
                indicator_id = self.indicator_ids[position]
                if only is not None and (indicator_id, self.years[0]) not in only:
                    continue
                yield Block(
                    np.full(len(territories), indicator_id, dtype=np.int64),
                    territories,
                    year,
                    self._matrix[order, position],
                )
        for block in self._blocks:
            if only is None:
                yield Block(*block)
                continue
            codes = block[0].astype(np.int64) * 10_000 + block[2].astype(np.int64)
            kept = np.isin(codes, [indicator * 10_000 + year for indicator, year in only])
            if kept.any():
                yield Block(*(column[kept] for column in block))

    def territory_order(self) -> np.ndarray:
        assert self._territory_ids is not None
        return np.argsort(self._territory_ids, kind="stable")

    @property
    def matrix(self) -> np.ndarray | None:
        """Wide files: one row per territory (file order), one column per indicator."""
        return self._matrix

    @property
    def row_territory_ids(self) -> np.ndarray | None:
        return self._territory_ids

    def territory_ids(self) -> set[int]:
        """Every territory the file has a row for."""
        if self._territory_ids is not None:
            return {int(pk) for pk in np.unique(self._territory_ids)}
        return {int(pk) for block in self._blocks for pk in np.unique(block[1])}

    @property
    def block_count(self) -> int:
        return len(self.indicator_ids) if self._matrix is not None else len(self._blocks)


def read_values_file(
    data: bytes,
    *,
    file_name: str,
    year: int | None,
    level: str,
    code_column: str,
    territory_codes: dict[str, int],
    indicator_codes: dict[str, int],
) -> ValuesFile:
    """Parse and check a values file. Raises FileRefused when it cannot even be read; otherwise
    the returned file lists every problem (empty list: ready to load)."""
    table = read_table(
        data,
        file_name=file_name,
        text_columns=[code_column, *LONG_CODE, *LONG_INDICATOR, *LABEL_COLUMNS],
    )
    if find_column(table.columns, *LONG_INDICATOR) and find_column(table.columns, *LONG_VALUE):
        return _read_long(table, year, level, code_column, territory_codes, indicator_codes)
    return _read_wide(table, year, level, code_column, territory_codes, indicator_codes)


def _codes(series: pd.Series, level: str) -> pd.Series:
    codes = series.astype("string").str.strip().str.upper().fillna("")
    if level == Level.COMMUNE:
        # Spreadsheets drop the leading zero of « 01001 »: a 4-digit commune code gets it back.
        short = codes.str.fullmatch(r"\d{4}")
        codes = codes.where(~short, "0" + codes)
    return codes


def _territory_problems(
    codes: pd.Series, column: str, level: str, territory_codes: dict[str, int]
) -> tuple[np.ndarray, list[Problem], int]:
    ids = codes.map(territory_codes)
    unknown = ids.isna().to_numpy()
    problems = [
        Problem(
            Table.line_of(int(index)),
            column,
            "territoire_inconnu",
            f"« {codes[index]} » n’est pas un code de {Level(level).label.lower()} connu."
            if codes[index]
            else "code de territoire vide.",
        )
        for index in codes.index[unknown][:KEPT]
    ]
    return ids.fillna(0).to_numpy(dtype=np.int64), problems, int(unknown.sum())


def _year_problems(year: int | None, column: str | None, line: int | None) -> list[Problem]:
    first, last = year_bounds()
    if year is None:
        return [
            Problem(
                line, column, "annee_hors_limites", "année absente : indiquez l’année (--annee)."
            )
        ]
    if not first <= year <= last:
        return [
            Problem(
                line,
                column,
                "annee_hors_limites",
                f"{year} n’est pas entre {first} et {last}.",
            )
        ]
    return []


def _number_problems(table: Table, columns: list[str]) -> tuple[list[Problem], int]:
    problems = [
        Problem(line, column, "valeur_non_numerique", f"« {text} » n’est pas un nombre.")
        for column in columns
        for line, text in table.bad_numbers.get(column, [])
    ]
    return problems, sum(table.bad_number_counts.get(column, 0) for column in columns)


def _finish(problems: list[Problem], total: int) -> tuple[list[Problem], int]:
    """Problems in file order, the first KEPT of them, and how many there are in all."""
    problems.sort(key=lambda p: (p.line or 0, p.column or ""))
    return problems[:KEPT], total


def _read_wide(
    table: Table,
    year: int | None,
    level: str,
    code_column: str,
    territory_codes: dict[str, int],
    indicator_codes: dict[str, int],
) -> ValuesFile:
    frame = table.frame
    problems: list[Problem] = []
    code_col = find_column(table.columns, code_column)
    if code_col is None:
        raise FileRefused(
            [
                Problem(
                    1,
                    code_column,
                    "fichier",
                    f"colonne « {code_column} » absente : elle porte le code du territoire "
                    f"(colonnes lues : {', '.join(table.columns[:12])}).",
                )
            ]
        )
    problems += _year_problems(year, None, None)
    value_columns: list[str] = []
    indicator_ids: list[int] = []
    lower_codes = {code.lower(): pk for code, pk in indicator_codes.items()}
    for column in table.columns:
        if column == code_col or column.lower() in LABEL_COLUMNS:
            continue
        pk = indicator_codes.get(column) or lower_codes.get(column.lower())
        if pk is None:
            problems.append(
                Problem(
                    1,
                    column,
                    "indicateur_inconnu",
                    f"« {column} » n’est pas au catalogue : importez d’abord le catalogue.",
                )
            )
            continue
        value_columns.append(column)
        indicator_ids.append(pk)
    codes = _codes(frame[code_col], level)
    territory_ids, territory_problems, total = _territory_problems(
        codes, code_col, level, territory_codes
    )
    total += len(problems)
    problems += territory_problems
    duplicated = codes.duplicated(keep="first") & (codes != "")
    if duplicated.any():
        total += int(duplicated.sum())
        first_line = {
            code: Table.line_of(int(index))
            for index, code in codes[~codes.duplicated(keep="first")].items()
        }
        problems += [
            Problem(
                Table.line_of(int(index)),
                code_col,
                "ligne_en_double",
                f"le territoire « {codes[index]} » est déjà à la ligne {first_line[codes[index]]}.",
            )
            for index in codes.index[duplicated.to_numpy()][:KEPT]
        ]
    number_problems, number_total = _number_problems(table, value_columns)
    problems += number_problems
    problems, total = _finish(problems, total + number_total)
    values_file = ValuesFile(
        layout="large",
        rows_read=len(frame),
        values_read=len(frame) * len(value_columns),
        indicator_ids=indicator_ids,
        years=[year] if year is not None else [],
        problems=problems,
        problem_total=total,
    )
    if not problems:
        # Column-major so each indicator's values are one contiguous slice.
        values_file._matrix = np.asfortranarray(
            frame[value_columns].to_numpy(dtype=np.float64, na_value=np.nan)
        )
        values_file._territory_ids = territory_ids
    return values_file


def _read_long(
    table: Table,
    year: int | None,
    level: str,
    code_column: str,
    territory_codes: dict[str, int],
    indicator_codes: dict[str, int],
) -> ValuesFile:
    frame = table.frame
    problems: list[Problem] = []
    indicator_col = find_column(table.columns, *LONG_INDICATOR)
    value_col = find_column(table.columns, *LONG_VALUE)
    code_col = find_column(table.columns, code_column, *LONG_CODE)
    year_col = find_column(table.columns, *LONG_YEAR)
    assert indicator_col is not None and value_col is not None
    if code_col is None:
        raise FileRefused(
            [
                Problem(
                    1,
                    code_column,
                    "fichier",
                    f"colonne du code de territoire absente (« {code_column} » ou « code »).",
                )
            ]
        )
    # Indicators.
    indicator_text = frame[indicator_col].astype("string").str.strip().fillna("")
    lower_codes = {code.lower(): pk for code, pk in indicator_codes.items()}
    indicator_ids = indicator_text.map(
        lambda code: indicator_codes.get(code) or lower_codes.get(code.lower())
    )
    unknown_indicator = indicator_ids.isna().to_numpy()
    total = int(unknown_indicator.sum())
    for index in indicator_text.index[unknown_indicator][:KEPT]:
        problems.append(
            Problem(
                Table.line_of(int(index)),
                indicator_col,
                "indicateur_inconnu",
                f"« {indicator_text[index]} » n’est pas au catalogue.",
            )
        )
    # Territories.
    codes = _codes(frame[code_col], level)
    territory_ids, territory_problems, territory_total = _territory_problems(
        codes, code_col, level, territory_codes
    )
    total += territory_total
    problems += territory_problems
    # Years: a column, or the --annee option for every row.
    if year_col is not None:
        years = frame[year_col]
        year_number_problems, year_number_total = _number_problems(table, [year_col])
        problems += year_number_problems
        total += year_number_total
        first, last = year_bounds()
        bad_year = years.notna() & ((years < first) | (years > last) | (years % 1 != 0))
        problems += [
            Problem(
                Table.line_of(int(index)),
                year_col,
                "annee_hors_limites",
                f"{years[index]:g} n’est pas une année entre {first} et {last}.",
            )
            for index in years.index[bad_year.to_numpy()][:KEPT]
        ]
        total += int(bad_year.sum())
        not_numbers = table.bad_number_rows.get(year_col)
        missing_year = years.isna() if not_numbers is None else years.isna() & ~not_numbers
        if year is None:
            problems += [
                Problem(Table.line_of(int(index)), year_col, "annee_hors_limites", "année vide.")
                for index in years.index[missing_year.to_numpy()][:KEPT]
            ]
            total += int(missing_year.sum())
        year_values = years.fillna(year if year is not None else 0).where(~bad_year, 0)
        year_array = year_values.to_numpy(dtype=np.float64).astype(np.int16)
    else:
        year_problems = _year_problems(year, None, None)
        problems += year_problems
        total += len(year_problems)
        year_array = np.full(len(frame), year or 0, dtype=np.int16)
    value_problems, value_total = _number_problems(table, [value_col])
    problems += value_problems
    total += value_total
    # Duplicates: same indicator, territory and year.
    keys = pd.DataFrame(
        {"indicator": indicator_text.str.lower(), "code": codes, "year": year_array}
    )
    duplicated = keys.duplicated(keep="first")
    if duplicated.any():
        first_rows = keys[~duplicated].reset_index().set_index(["indicator", "code", "year"])
        total += int(duplicated.sum())
        for index in keys.index[duplicated.to_numpy()][:KEPT]:
            key = tuple(keys.loc[index])
            first_index = first_rows.loc[key, "index"]
            problems.append(
                Problem(
                    Table.line_of(int(index)),
                    None,
                    "ligne_en_double",
                    f"« {indicator_text[index]} » pour « {codes[index]} » en {year_array[index]} "
                    f"est déjà à la ligne {Table.line_of(int(first_index))}.",
                )
            )
    problems, total = _finish(problems, total)
    values_file = ValuesFile(
        layout="longue",
        rows_read=len(frame),
        values_read=len(frame),
        indicator_ids=sorted({int(pk) for pk in indicator_ids.dropna()}),
        years=sorted({int(y) for y in np.unique(year_array) if y}),
        problems=problems,
        problem_total=total,
    )
    if not problems:
        values_file._blocks = [
            (
                indicator_ids.to_numpy(dtype=np.int64),
                territory_ids,
                year_array,
                frame[value_col].to_numpy(dtype=np.float64, na_value=np.nan),
            )
        ]
    return values_file
