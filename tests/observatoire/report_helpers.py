"""Helpers of the report tests: PDF text extraction and an isolated cache folder."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def pdf_pages(pdf: bytes) -> list[str]:
    """Text of each page, spaces normalised (French typography uses no-break spaces)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"[\s\u00a0\u202f]+", " ", page.extract_text() or "") for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))
