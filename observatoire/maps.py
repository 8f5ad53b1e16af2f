"""A choropleth map of France drawn on the server as SVG.

Shapes: ``fr.departments.svg`` of the ``pygal_maps_fr`` package (LGPL-3.0-or-later, Kozea), read
from the installed package, never copied: 101 départements (2A/2B), the DROM and Paris with its
petite couronne as insets. A région is drawn as its départements. Values in five quintile classes
(thresholds computed on the values shown, written in the legend), a colour-blind-safe palette
(viridis), hatching for « moins de 5 » and « non disponible »; each area links to its page.
"""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

SOURCE = "pygal_maps_fr (fr.departments.svg), Kozea, licence LGPL-3.0-or-later"
SOURCE_URL = "https://github.com/Kozea/pygal_maps_fr"
# viridis in five steps: readable with every common colour-vision deficiency, and in grey.
PALETTE = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]
BELOW = "below"
MISSING = "missing"
NS = "{http://www.w3.org/2000/svg}"
# Saint-Pierre-et-Miquelon is in the file but is a collectivité, not one of the 101 départements.
NOT_DEPARTEMENTS = {"975"}


@dataclass
class Area:
    """One territory on the map (a département, or a région drawn as its départements)."""

    code: str
    name: str
    url: str
    value: float | None = None
    status: str = MISSING  # "ok", BELOW (« moins de 5 »), MISSING (« non disponible »)
    text: str = "non disponible"  # the figure as written in the title and the table
    klass: int | None = None  # quintile class 0–4


@dataclass
class Group:
    id: str
    transform: str
    shapes: list[tuple[str, str]]  # (département code, path data)


@cache
def shapes() -> tuple[str, list[Group]]:
    """The SVG's viewBox and its groups of département paths (read once per process)."""
    svg = files("pygal_maps_fr").joinpath("fr.departments.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    groups = []
    for g in root.findall(f"{NS}g"):
        items = []
        for child in g.findall(f"{NS}g"):
            code = child.get("class", "").split()[0].removeprefix("z")
            if code in NOT_DEPARTEMENTS:
                continue
            paths = " ".join(p.get("d", "") for p in child.iter(f"{NS}path"))
            items.append((code, paths))
        groups.append(Group(g.get("id", ""), g.get("transform", ""), items))
    return root.get("viewBox", "0 0 2000 1898"), groups


def department_codes() -> set[str]:
    return {code for group in shapes()[1] for code, _ in group.shapes}


def quintiles(values: list[float]) -> list[float]:
    """The four thresholds between five classes of (about) equal size."""
    if len(values) < 2:
        return []
    return [round(q, 2) for q in statistics.quantiles(values, n=5, method="inclusive")]


def classify(areas: list[Area]) -> list[float]:
    """Sets each shown area's class; returns the thresholds written in the legend."""
    values = [a.value for a in areas if a.status == "ok" and a.value is not None]
    thresholds = quintiles(values)
    for area in areas:
        if area.status == "ok" and area.value is not None:
            area.klass = sum(area.value > t for t in thresholds)
    return thresholds


def legend(thresholds: list[float], fmt: Callable[[float], str]) -> list[tuple[str, str]]:
    """(colour, « de a à b ») per class, with the real thresholds."""
    if not thresholds:  # fewer than two values: one class, no threshold to write
        return []
    bounds: list[float | None] = [None, *thresholds, None]
    rows = []
    for i in range(5):
        low, high = bounds[i], bounds[i + 1]
        label = ""
        if low is None and high is not None:
            label = f"jusqu’à {fmt(high)}"
        elif high is None and low is not None:
            label = f"plus de {fmt(low)}"
        elif low is not None and high is not None:
            label = f"plus de {fmt(low)} à {fmt(high)}"
        rows.append((PALETTE[i], label))
    return rows


def _fill(area: Area | None) -> str:
    if area is None or area.status == MISSING:
        return "url(#hachure-nd)"
    if area.status == BELOW:
        return "url(#hachure-moins)"
    return PALETTE[area.klass or 0]


def render_svg(by_department: dict[str, Area], title: str) -> SafeString:
    """The map: each département filled by the area it belongs to (itself, or its région)."""
    view_box, groups = shapes()
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{}" role="group" '
            'aria-labelledby="carte-titre" class="carte">',
            view_box,
        ),
        format_html('<title id="carte-titre">{}</title>', title),
        mark_safe(
            "<defs>"
            '<pattern id="hachure-moins" width="12" height="12" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="12" height="12" fill="#ffffff"/>'
            '<line x1="0" y1="0" x2="0" y2="12" stroke="#6b6b6b" stroke-width="5"/></pattern>'
            '<pattern id="hachure-nd" width="12" height="12" patternUnits="userSpaceOnUse">'
            '<rect width="12" height="12" fill="#ffffff"/>'
            '<circle cx="6" cy="6" r="2.2" fill="#8a8a8a"/></pattern>'
            "</defs>"
        ),
    ]
    for group in groups:
        parts.append(format_html('<g id="{}" transform="{}">', group.id, group.transform or ""))
        for code, path in group.shapes:
            area = by_department.get(code)
            if area is None:  # a shape without its territory in the database: no link
                parts.append(
                    format_html(
                        '<g data-code="{}"><title>{} : non disponible</title>'
                        '<path d="{}" fill="{}" stroke="#767676" stroke-width="1"/></g>',
                        code,
                        code,
                        path,
                        _fill(None),
                    )
                )
                continue
            parts.append(
                format_html(
                    '<a href="{}" data-code="{}"><title>{} : {}</title>'
                    '<path d="{}" fill="{}" stroke="#767676" stroke-width="1"/></a>',
                    area.url,
                    area.code,
                    area.name,
                    area.text,
                    path,
                    _fill(area),
                )
            )
        parts.append(mark_safe("</g>"))
    parts.append(mark_safe("</svg>"))
    return format_html_join("", "{}", ((p,) for p in parts))
