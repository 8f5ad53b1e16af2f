"""ReportData + ReportImages → HTML (Django template, print CSS) → PDF (WeasyPrint, PDF/UA-1).

The last step of the report's straight line (``cache.get_report``): no query, no chart drawn
here; the PDF pipeline is the project's one (``config.pdf.html_to_pdf``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string

from config import pdf
from config.typography import french_html
from observatoire import maps
from observatoire.report.data import LEVER_LABELS, ReportData, ReportImages
from pratiques import disclosure

TEMPLATE = "observatoire/report/report.html"
# Given to WeasyPrint parsed once per process, not inlined in each report's HTML.
STYLESHEET = "observatoire/report/report.css"
PDF_VARIANT = pdf.PDF_VARIANT
# Number of reports rendered by this process (tests and the bench count cache misses with it).
stats = {"renders": 0}


def stylesheet() -> str:
    return render_to_string(STYLESHEET)


def render_html(data: ReportData, images: ReportImages) -> str:
    context = {
        "data": data,
        "images": images,
        # A chart that could not be drawn: the report says it goes out « sans graphiques ».
        "charts_missing": images.missing,
        "t": data.territory,
        "lever_labels": list(LEVER_LABELS.items()),
        "distribution_min": disclosure.DISTRIBUTION_MIN,
        "summary": data.summary,
        "map_source": maps.SOURCE,
    }
    return french_html(render_to_string(TEMPLATE, context))


def document_pdf(html: str, *, kind: str, stylesheets: Sequence[str] = ()) -> bytes:
    """A report's PDF from its HTML (territory and campaign reports), counted in ``stats``."""
    document = pdf.html_to_pdf(html, stylesheets=stylesheets, kind=kind)
    stats["renders"] += 1
    return document


def render_pdf(data: ReportData, images: ReportImages) -> bytes:
    """The report as PDF bytes (one render; the caller caches it if ``images.complete``)."""
    html = render_html(data, images)
    return document_pdf(html, kind="territory-report", stylesheets=[stylesheet()])


def warm() -> None:
    """One tiny render with the report's stylesheet and fonts, so that WeasyPrint's import, font
    configuration and text shaping are ready before the first report of the process."""
    from django.template.loader import get_template

    get_template(TEMPLATE)  # compiled once by the cached loader
    html = (
        '<html lang="fr"><head><title>Rapport</title></head><body><h1>Rapport</h1><p>Fragilité '
        "<strong>médiane</strong> : 12,5 %</p><table><tr><th>a</th><td>1</td></tr></table>"
        "</body></html>"
    )
    pdf.html_to_pdf(html, stylesheets=[stylesheet()], kind="warm-up")
