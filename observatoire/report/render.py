"""ReportData → HTML (Django template, print CSS) → PDF (WeasyPrint, tagged PDF/UA-1)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from config import pdf
from config.charts import ChartsUnavailable, wrapped
from config.typography import french_html
from observatoire.report import charts
from observatoire.report.data import LEVER_LABELS, ReportData
from observatoire.report.summary import build_summary
from pratiques import disclosure

logger = logging.getLogger(__name__)

TEMPLATE = "observatoire/report/report.html"
# Given to WeasyPrint parsed once per process, not inlined in each report's HTML.
STYLESHEET = "observatoire/report/report.css"
PDF_VARIANT = pdf.PDF_VARIANT
# Number of reports rendered by this process (tests and the bench count cache misses with it).
stats = {"renders": 0}


def chart_format() -> str:
    """``svg`` (default) or ``png`` (``settings.REPORT_CHART_FORMAT``). Measured
    (docs/benchmarks.md): PNG charts render no faster here and double the PDF's size."""
    return getattr(settings, "REPORT_CHART_FORMAT", "") or "svg"


def pdf_options() -> dict[str, Any]:
    """Options of WeasyPrint's ``write_pdf`` for the report (the shared pipeline's)."""
    return pdf.pdf_options()


def build_charts(data: ReportData) -> dict[str, str]:
    """Image sources (SVG data URIs) of the report's charts, keyed by name."""
    images: dict[str, str] = {}
    if data.indicators_available:
        fig = charts.fragility_position_figure(
            [d.label for d in data.domains],
            [d.position for d in data.domains],
            peers_label=data.peers_label,
        )
        images["fragility"] = _image(fig, width=680, height=470)
    released = data.practices
    if released.shown and released.has_distribution:
        labels = [f"{s.situation.code}. {_short(s.situation.title)}" for s in released.situations]
        fig = charts.situations_radar_figure(
            labels,
            [s.median for s in released.situations],
            [s.q1 for s in released.situations],
            [s.q3 for s in released.situations],
        )
        images["radar"] = _image(fig, width=680, height=400)
    if released.shown and released.barycentre:
        # The barycentre only: no chart ever draws one person's assessment.
        fig = charts.lever_triangle_figure(released.barycentre)
        images["triangle"] = _image(fig, width=330, height=300)
    return images


def _image(fig: Any, *, width: int, height: int) -> str:
    """The chart's image source, or "" when the exporter fails (the report goes out without it,
    and is not cached)."""
    try:
        return charts.figure_data_uri(fig, width=width, height=height, fmt=chart_format())
    except ChartsUnavailable:  # the exporter has logged why, once
        return ""
    except Exception:
        logger.exception("Export d'un graphique du rapport impossible")
        return ""


def _short(title: str) -> str:
    """A situation title without its scope note, on lines of at most 26 characters."""
    return wrapped(title.split(" (")[0], 26)


def stylesheet() -> str:
    return render_to_string(STYLESHEET)


def render_html(data: ReportData, images: dict[str, str] | None = None) -> str:
    images = build_charts(data) if images is None else images
    context = {
        "data": data,
        "images": images,
        # A chart that could not be drawn: the report says it goes out « sans graphiques ».
        "charts_missing": not all(images.values()),
        "t": data.territory,
        "lever_labels": list(LEVER_LABELS.items()),
        "distribution_min": disclosure.DISTRIBUTION_MIN,
        "summary": build_summary(data),
    }
    html = render_to_string(TEMPLATE, context)
    return french_html(html)


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


def render_pdf(data: ReportData) -> bytes:
    """The report as PDF bytes (one render; the caller caches it if ``data.complete``)."""
    images = build_charts(data)
    data.complete = all(images.values())
    html = render_html(data, images)
    document = pdf.html_to_pdf(html, stylesheets=[stylesheet()], kind="territory-report")
    stats["renders"] += 1
    return document
