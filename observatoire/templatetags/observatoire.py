from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def indicator_value(value: float | None) -> str:
    """A value as read in French: « 7,5 », « 48 193 »; missing → « n.d. » (never 0)."""
    if value is None:
        return "n.d."
    text = f"{abs(round(float(value), 2)):,.2f}"
    whole, decimals = text.split(".")
    decimals = decimals.rstrip("0")
    whole = whole.replace(",", "\u202f")  # narrow no-break space between thousands
    return ("-" if value < 0 else "") + whole + ("," + decimals if decimals else "")


@register.filter
def problem_kind(kind: str) -> str:
    from observatoire.imports.problems import KINDS

    return KINDS.get(kind, kind)


@register.filter
def curated_any(rows: list) -> bool:
    """Whether the network retained a level for at least one of these dialogue rows: otherwise
    the « niveau retenu » column is dropped and said once, never a column of dashes."""
    return any(row.curated != "—" for row in rows)
