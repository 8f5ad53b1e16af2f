"""The project's one PDF pipeline: HTML (with its print CSS) → WeasyPrint → tagged PDF/UA-1.

Every PDF (territory and campaign reports, a catalyst's self-assessment) goes through
``html_to_pdf``: one image/stylesheet cache and one font configuration shared by every render of
the process (WeasyPrint's maintainers' advice; a second render reuses the fonts already loaded),
relative URLs resolved from the project's folder (never from the request), one lock because
WeasyPrint with a shared font configuration is not thread-safe, and the table header cells given
their PDF/UA ``/Scope`` afterwards (the finisher ``scope_table_headers``, docs/pdf-ua.md).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from django.conf import settings

PDF_VARIANT = "pdf/ua-1"

_cache: dict[Any, Any] = {}
_font_config: Any = None
_stylesheets: dict[str, Any] = {}
_fetcher: Any = None
lock = threading.Lock()
# Number of PDFs rendered by this process, by kind (tests count cache misses with it).
stats: dict[str, int] = {}


def font_config() -> Any:
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def url_fetcher() -> Any:
    """One fetcher per process, for local resources only (``data:`` images, the project's files):
    a PDF never fetches from the network. WeasyPrint builds a fetcher per document by default, and
    each builds an SSL context (about 30 ms of loading certificates, for a PDF that has no HTTPS to
    fetch). Used under ``lock``, as the rest of the pipeline."""
    global _fetcher
    if _fetcher is None:
        from weasyprint.urls import URLFetcher

        _fetcher = URLFetcher(allowed_protocols=("data", "file"), allow_redirects=False)
    return _fetcher


def pdf_options(**extra: Any) -> dict[str, Any]:
    """Options of WeasyPrint's ``write_pdf``: tagged PDF/UA-1, shared cache and fonts."""
    return {
        "pdf_variant": PDF_VARIANT,
        "cache": _cache,
        "font_config": font_config(),
        "custom_metadata": True,
        **extra,
    }


def stylesheet(text: str) -> Any:
    """The parsed stylesheet of ``text``, parsed once per process (a report's stylesheet is the
    same for every report: parsing it and compiling its selectors each time was wasted work)."""
    sheet = _stylesheets.get(text)
    if sheet is None:
        from weasyprint import CSS

        sheet = CSS(
            string=text,
            base_url=str(settings.BASE_DIR),
            font_config=font_config(),
            url_fetcher=url_fetcher(),
        )
        _stylesheets[text] = sheet
    return sheet


def html_to_pdf(
    html: str, *, stylesheets: Sequence[str] = (), kind: str = "pdf", **options: Any
) -> bytes:
    """The PDF of a complete HTML document styled by its own ``<style>`` and ``stylesheets``
    (CSS texts, applied after it; ``kind`` only counts renders in ``stats``)."""
    from weasyprint import HTML

    with lock:
        sheets = [stylesheet(text) for text in stylesheets]
        document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher())
        pdf = document.write_pdf(
            stylesheets=sheets, finisher=scope_table_headers, **pdf_options(**options)
        )
        stats[kind] = stats.get(kind, 0) + 1
    return bytes(pdf)


def scope_table_headers(document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: every table header cell (``/TH``) gets its ``/Scope`` — ``/Column``
    in the table's head (``/THead``), ``/Row`` elsewhere (row and row-group headers) — as PDF/UA-1
    asks so that each data cell is associated with its headers. WeasyPrint 70 writes the data
    cells' ``/Headers`` but no ``/Scope`` on the header cells (docs/pdf-ua.md). Works on the
    objects in memory, before they are written: no second pass over the file."""
    import pydyf

    elements = {
        obj.reference: obj
        for obj in pdf.objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem"
    }
    groups = {"/THead", "/TBody", "/TFoot", "/Table"}
    for element in elements.values():
        if element.get("S") != "/TH":
            continue
        parent = elements.get(element.get("P"))
        while parent is not None and parent.get("S") not in groups:
            parent = elements.get(parent.get("P"))
        scope = "/Column" if parent is not None and parent.get("S") == "/THead" else "/Row"
        attributes = element.get("A")
        if isinstance(attributes, pydyf.Dictionary):
            attributes.setdefault("Scope", scope)
        else:
            element["A"] = pydyf.Dictionary({"O": "/Table", "Scope": scope})
