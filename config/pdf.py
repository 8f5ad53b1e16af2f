"""The project's one PDF pipeline: HTML (with its print CSS) → WeasyPrint → tagged PDF/UA-1.

Every PDF (territory and campaign reports, a catalyst's self-assessment) goes through
``html_to_pdf``: one image/stylesheet cache and one font configuration shared by every render of
the process (WeasyPrint's maintainers' advice; a second render reuses the fonts already loaded),
relative URLs resolved from the project's folder (never from the request), one lock because
WeasyPrint with a shared font configuration is not thread-safe, and the table header cells given
their PDF/UA ``/Scope`` afterwards (``scope_table_headers``, docs/pdf-ua.md).
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
lock = threading.Lock()
# Number of PDFs rendered by this process, by kind (tests count cache misses with it).
stats: dict[str, int] = {}


def font_config() -> Any:
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


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

        sheet = CSS(string=text, base_url=str(settings.BASE_DIR), font_config=font_config())
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
        document = HTML(string=html, base_url=str(settings.BASE_DIR))
        pdf = document.write_pdf(stylesheets=sheets, **pdf_options(**options))
        stats[kind] = stats.get(kind, 0) + 1
    return scope_table_headers(pdf)


def scope_table_headers(document: bytes) -> bytes:
    """The PDF with every table header cell (``/TH``) given its ``/Scope`` attribute: ``/Column``
    in a table's head, ``/Row`` elsewhere (row and row-group headers), as PDF/UA-1 (7.5) asks so
    that a reader can associate each data cell with its headers. WeasyPrint 70 tags ``<th>`` as
    ``/TH`` but writes no attribute from the HTML ``scope`` (docs/pdf-ua.md)."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(document)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return document
        changed = False
        # Depth-first over the structure elements, remembering whether we are in a /THead.
        stack: list[tuple[Any, bool]] = [(tree, False)]
        seen: set[tuple[int, int]] = set()
        while stack:
            node, in_head = stack.pop()
            kids = node.get("/K")
            if kids is None:
                continue
            items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            for kid in items:
                if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
                    continue
                if kid.is_indirect:
                    if kid.objgen in seen:
                        continue
                    seen.add(kid.objgen)
                role = str(kid.S)
                if role == "/TH":
                    changed = _scope(kid, in_head) or changed
                stack.append((kid, in_head or role == "/THead"))
        if not changed:
            return document
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _scope(cell: Any, in_head: bool) -> bool:
    """Give a /TH its /Scope in its /Table attributes (WeasyPrint writes ``/A << /O /Table >>``)."""
    import pikepdf

    scope = pikepdf.Name.Column if in_head else pikepdf.Name.Row
    attributes = cell.get("/A")
    if attributes is None:
        cell.A = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=scope)
        return True
    found = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
    for attribute in found:
        if isinstance(attribute, pikepdf.Dictionary) and attribute.get("/O") == "/Table":
            if "/Scope" in attribute:
                return False
            attribute.Scope = scope
            return True
    table = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=scope)
    cell.A = pikepdf.Array([*found, table])
    return True
