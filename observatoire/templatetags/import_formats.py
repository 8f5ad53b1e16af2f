"""The accepted values of the indicator imports, on the import page (inclusion tags)."""

from __future__ import annotations

from typing import Any

from django import template

from observatoire.import_formats import catalogue_format, values_format

register = template.Library()


@register.inclusion_tag("observatoire/_import_formats.html")
def import_formats(kind: str) -> dict[str, Any]:
    if kind == "catalogue":
        return {"kind": kind, "catalogue": catalogue_format()}
    return {"kind": kind, "values": values_format()}
