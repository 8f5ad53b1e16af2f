from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def thousands(value: int | None) -> str:
    """48193 → « 48 193 » (non-breaking space, the French thousands separator)."""
    if value is None or value == "":
        return "non renseignée"
    return f"{int(value):,}".replace(",", "\u00a0")
