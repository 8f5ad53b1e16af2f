"""Filters of the printed territory report (French number formatting)."""

from __future__ import annotations

from django import template

from observatoire.report.typography import french_number

register = template.Library()


@register.filter
def fr_number(value: float | int | None, decimals: int = 0) -> str:
    return french_number(value, int(decimals))


@register.filter
def fr_percent(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    return f"{french_number(value, int(decimals))}\u202f%"
