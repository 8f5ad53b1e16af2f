"""Filters of the printed territory report (French number formatting)."""

from __future__ import annotations

from django import template

from config.template_filters import fr_date
from config.typography import french_number

register = template.Library()


@register.filter
def fr_number(value: float | int | None, decimals: int = 0) -> str:
    return french_number(value, int(decimals))


@register.filter
def fr_percent(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    return f"{french_number(value, int(decimals))}\u202f%"


# The project's French date (config.template_filters), also under this library's name.
register.filter("fr_date", fr_date)


@register.filter
def field(value: object, name: str) -> object:
    """An attribute of a line by name (the report's table drops empty columns)."""
    return getattr(value, name, None)


@register.filter
def centile(value: float | None) -> str:
    """« 1er centile », « 58e centile »."""
    from observatoire.readings import centile as ordinal

    return "" if value is None else ordinal(value)


@register.filter
def band(segment: object) -> str:
    """« de 20 000 à 50 000 habitants »: what a size segment holds."""
    from observatoire.readings import population_band

    return population_band(segment)  # type: ignore[arg-type]
