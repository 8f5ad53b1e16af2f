"""The report's charts, drawn from its ``ReportData`` (``draw``), and the plotly figures of the
territory's indicators page.

The second step of the report's straight line (``cache.get_report``): ``draw`` returns the
``ReportImages`` the template embeds, written as SVG in Python (``drawing``), with no browser.
The indicators page's figures are exported and cached by ``config.charts`` (kaleido).
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable

import plotly.graph_objects as go

from config.charts import (
    FONT_FAMILY,
    NARROW,
    WIDE,
    ensure_exporter,
    export_samples,
    figure_image,
    figure_svg,
    stats,
    wrapped,
)
from observatoire.report import drawing
from observatoire.report.data import ReportData, ReportImages

__all__ = ["ensure_exporter", "figure_image", "figure_svg", "stats"]

logger = logging.getLogger(__name__)

INK = "#1d2a3a"
ACCENT = "#1f5f8b"
ACCENT_SOFT = "rgba(31, 95, 139, 0.18)"
GREY = "#8a94a0"


def draw(data: ReportData) -> ReportImages:
    """The report's chart images, written as SVG in Python (``drawing``; no browser): the
    fragility profile when indicators are ranked, the situations' radar and the levers' triangle
    when released figures allow them. A chart that fails is left out and said missing (the
    report goes out without it and is not cached)."""
    images = ReportImages()

    def drawn(draw_svg: Callable[[], str]) -> str:
        try:
            return svg_data_uri(draw_svg())
        except Exception:
            logger.exception("Dessin d'un graphique du rapport impossible")
            images.missing = True
            return ""

    if data.indicators_available:
        labels, positions = [d.label for d in data.domains], [d.position for d in data.domains]
        images.fragility = drawn(lambda: drawing.fragility_profile(labels, positions))
    released = data.practices
    if released.shown and released.has_distribution:
        situations = released.situations
        names = [_situation_label(s.situation.code, s.situation.title) for s in situations]
        images.radar = drawn(
            lambda: drawing.situations_radar(
                names,
                [s.median for s in situations],
                [s.q1 for s in situations],
                [s.q3 for s in situations],
            )
        )
    if released.shown and released.barycentre:
        # The barycentre only: no chart ever draws one person's assessment.
        barycentre = released.barycentre
        images.triangle = drawn(lambda: drawing.lever_triangle(barycentre))
    if data.departements:
        codes = frozenset(code for code, _ in data.departements)
        try:
            png = drawing.france_locator(codes)
            images.map = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        except Exception:
            logger.exception("Dessin de la carte du rapport impossible")
            images.missing = True
    return images


def triangle_image(barycentre: tuple[float, float, float]) -> str:
    """The Gestion – Action – Vision triangle with the barycentre only (territory and campaign
    reports)."""
    return svg_data_uri(drawing.lever_triangle(barycentre))


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _situation_label(code: str, title: str) -> list[str]:
    """« 1.1. » and the situation's title without its scope note, on lines of at most 26
    characters."""
    return wrapped(f"{code}. {title.split(' (')[0]}", 26).split("<br>")


def warm_exporter() -> None:
    """Export small figures so the browser is up before the first real report (process start)."""
    # One small figure of each kind the report and the pages draw: plotly's validators for these
    # traces load here, and the browser page has their plotly.js modules ready.
    export_samples(
        [
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
