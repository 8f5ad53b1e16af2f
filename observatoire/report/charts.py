"""Plotly figures of the report, exported as SVG by kaleido and cached by their data.

One kaleido server (a headless Chromium) is started per process on first use and kept warm;
each exported figure is cached on disk under ``settings.CACHE_DIR / "charts"`` by a hash of its
JSON, so a chart seen once is never exported again by any process.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import shutil
import threading
from pathlib import Path

import plotly.graph_objects as go
from django.conf import settings

logger = logging.getLogger(__name__)

FONT_FAMILY = "DejaVu Sans"
INK = "#1d2a3a"
ACCENT = "#1f5f8b"
ACCENT_SOFT = "rgba(31, 95, 139, 0.18)"
GREY = "#8a94a0"

_lock = threading.Lock()
_server_started = 0
# Exports made by this process (the rest came from the disk cache); read by tests and the bench.
stats = {"exports": 0, "hits": 0}


def _browser_path() -> str | None:
    return (
        getattr(settings, "BROWSER_PATH", "")
        or os.environ.get("BROWSER_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def ensure_exporter() -> None:
    """Start the process-wide kaleido server once (its browser starts on the first export)."""
    global _server_started
    # The process id, not a flag: a process forked after the start (gunicorn --preload) has no
    # server thread and starts its own.
    if _server_started == os.getpid():
        return
    with _lock:
        if _server_started == os.getpid():
            return
        import kaleido

        path = _browser_path()
        if path:
            os.environ["BROWSER_PATH"] = path
        # mathjax=False: its default is a CDN URL, and the platform runs offline.
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        _server_started = os.getpid()


def warm_exporter() -> None:
    """Export small figures so the browser is up before the first real report (process start)."""
    ensure_exporter()
    import kaleido

    # One small figure of each kind the report draws: plotly's validators for these traces load
    # here, and the browser page has their plotly.js modules ready.
    samples = [
        fragility_position_figure(["a", "b"], [10.0, None], peers_label=""),
        situations_radar_figure(["a", "b", "c"], [50.0] * 3, [25.0] * 3, [75.0] * 3),
        lever_triangle_figure((33.0, 33.0, 34.0)),
    ]
    for fig in samples:
        fig.to_json(engine="json")
        with _lock:
            kaleido.calc_fig_sync(fig, opts={"format": "svg", "width": 200, "height": 150})


def _cache_dir() -> Path:
    path = Path(settings.CACHE_DIR) / "charts"
    path.mkdir(parents=True, exist_ok=True)
    return path


# PNG charts are drawn at this multiple of their CSS size (sharp in print at the report's widths).
PNG_SCALE = 2


def figure_image(fig: go.Figure, *, width: int, height: int, fmt: str = "svg") -> bytes:
    """The figure as SVG or PNG bytes, from the disk cache or exported by the warm kaleido
    server."""
    scale = PNG_SCALE if fmt == "png" else 1
    payload = fig.to_json(engine="json") + f"|{width}x{height}x{scale}"
    digest = hashlib.sha256(payload.encode()).hexdigest()[:32]
    path = _cache_dir() / f"{digest}.{fmt}"
    if path.exists():
        stats["hits"] += 1
        return path.read_bytes()
    ensure_exporter()
    import kaleido

    with _lock:
        image = kaleido.calc_fig_sync(
            fig, opts={"format": fmt, "width": width, "height": height, "scale": scale}
        )
    stats["exports"] += 1
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(image)
    tmp.replace(path)
    return image


def figure_svg(fig: go.Figure, *, width: int, height: int) -> bytes:
    """The figure as SVG bytes (see ``figure_image``)."""
    return figure_image(fig, width=width, height=height, fmt="svg")


MIME = {"svg": "image/svg+xml", "png": "image/png"}


def figure_data_uri(fig: go.Figure, *, width: int, height: int, fmt: str = "svg") -> str:
    """An ``<img src>`` for the figure (an <img> is drawn faster than an inline <svg>; a PNG
    faster than an SVG, which WeasyPrint parses and draws in Python on every render)."""
    image = figure_image(fig, width=width, height=height, fmt=fmt)
    return f"data:{MIME[fmt]};base64," + base64.b64encode(image).decode("ascii")


def _layout(fig: go.Figure, **extra: object) -> go.Figure:
    fig.update_layout(
        font={"family": FONT_FAMILY, "size": 11, "color": INK},
        paper_bgcolor="white",
        plot_bgcolor="white",
        showlegend=False,
        **extra,
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

    def closed(values: list[float | None]) -> list[float | None]:
        return [*values, values[0]] if values else values

    theta = closed(labels)
    fig = go.Figure()
    fig.add_trace(
        go.Scatterpolar(
            r=closed(q3),
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
            r=closed(q1),
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
            r=closed(median),
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
