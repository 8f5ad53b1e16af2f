"""The report's charts, drawn from its ``ReportData`` (``draw``), and the plotly figures of the
territory's indicators page.

The second step of the report's straight line (``cache.get_report``): ``draw`` returns the
``ReportImages`` the template embeds. The images are exported and cached by ``config.charts``
(one owner for every chart image, web pages and PDF alike).
"""

from __future__ import annotations

import base64
import logging

import plotly.graph_objects as go
from django.conf import settings

from config.charts import (
    FONT_FAMILY,
    MIME,
    NARROW,
    PNG_SCALE,
    WIDE,
    ChartsUnavailable,
    closed_loop,
    ensure_exporter,
    export_samples,
    figure_image,
    figure_svg,
    stats,
    wrapped,
)
from observatoire.report.data import ReportData, ReportImages

__all__ = [
    "MIME",
    "PNG_SCALE",
    "ensure_exporter",
    "figure_data_uri",
    "figure_image",
    "figure_svg",
    "stats",
]

logger = logging.getLogger(__name__)

INK = "#1d2a3a"
ACCENT = "#1f5f8b"
ACCENT_SOFT = "rgba(31, 95, 139, 0.18)"
GREY = "#8a94a0"


def figure_data_uri(fig: go.Figure, *, width: int, height: int, fmt: str = "svg") -> str:
    """An ``<img src>`` for the figure in the report (an <img> is drawn faster than an inline
    <svg>; a PNG faster than an SVG, which WeasyPrint parses and draws in Python on every
    render)."""
    image = figure_image(fig, width=width, height=height, fmt=fmt)
    return f"data:{MIME[fmt]};base64," + base64.b64encode(image).decode("ascii")


def chart_format() -> str:
    """``svg`` (default) or ``png`` (``settings.REPORT_CHART_FORMAT``)."""
    return getattr(settings, "REPORT_CHART_FORMAT", "") or "svg"


def draw(data: ReportData) -> ReportImages:
    """The report's chart images: the fragility profile when indicators are ranked, the
    situations' radar and the levers' triangle when released figures allow them."""
    images = ReportImages()
    if data.indicators_available:
        fig = fragility_position_figure(
            [d.label for d in data.domains],
            [d.position for d in data.domains],
            peers_label=data.peers_label,
        )
        images.fragility = image(fig, width=680, height=470)
    released = data.practices
    if released.shown and released.has_distribution:
        labels = [f"{s.situation.code}. {_short(s.situation.title)}" for s in released.situations]
        fig = situations_radar_figure(
            labels,
            [s.median for s in released.situations],
            [s.q1 for s in released.situations],
            [s.q3 for s in released.situations],
        )
        images.radar = image(fig, width=680, height=400)
    if released.shown and released.barycentre:
        # The barycentre only: no chart ever draws one person's assessment.
        images.triangle = triangle_image(released.barycentre)
    images.missing = any(
        wanted and not drawn
        for wanted, drawn in (
            (data.indicators_available, images.fragility),
            (released.shown and released.has_distribution, images.radar),
            (released.shown and released.barycentre, images.triangle),
        )
    )
    return images


def triangle_image(barycentre: tuple[float, float, float]) -> str:
    """The Gestion – Action – Vision triangle with the barycentre only (territory and campaign
    reports)."""
    return image(lever_triangle_figure(barycentre), width=330, height=300)


def image(fig: go.Figure, *, width: int, height: int) -> str:
    """The chart's image source, or "" when the exporter fails (the report goes out without it,
    and is not cached)."""
    try:
        return figure_data_uri(fig, width=width, height=height, fmt=chart_format())
    except ChartsUnavailable:  # the exporter has logged why, once
        return ""
    except Exception:
        logger.exception("Export d'un graphique du rapport impossible")
        return ""


def _short(title: str) -> str:
    """A situation title without its scope note, on lines of at most 26 characters."""
    return wrapped(title.split(" (")[0], 26)


def warm_exporter() -> None:
    """Export small figures so the browser is up before the first real report (process start)."""
    # One small figure of each kind the report and the pages draw: plotly's validators for these
    # traces load here, and the browser page has their plotly.js modules ready.
    export_samples(
        [
            fragility_position_figure(["a", "b"], [10.0, None], peers_label=""),
            situations_radar_figure(["a", "b", "c"], [50.0] * 3, [25.0] * 3, [75.0] * 3),
            lever_triangle_figure((33.0, 33.0, 34.0)),
            indicator_distribution_figure(
                [{"label": "a", "q": [0, 0.25, 0.5, 0.75, 1], "value": 0.3}], territory="t"
            )[0],
        ]
    )


def _layout(fig: go.Figure, **extra: object) -> go.Figure:
    fig.update_layout(
        font={"family": FONT_FAMILY, "size": 11, "color": INK},
        paper_bgcolor="white",
        plot_bgcolor="white",
        **{"showlegend": False, **extra},
    )
    return fig


def fragility_position_figure(
    labels: list[str], percentiles: list[float | None], *, peers_label: str
) -> go.Figure:
    """The territory's position among its peers in each of the 16 domains (0 = least fragile).

    One row per domain: the 0–100 scale, the middle half of the peers shaded, the territory a dot.
    A domain without data has no dot (missing, never 0).
    """
    rows = list(reversed(labels))
    values = list(reversed(percentiles))
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=rows,
            x=[50] * len(rows),
            base=[25] * len(rows),
            orientation="h",
            marker={"color": ACCENT_SOFT},
            hoverinfo="skip",
            name="moitié centrale des pairs",
        )
    )
    shown = [(row, value) for row, value in zip(rows, values, strict=True) if value is not None]
    fig.add_trace(
        go.Scatter(
            y=[row for row, _ in shown],
            x=[value for _, value in shown],
            mode="markers+text",
            marker={"color": ACCENT, "size": 10, "line": {"color": "white", "width": 1}},
            text=[f"{value:.0f}" for _, value in shown],
            textposition="middle right",
            textfont={"size": 9},
            cliponaxis=False,  # a label near 100 stays whole
            name="territoire",
        )
    )
    fig.add_vline(x=50, line={"color": GREY, "width": 1, "dash": "dot"})
    return _layout(
        fig,
        margin={"l": 230, "r": 40, "t": 10, "b": 45},
        xaxis={
            "range": [0, 100],
            "title": {"text": "Rang centile parmi les pairs (100 = le plus fragile)"},
            "gridcolor": "#e5e8ec",
            "tickvals": [0, 25, 50, 75, 100],
        },
        yaxis={"automargin": True},
        bargap=0.45,
    )


def situations_radar_figure(
    labels: list[str], median: list[float | None], q1: list[float | None], q3: list[float | None]
) -> go.Figure:
    """Coverage of the 8 situations (0–100): the median of the assessments and their middle half."""
    theta = closed_loop(labels)
    fig = go.Figure()
    fig.add_trace(
        go.Scatterpolar(
            r=closed_loop(q3),
            theta=theta,
            mode="lines",
            line={"color": "rgba(31, 95, 139, 0.35)", "width": 1},
            fill="toself",
            fillcolor=ACCENT_SOFT,
            name="3e quartile",
        )
    )
    fig.add_trace(
        go.Scatterpolar(
            r=closed_loop(q1),
            theta=theta,
            mode="lines",
            line={"color": "rgba(31, 95, 139, 0.35)", "width": 1},
            fill="toself",
            fillcolor="white",
            name="1er quartile",
        )
    )
    fig.add_trace(
        go.Scatterpolar(
            r=closed_loop(median),
            theta=theta,
            mode="lines+markers",
            line={"color": ACCENT, "width": 2},
            name="médiane",
        )
    )
    return _layout(
        fig,
        margin={"l": 150, "r": 150, "t": 40, "b": 40},
        polar={
            "bgcolor": "white",
            "radialaxis": {
                "gridcolor": "#d5dbe1",
                "range": [0, 100],
                "tickvals": [25, 50, 75, 100],
                # The outer ring is 100 by definition; its label would sit on a situation's name.
                "ticktext": ["25", "50", "75", ""],
                "angle": 67.5,
                "tickfont": {"size": 8},
            },
            "angularaxis": {
                "tickfont": {"size": 10},
                "rotation": 90,
                "direction": "clockwise",
                "gridcolor": "#d5dbe1",
            },
        },
    )


def lever_triangle_figure(barycentre: tuple[float, float, float]) -> go.Figure:
    """Gestion – Action – Vision triangle: the released barycentre only (no per-person point)."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatterternary(
            a=[barycentre[0]],
            b=[barycentre[1]],
            c=[barycentre[2]],
            mode="markers",
            marker={"color": ACCENT, "size": 14, "symbol": "diamond"},
            name="barycentre",
        )
    )
    return _layout(
        fig,
        margin={"l": 45, "r": 45, "t": 35, "b": 35},
        ternary={
            "sum": 100,
            "aaxis": {"title": {"text": "Gestion"}, "tickvals": [20, 40, 60, 80]},
            "baxis": {"title": {"text": "Action"}, "tickvals": [20, 40, 60, 80]},
            "caxis": {"title": {"text": "Vision"}, "tickvals": [20, 40, 60, 80]},
        },
    )


# Indicators page: the width each picture is drawn at, the characters of one line of a row's
# label and how many lines it may take (labels wrap; a longer one ends with « … », the table
# above the chart names every indicator in full).
DISTRIBUTION_SIZES = {NARROW: (340, 20), WIDE: (880, 48)}
LABEL_LINES = {NARROW: 3, WIDE: 2}
ROW_HEIGHT = {NARROW: 48, WIDE: 38}


def row_label(label: str, variant: str) -> str:
    """A row's label wrapped on whole words, at most ``LABEL_LINES`` lines."""
    lines = wrapped(label, DISTRIBUTION_SIZES[variant][1]).split("<br>")
    if len(lines) > LABEL_LINES[variant]:
        lines = lines[: LABEL_LINES[variant]]
        lines[-1] = lines[-1].rstrip(" ,;:") + "…"
    return "<br>".join(lines)


TERRITORY_RED = "#b3261e"


def indicator_distribution_figure(
    rows: list[dict], *, territory: str, variant: str = NARROW
) -> tuple[go.Figure, int, int]:
    """(figure, width, height) of one fragility domain on the indicators page: per indicator, the
    peers' distribution (minimum, quartiles, maximum) rescaled to 0–1 and oriented so that the
    right-hand side is the most fragile, and the territory as a diamond (none when missing)."""
    narrow = variant == NARROW
    # Rows by position, not by label: two labels shortened alike stay two rows.
    positions = list(range(len(rows)))
    fig = go.Figure()
    fig.add_trace(
        go.Box(
            y=positions,
            orientation="h",
            lowerfence=[row["q"][0] for row in rows],
            q1=[row["q"][1] for row in rows],
            median=[row["q"][2] for row in rows],
            q3=[row["q"][3] for row in rows],
            upperfence=[row["q"][4] for row in rows],
            fillcolor="rgba(31, 95, 139, 0.15)",
            line={"color": ACCENT, "width": 1.5},
            width=0.55,
            name="pairs (min., quartiles, max.)",
        )
    )
    shown = [(pos, row["value"]) for pos, row in enumerate(rows) if row["value"] is not None]
    fig.add_trace(
        go.Scatter(
            y=[pos for pos, _ in shown],
            x=[value for _, value in shown],
            mode="markers",
            marker={
                "color": TERRITORY_RED,
                "size": 11,
                "symbol": "diamond",
                "line": {"color": "white", "width": 1},
            },
            name=territory,
        )
    )
    width, height = distribution_size(len(rows), variant)
    _layout(
        fig,
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom", "font": {"size": 11}},
        margin={"l": 8, "r": 40 if narrow else 14, "t": 40 if narrow else 30, "b": 36},
        xaxis={
            "range": [-0.03, 1.03],
            "tickvals": [0, 0.5, 1],
            "ticktext": ["moins fragile", "", "plus fragile"],
            "zeroline": False,
            "gridcolor": "#e5e8ec",
            "fixedrange": True,
        },
        yaxis={
            "tickvals": positions,
            "ticktext": [row_label(row["label"], variant) for row in rows],
            "autorange": "reversed",
            "automargin": True,
            "tickfont": {"size": 11 if narrow else 12},
        },
    )
    return fig, width, height


def distribution_size(count: int, variant: str) -> tuple[int, int]:
    """(width, height) in CSS pixels of a domain's picture with ``count`` indicators."""
    return DISTRIBUTION_SIZES[variant][0], 96 + ROW_HEIGHT[variant] * count
