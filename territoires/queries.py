"""Reads on territories."""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from territoires.models import (
    Fragility,
    FragilityReading,
    Level,
    MaturityAssessment,
    Territory,
)
from territoires.text import PREFIX_MAX_LENGTH, normalize

SEARCH_MAX_LENGTH = 100
SHORT_QUERY_LENGTH = 2
SEARCHABLE_LEVELS = [Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT, Level.REGION, Level.PROJECT]


def search_territories(
    query: str, *, limit: int = 10, levels: list[Level] | None = None
) -> list[Territory]:
    """Territories matching a name, postal code or official code, exact and populous first.

    Accents, case, hyphens and « Saint »/« St » are ignored (see ``territoires.text.normalize``).
    Ranking: exact name or code (0), name or code starting with the query (1), a later word of
    the name or a postal code starting with it (2); then population, largest first.
    One indexed lookup: ``search_prefixes`` holds every prefix of every word-suffix (GIN).
    """
    text = normalize(query[:SEARCH_MAX_LENGTH])
    if not text:
        return []
    qs: QuerySet[Territory] = Territory.objects.filter(level__in=levels or SEARCHABLE_LEVELS)
    compact = text.replace(" ", "")
    if compact.isalnum() and any(ch.isdigit() for ch in compact):
        # A code: INSEE (« 94080 », « 2A004 »), SIREN, département (« 94 ») or postal code.
        code = compact.upper()
        qs = qs.filter(search_prefixes__contains=[compact[:PREFIX_MAX_LENGTH]])
        rank = Case(
            When(code=code, then=Value(0)),
            When(code__startswith=code, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    elif len(text) <= SHORT_QUERY_LENGTH:
        # One or two letters match a quarter of France through later words: the start of the
        # name is enough, and the B-tree prefix index is cheaper than the array for so many rows.
        qs = qs.filter(search_name__startswith=text)
        rank = Case(When(search_name=text, then=Value(0)), default=Value(1))
    else:
        qs = qs.filter(search_prefixes__contains=[text[:PREFIX_MAX_LENGTH]])
        if len(text) > PREFIX_MAX_LENGTH:
            qs = qs.filter(Q(search_name__startswith=text) | Q(search_name__contains=f" {text}"))
        rank = Case(
            When(search_name=text, then=Value(0)),
            When(search_name__startswith=text, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    return list(
        qs.select_related("departement")
        .defer("search_prefixes", "departement__search_prefixes")
        .annotate(rank=rank)
        .order_by("rank", F("population").desc(nulls_last=True), "name")[:limit]
    )


def territory_from_key(key: str) -> Territory | None:
    """« commune:94080 » → the territory, or None."""
    level, _, code = key.partition(":")
    if level not in Level.values or not code:
        return None
    return Territory.objects.filter(level=level, code=code).first()


PAGE_LEVELS = [
    Level.COUNTRY,
    Level.REGION,
    Level.DEPARTEMENT,
    Level.EPCI,
    Level.COMMUNE,
    Level.PROJECT,
]
MEMBERS_PER_PAGE = 25


def territory_for_page(level: str, code: str) -> Territory | None:
    """The territory at /territoires/<niveau>/<code>/, with its parents, or None."""
    if level not in PAGE_LEVELS:
        return None
    return (
        Territory.objects.select_related("region", "departement", "epci")
        .defer("search_prefixes")
        .filter(level=level, code=code[:20])
        .first()
    )


def member_communes(territory: Territory) -> QuerySet[Territory]:
    return territory.member_communes.only(
        "id", "level", "code", "name", "population", "postal_codes"
    ).order_by(F("population").desc(nulls_last=True), "name")


def project_members(project: Territory) -> list[Territory]:
    return list(
        Territory.objects.filter(project_memberships__project=project)
        .only("id", "level", "code", "name", "population")
        .order_by("level", "name")
    )


def projects_of(territory: Territory) -> list[Territory]:
    """Projects the territory belongs to, directly or through its EPCI."""
    condition = Q(memberships__member=territory)
    if territory.epci_id:
        condition |= Q(memberships__member_id=territory.epci_id)
    return list(
        Territory.objects.filter(condition, level=Level.PROJECT)
        .only("id", "level", "code", "name", "population")
        .distinct()
        .order_by("name")
    )


def maturity_history(territory: Territory, limit: int = 20) -> list[MaturityAssessment]:
    return list(
        MaturityAssessment.objects.filter(territory=territory).select_related(
            "profile", "assessed_by"
        )[:limit]
    )


def fragility_profile(territory: Territory) -> list[dict]:
    """The 16 domains grouped by criterion, each with its latest reading (or None)."""
    latest = {
        r.fragility_id: r
        for r in FragilityReading.objects.filter(territory=territory)
        .order_by("fragility_id", "-recorded_at", "-id")
        .distinct("fragility_id")
    }
    groups: dict[int | None, dict] = {}
    for fragility in Fragility.objects.select_related("criterion").order_by(
        "criterion__order", "order", "label"
    ):
        group = groups.setdefault(
            fragility.criterion_id, {"criterion": fragility.criterion, "rows": []}
        )
        group["rows"].append({"fragility": fragility, "reading": latest.get(fragility.pk)})
    return list(groups.values())


def fragility_history(territory: Territory, limit: int = 50) -> list[FragilityReading]:
    """Every reading of the territory, newest first (earlier ones are never overwritten)."""
    return list(
        FragilityReading.objects.filter(territory=territory).select_related(
            "fragility", "recorded_by"
        )[:limit]
    )
