"""Template filters every template has (``TEMPLATES['OPTIONS']['builtins']``): French dates.

« 1er décembre 2026 » and « 6 décembre 2026 à 14 h 05 » whatever the locale data, never an ISO
date nor an abbreviated month (the glossary's rules; ``config.typography`` does the work).
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from config.typography import french_date, french_week

register = template.Library()


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def fr_date(value: date | datetime | str | None) -> str:
    """« 1er décembre 2026 » (a stored ISO date too, e.g. a follow's saved state)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            return french_date(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return french_date(_local(value))


@register.filter
def fr_datetime(value: datetime | None) -> str:
    """« 1er décembre 2026 à 14 h 05 »."""
    if value is None or value == "":
        return ""
    local = _local(value)
    return f"{french_date(local)} à {local:%H} h {local:%M}"


@register.filter
def fr_week(value: date | datetime | None) -> str:
    """« semaine du 2 novembre 2026 » (``value``: the week's Monday)."""
    return "" if value is None or value == "" else french_week(_local(value))


@register.filter
def year(value: int | str | None) -> str:
    """« 2022 », never « 2 022 » (the thousands separator is for quantities, not years)."""
    return "" if value is None else str(value)
