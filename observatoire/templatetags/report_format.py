"""Filters of the printed territory report (French number formatting)."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.formats import date_format

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


@register.filter
def fr_date(value: date | None) -> str:
    """« 1er mars 2025 », « 21 novembre 2026 »."""
    if value is None:
        return ""
    text = date_format(value, "j F Y")
    return "1er" + text[1:] if value.day == 1 else text
