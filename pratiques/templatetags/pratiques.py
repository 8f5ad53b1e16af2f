from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict | None, key: Any) -> Any:
    return (mapping or {}).get(key)


@register.filter
def fr_plural(count: int, forms: str = "s") -> str:
    """French plural: 0 and 1 are singular. ``{{ n|fr_plural }}``, ``{{ n|fr_plural:"a,ont" }}``."""
    singular, _, plural = forms.rpartition(",") if "," in forms else ("", "", forms)
    return plural if abs(count or 0) >= 2 else singular
