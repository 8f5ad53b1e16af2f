"""Cells of every CSV and XLSX export, made safe to open in a spreadsheet (OWASP « CSV injection »).

A text cell starting with ``= + - @``, a tab or a carriage return is read as a formula by Excel,
LibreOffice or Google Sheets (``=HYPERLINK(…)``, ``@SUM(…)``, ``-2+3+cmd|…``): it is prefixed
with an apostrophe so that it stays text, and openpyxl then writes it as a string, never as a
formula. Numbers, and text that is just a number (« -3.5 », « -12,4 »), are left as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")


def spreadsheet_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        if _PLAIN_NUMBER.fullmatch(value):
            return value
        return "'" + value
    return value


def spreadsheet_row(values: Iterable[Any]) -> list[Any]:
    return [spreadsheet_cell(value) for value in values]


class _Writable(Protocol):
    def write(self, value: str, /) -> Any: ...


class SafeCsvWriter:
    """``csv.writer`` whose every row goes through ``spreadsheet_row``: the one CSV writer of the
    platform (a test fails if a module calls ``csv.writer`` itself)."""

    def __init__(self, out: _Writable, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, values: Iterable[Any]) -> Any:
        return self._writer.writerow(spreadsheet_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self._writer.writerow(spreadsheet_row(row))


def csv_writer(out: _Writable, *, delimiter: str = ";", **options: Any) -> SafeCsvWriter:
    return SafeCsvWriter(out, delimiter=delimiter, **options)


BYTE_ORDER_MARK = "\ufeff"  # a spreadsheet program then reads UTF-8 accents right
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def _attachment(response: HttpResponseBase, filename: str | None) -> None:
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'


def csv_response(
    rows: Iterable[Iterable[Any]],
    filename: str | None = None,
    *,
    delimiter: str = ";",
    preamble: str = "",
    **options: Any,
) -> HttpResponse:
    """A CSV download: UTF-8 with a byte-order mark (a spreadsheet then reads the accents), every
    row through ``spreadsheet_row``, an attachment named ``filename`` when one is given;
    ``preamble``: text written before the rows (a comment line), ``options``: ``csv.writer``'s."""
    buffer = io.StringIO()
    buffer.write(preamble)
    csv_writer(buffer, delimiter=delimiter, **options).writerows(rows)
    response = HttpResponse(BYTE_ORDER_MARK + buffer.getvalue(), content_type=CSV_CONTENT_TYPE)
    _attachment(response, filename)
    return response


class _Line:
    """A file whose ``write`` gives back the line, so that a row is formatted without a buffer."""

    def write(self, value: str, /) -> str:
        return value


def csv_streaming_response(
    rows: Iterable[Iterable[Any]],
    filename: str | None = None,
    *,
    delimiter: str = ";",
    **options: Any,
) -> StreamingHttpResponse:
    """``csv_response`` for a large export: the rows are written as they come, never all in
    memory (same byte-order mark, same safe cells)."""
    writer = csv_writer(_Line(), delimiter=delimiter, **options)

    def lines() -> Iterator[str]:
        yield BYTE_ORDER_MARK
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type=CSV_CONTENT_TYPE)
    _attachment(response, filename)
    return response
