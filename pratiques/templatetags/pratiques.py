from __future__ import annotations

from typing import Any

from django import template

from config.shares import carried, largest_remainder, share_text

register = template.Library()


@register.filter
def get_item(mapping: dict | None, key: Any) -> Any:
    return (mapping or {}).get(key)


@register.filter
def fr_plural(count: int, forms: str = "s") -> str:
    """French plural: 0 and 1 are singular. ``{{ n|fr_plural }}``, ``{{ n|fr_plural:"a,ont" }}``."""
    singular, _, plural = forms.rpartition(",") if "," in forms else ("", "", forms)
    return plural if abs(count or 0) >= 2 else singular


@register.filter
def carried_shares(figure: Any) -> list[str]:
    """In house, in partnership, both (100 % together, config.shares) and « à développer », as
    the page, the CSV and the PDF print them (« environ » at 0 and 100 %)."""
    shares = carried(figure.in_house, figure.partnership, figure.both)
    return [share_text(value) for value in (*shares, figure.develop)]


@register.filter
def barycentre_shares(barycentre: Any) -> list[int | None]:
    """Gestion, Action, Vision of the released barycentre, 100 together (steps of 5)."""
    return largest_remainder(list(barycentre), step=5) if barycentre else []


@register.filter
def share(value: float | None) -> str:
    """A released share: « 40 % », « environ 0 % »."""
    return share_text(value)


@register.filter
def to_100(values: Any) -> list[int | None]:
    """Shares of one whole (Gestion, Action, Vision of a group), 100 together, to the percent."""
    return largest_remainder(list(values), step=1) if values else []
