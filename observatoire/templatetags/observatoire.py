from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def indicator_value(value: float | None) -> str:
    """A value as read in French: « 7,5 », « 48 193 »; missing → « n.d. » (never 0)."""
    if value is None:
        return "n.d."
    if float(value).is_integer() and abs(value) >= 1000:
        return intcomma(int(value))
    return floatformat(value, -2)


@register.filter
def problem_kind(kind: str) -> str:
    from observatoire.imports.problems import KINDS

    return KINDS.get(kind, kind)
