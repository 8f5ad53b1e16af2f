"""Helpers of the report tests: PDF text extraction and an isolated cache folder."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator

import pytest
from pypdf import PdfReader


def pdf_pages(pdf: bytes) -> list[str]:
    """Text of each page, spaces normalised (French typography uses no-break spaces)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"[\s\u00a0\u202f]+", " ", page.extract_text() or "") for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))


@contextlib.contextmanager
def no_charts() -> Iterator[None]:
    """Reports drawn without their chart images (the text and tables are the same)."""
    from observatoire.report import charts
    from observatoire.report.data import ReportImages

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charts, "draw", lambda data: ReportImages())
        yield
