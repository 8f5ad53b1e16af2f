from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def thousands(value: int | str | None) -> str:
    """48193 → « 48 193 » (non-breaking space, the French thousands separator)."""
    if value is None or value == "":
        return "non renseignée"
    return f"{int(value):,}".replace(",", "\u00a0")


@register.filter
def fragilities_at(groups: list[Any], level: int) -> list[str]:
    """Labels of the domains whose latest reading is at this level (summary of a territory page)."""
    return [
        row["fragility"].label
        for group in groups
        for row in group["rows"]
        if row["reading"] is not None and row["reading"].level == level
    ]


@register.filter
def fragilities_known(groups: list[Any]) -> int:
    """How many of the domains have a reading at all."""
    return sum(1 for group in groups for row in group["rows"] if row["reading"] is not None)
