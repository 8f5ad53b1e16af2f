"""The report's three charts written directly as small SVG documents, in Python.

No browser and no plotly here: a chart of the report is a few dozen shapes (16 rows of dots, a
radar of 8 situations, one diamond in a triangle), so writing them is faster than exporting a
plotly figure through a headless Chromium (which also took 5–10× more shapes for WeasyPrint to
draw), never fails, and gives the same image for the same figures. The web pages keep their
plotly charts (``config.charts``).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from functools import cache
from xml.sax.saxutils import escape

FONT = "DejaVu Sans"
INK = "#1d2a3a"
ACCENT = "#1f5f8b"
ACCENT_SOFT = "rgba(31, 95, 139, 0.18)"
GRID = "#d5dbe1"
GREY = "#8a94a0"


def _n(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zero."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(width: int, height: int, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" fill="{INK}">'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, text: str, *, size: int = 11, anchor: str = "start") -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}">'
        f"{escape(text)}</text>"
    )


def _lines(x: float, y: float, lines: Sequence[str], *, size: int, anchor: str) -> str:
    """Lines of text centred vertically on y."""
    top = y - (len(lines) - 1) * size * 0.6 + size * 0.35
    return "".join(
        _text(x, top + i * size * 1.2, line, size=size, anchor=anchor)
        for i, line in enumerate(lines)
    )


def fragility_profile(
    labels: Sequence[str], positions: Sequence[float | None], *, width: int = 680, height: int = 470
) -> str:
    """The territory's rank among its peers in each domain (0–100, 100 = most fragile): one row
    per domain, the peers' middle half shaded, the territory a dot with its rank. A domain
    without a ranked indicator has no dot (missing, never 0)."""
    left, right, top, bottom = 230, 40, 10, 45
    plot = width - left - right
    row = (height - top - bottom) / max(len(labels), 1)

    def x(rank: float) -> float:
        return left + plot * rank / 100

    body = [
        f'<rect x="{_n(x(25))}" y="{top}" width="{_n(x(75) - x(25))}" '
        f'height="{_n(row * len(labels))}" fill="{ACCENT_SOFT}"/>'
    ]
    for tick in (0, 25, 50, 75, 100):
        dash = ' stroke-dasharray="2 3"' if tick == 50 else ""
        colour = GREY if tick == 50 else "#e5e8ec"
        body.append(
            f'<line x1="{_n(x(tick))}" y1="{top}" x2="{_n(x(tick))}" '
            f'y2="{_n(height - bottom)}" stroke="{colour}" stroke-width="1"{dash}/>'
        )
        body.append(_text(x(tick), height - bottom + 14, str(tick), size=10, anchor="middle"))
    body.append(
        _text(
            left + plot / 2,
            height - 8,
            "Rang centile parmi les pairs (100 = le plus fragile)",
            anchor="middle",
        )
    )
    for i, (label, position) in enumerate(zip(labels, positions, strict=True)):
        middle = top + row * (i + 0.5)
        body.append(_lines(left - 8, middle, _wrap(label, 38), size=10, anchor="end"))
        if position is None:
            continue
        body.append(
            f'<circle cx="{_n(x(position))}" cy="{_n(middle)}" r="5" fill="{ACCENT}" '
            'stroke="white" stroke-width="1"/>'
        )
        body.append(_text(x(position) + 8, middle + 3, f"{position:.0f}", size=9))
    return _svg(width, height, body)


def situations_radar(
    labels: Sequence[Sequence[str]],
    median: Sequence[float | None],
    q1: Sequence[float | None],
    q3: Sequence[float | None],
    *,
    width: int = 680,
    height: int = 400,
) -> str:
    """Coverage of the situations (0–100), clockwise from the top: the middle half of the
    assessments shaded (1st to 3rd quartile), the median a line with its points; each label a
    list of lines."""
    cx, cy = width / 2, height / 2 + 5
    radius = min(width - 300, height - 80) / 2
    count = len(labels)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / count
        r = radius * value / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    def polygon(values: Sequence[float | None]) -> str:
        return " ".join(
            f"{_n(px)},{_n(py)}" for px, py in (point(i, v or 0.0) for i, v in enumerate(values))
        )

    body = []
    for ring in (25, 50, 75, 100):
        body.append(f'<polygon points="{polygon([ring] * count)}" fill="none" stroke="{GRID}"/>')
    for i in range(count):
        px, py = point(i, 100)
        body.append(
            f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(px)}" y2="{_n(py)}" stroke="{GRID}"/>'
        )
    for ring in (25, 50, 75):
        px, py = point(0, ring)
        body.append(_text(px + 3, py + 3, str(ring), size=8))
    body.append(
        f'<polygon points="{polygon(q3)}" fill="{ACCENT_SOFT}" stroke="rgba(31, 95, 139, 0.35)"/>'
    )
    body.append(f'<polygon points="{polygon(q1)}" fill="white" stroke="rgba(31, 95, 139, 0.35)"/>')
    body.append(
        f'<polygon points="{polygon(median)}" fill="none" stroke="{ACCENT}" stroke-width="2"/>'
    )
    for i, value in enumerate(median):
        if value is not None:
            px, py = point(i, value)
            body.append(f'<circle cx="{_n(px)}" cy="{_n(py)}" r="3" fill="{ACCENT}"/>')
    for i, lines in enumerate(labels):
        px, py = point(i, 112)
        horizontal = px - cx
        anchor = "middle" if abs(horizontal) < 1 else ("start" if horizontal > 0 else "end")
        body.append(_lines(px, py, lines, size=10, anchor=anchor))
    return _svg(width, height, body)


def lever_triangle(
    barycentre: tuple[float, float, float], *, width: int = 330, height: int = 300
) -> str:
    """The Gestion – Action – Vision triangle with one diamond: the released barycentre (never a
    person's point). Gestion at the top, Action bottom left, Vision bottom right."""
    side = min(width - 90, (height - 70) / math.sqrt(3) * 2)
    top = (width / 2, 35.0)
    left = (width / 2 - side / 2, 35 + side * math.sqrt(3) / 2)
    right = (width / 2 + side / 2, left[1])
    corners = (top, left, right)

    def at(a: float, b: float, c: float) -> tuple[float, float]:
        total = (a + b + c) or 1.0
        return (
            (a * top[0] + b * left[0] + c * right[0]) / total,
            (a * top[1] + b * left[1] + c * right[1]) / total,
        )

    body = [
        '<polygon points="'
        + " ".join(f"{_n(px)},{_n(py)}" for px, py in corners)
        + f'" fill="none" stroke="{INK}"/>'
    ]
    for step in (20, 40, 60, 80):  # a line of each lever's share
        for a1, b1, c1, a2, b2, c2 in (
            (step, 100 - step, 0, step, 0, 100 - step),
            (100 - step, step, 0, 0, step, 100 - step),
            (100 - step, 0, step, 0, 100 - step, step),
        ):
            (x1, y1), (x2, y2) = at(a1, b1, c1), at(a2, b2, c2)
            body.append(
                f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{GRID}"/>'
            )
    body.append(_text(top[0], top[1] - 10, "Gestion", anchor="middle"))
    body.append(_text(left[0], left[1] + 18, "Action", anchor="middle"))
    body.append(_text(right[0], right[1] + 18, "Vision", anchor="middle"))
    px, py = at(*barycentre)
    diamond = (
        f"{_n(px)},{_n(py - 8)} {_n(px + 6)},{_n(py)} {_n(px)},{_n(py + 8)} {_n(px - 6)},{_n(py)}"
    )
    body.append(f'<polygon class="barycentre" points="{diamond}" fill="{ACCENT}"/>')
    return _svg(width, height, body)


def _wrap(text: str, width: int) -> list[str]:
    """Words on lines of at most ``width`` characters (a longer word alone on its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


# --- the map of France (a région's report) ----------------------------------------------------

MAP_WIDTH = 600  # pixels of the PNG (about 190 dpi at the report's 8 cm)
_SUPERSAMPLE = 3  # drawn larger, then reduced: smooth edges without an anti-aliasing rasteriser
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[A-Za-z]")


def _polygons(path: str) -> list[list[tuple[float, float]]]:
    """The outlines of an SVG path of ``m``/``M``, ``l``, ``c`` and ``z`` commands (those of the
    map's shapes), each curve reduced to its end point: enough for a map a few centimetres wide."""
    polygons: list[list[tuple[float, float]]] = []
    x = y = 0.0
    command = ""
    numbers: list[float] = []
    tokens = _NUMBER.findall(path)

    def flush() -> None:
        nonlocal x, y
        step = {"m": 2, "M": 2, "l": 2, "L": 2, "c": 6, "C": 6}.get(command, 0)
        if not step:
            return
        for i in range(0, len(numbers) - step + 1, step):
            dx, dy = numbers[i + step - 2], numbers[i + step - 1]
            if command.isupper():
                x, y = dx, dy
            else:
                x, y = x + dx, y + dy
            if command in "mM" and i == 0:
                polygons.append([(x, y)])
            elif polygons:
                polygons[-1].append((x, y))

    for token in tokens:
        if token.isalpha():
            flush()
            command, numbers = token, []
            if token in "zZ" and polygons and polygons[-1]:
                x, y = polygons[-1][0]
        else:
            numbers.append(float(token))
    flush()
    return [p for p in polygons if len(p) >= 3]


@cache
def _map_shapes() -> tuple[tuple[float, float], list[tuple[str, list[list[tuple[float, float]]]]]]:
    """(size of the view box, [(département code, outlines in view-box units)]), read once."""
    from observatoire import maps

    view_box, groups = maps.shapes()
    _, _, width, height = (float(v) for v in view_box.split())
    shapes = []
    for group in groups:
        dx, dy = 0.0, 0.0
        if match := re.match(r"translate\(([-\d.]+)[ ,]([-\d.]+)\)", group.transform or ""):
            dx, dy = float(match.group(1)), float(match.group(2))
        for code, path in group.shapes:
            outlines = [[(px + dx, py + dy) for px, py in p] for p in _polygons(path)]
            shapes.append((code, outlines))
    return (width, height), shapes


@cache
def france_locator(highlighted: frozenset[str]) -> bytes:
    """A PNG of France's départements (overseas and Paris with its petite couronne in insets),
    the ``highlighted`` ones in the report's colour, the others in light grey. A PNG rather than
    SVG: the map's 100 outlines cost WeasyPrint about 0,3 s to draw as SVG on every report."""
    from PIL import Image, ImageDraw

    (width, height), shapes = _map_shapes()
    scale = MAP_WIDTH * _SUPERSAMPLE / width
    size = (MAP_WIDTH * _SUPERSAMPLE, round(height * scale))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for code, outlines in shapes:
        fill = ACCENT if code in highlighted else "#dde2e7"
        for outline in outlines:
            draw.polygon(
                [(px * scale, py * scale) for px, py in outline],
                fill=fill,
                outline="white",
                width=_SUPERSAMPLE,
            )
    image = image.resize((MAP_WIDTH, round(size[1] / _SUPERSAMPLE)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
