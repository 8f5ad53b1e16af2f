"""The two charts of a person's results (radar of the 8 situations, Gestion – Action – Vision
triangle) as plotly figures, exported as SVG on the server by ``config.charts``.

They take the data of ``views._charts`` (the person's scores and the released statistics of the
selected peer group, never another person's point) and come in two drawings: narrow for a phone,
wide for a larger screen.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go

from config.charts import FONT_FAMILY, NARROW, WIDE, closed_loop, wrapped

MINE = "#0b5cad"
PEERS = "#6d28d9"
# (width, height) in CSS pixels of each drawing.
SIZES = {
    "radar": {NARROW: (340, 430), WIDE: (540, 560)},
    "triangle": {NARROW: (340, 400), WIDE: (540, 460)},
}
NAMES = tuple(SIZES)


def _wrap(text: str) -> str:
    return wrapped(text, 22)


def _short(text: str) -> str:
    match = re.match(r"^(\d+)\.", text)
    return f"Situation {match[1]}" if match else _wrap(text)


def radar_figure(radar: dict, variant: str) -> go.Figure:
    """My 8 situation scores and, when shown, the peers' median and middle half."""
    narrow = variant == NARROW
    # On a phone the situations go by their number; the table below names them.
    theta = closed_loop([(_short if narrow else _wrap)(label) for label in radar["labels"]])
    fig = go.Figure()
    if radar["q3"]:
        fig.add_trace(
            go.Scatterpolar(
                r=closed_loop(radar["q3"]),
                theta=theta,
                mode="lines",
                line={"color": "rgba(109,40,217,0.25)"},
                name="3e quartile des pairs",
                showlegend=False,
            )
        )
        fig.add_trace(
            go.Scatterpolar(
                r=closed_loop(radar["q1"]),
                theta=theta,
                mode="lines",
                fill="tonext",
                fillcolor="rgba(109,40,217,0.12)",
                line={"color": "rgba(109,40,217,0.25)"},
                name="Moitié centrale des pairs (1er au 3e quartile)",
            )
        )
        fig.add_trace(
            go.Scatterpolar(
                r=closed_loop(radar["median"]),
                theta=theta,
                mode="lines",
                line={"color": PEERS, "dash": "dot"},
                name="Médiane des pairs",
            )
        )
    fig.add_trace(
        go.Scatterpolar(
            r=closed_loop([0 if value is None else value for value in radar["mine"]]),
            theta=theta,
            mode="lines+markers",
            fill="toself",
            fillcolor="rgba(11,92,173,0.2)",
            line={"color": MINE, "width": 3},
            name="Moi",
        )
    )
    fig.update_layout(
        polar={
            "domain": {"y": [0.14, 1]},
            "radialaxis": {
                "range": [0, 100],
                "angle": 22.5,
                "tickangle": 22.5,
                "tickvals": [25, 50, 75, 100],
                "ticktext": ["25", "50", "75", ""],
                "tickfont": {"size": 10},
            },
            "angularaxis": {"tickfont": {"size": 10 if narrow else 11}},
        },
        margin={"t": 30, "b": 10, "l": 70, "r": 70}
        if narrow
        else {"t": 50, "b": 10, "l": 120, "r": 120},
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top"},
        font={"family": FONT_FAMILY, "size": 11},
        paper_bgcolor="white",
    )
    return fig


def triangle_figure(ternary: dict, variant: str) -> go.Figure:
    """My shares of the three axes and, when shown, the peers' barycentre and released spread
    (cells of at least the disclosure threshold, never one person's point)."""
    narrow = variant == NARROW
    fig = go.Figure()
    spread = ternary["spread"] or []
    if spread:
        largest = max(cell[3] for cell in spread)
        fig.add_trace(
            go.Scatterternary(
                mode="markers",
                name="Pairs (dispersion)",
                a=[cell[0] for cell in spread],
                b=[cell[1] for cell in spread],
                c=[cell[2] for cell in spread],
                marker={
                    "color": "rgba(109,40,217,0.35)",
                    "size": [5 + 20 * (cell[3] / largest) ** 0.5 for cell in spread],
                },
            )
        )
    for key, name, color in (
        ("barycentre", "Barycentre des pairs", PEERS),
        ("mine", "Moi", MINE),
    ):
        point = ternary[key]
        if point:
            fig.add_trace(
                go.Scatterternary(
                    mode="markers",
                    name=name,
                    a=[point[0]],
                    b=[point[1]],
                    c=[point[2]],
                    marker={
                        "symbol": "diamond" if key == "barycentre" else "circle",
                        "size": 16,
                        "color": color,
                        "line": {"color": "#fff", "width": 2},
                    },
                )
            )
    fig.update_layout(
        ternary={
            "sum": 1,
            "aaxis": {"title": {"text": "Gestion"}, "tickformat": ".0%"},
            "baxis": {"title": {"text": "Action"}, "tickformat": ".0%"},
            "caxis": {"title": {"text": "Vision"}, "tickformat": ".0%"},
        },
        margin={
            "t": 40,
            "b": 30 if narrow else 40,
            "l": 50 if narrow else 60,
            "r": 50 if narrow else 60,
        },
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": -0.1},
        font={"family": FONT_FAMILY, "size": 11},
        paper_bgcolor="white",
    )
    return fig


def results_figure(name: str, charts: dict, variant: str) -> tuple[go.Figure, int, int]:
    """(figure, width, height) of the results chart ``name`` ("radar" or "triangle")."""
    width, height = SIZES[name][variant]
    if name == "radar":
        return radar_figure(charts["radar"], variant), width, height
    return triangle_figure(charts["ternary"], variant), width, height
