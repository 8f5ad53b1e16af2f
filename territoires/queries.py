"""Reads on territories."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from territoires.models import Level, Territory
from territoires.text import normalize

SEARCH_MAX_LENGTH = 100
SEARCHABLE_LEVELS = [Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT, Level.REGION, Level.PROJECT]


def search_territories(
    query: str, *, limit: int = 10, levels: list[Level] | None = None
) -> list[Territory]:
    """Territories matching a name, postal code or official code, exact and populous first.

    Accents, case, hyphens and « Saint »/« St » are ignored (see ``territoires.text.normalize``).
    """
    text = normalize(query[:SEARCH_MAX_LENGTH])
    if not text:
        return []
    qs: QuerySet[Territory] = Territory.objects.filter(level__in=levels or SEARCHABLE_LEVELS)
    compact = text.replace(" ", "").upper()
    if compact.isalnum() and any(ch.isdigit() for ch in compact):
        # A code: INSEE (« 94080 », « 2A004 »), SIREN, département (« 94 ») or postal code.
        qs = qs.filter(Q(code=compact) | Q(postal_codes__contains=compact))
        rank = Case(
            When(code=compact, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    else:
        qs = qs.filter(Q(search_name__startswith=text) | Q(search_name__contains=f" {text}"))
        rank = Case(
            When(search_name=text, then=Value(0)),
            When(search_name__startswith=text, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    return list(
        qs.select_related("departement")
        .annotate(rank=rank)
        .order_by("rank", Coalesce("population", Value(0)).desc(), "name")[:limit]
    )


def territory_from_key(key: str) -> Territory | None:
    """« commune:94080 » → the territory, or None."""
    level, _, code = key.partition(":")
    if level not in Level.values or not code:
        return None
    return Territory.objects.filter(level=level, code=code).first()
