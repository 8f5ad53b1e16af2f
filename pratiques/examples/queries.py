"""Reads of the examples: what a viewer may see, the filtered search with its counts, the
examples beside a practice, a territory's fragilities, a report."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from config.roles import Role, has_role
from pratiques.models import Example, ExampleStatus
from territoires.models import Fragility, FragilityReading, SizeSegment, Territory
from territoires.text import normalize

PER_PAGE = 20
# Filter name in the address → the example's column (arrays, except impact).
FACETS = {
    "fragilite": "fragilities",
    "pratique": "practices",
    "profil": "actor_profiles",
    "taille": "segment_codes",
    "region": "region_codes",
    "impact": "impact",
}
NONE = "aucun"  # the « non précisé » value of a facet


def published() -> QuerySet[Example]:
    return Example.objects.filter(status=ExampleStatus.PUBLISHED)


def example_for(viewer: User | AnonymousUser, pk: int) -> Example | None:
    """A published example for everyone; its author and admins also see the others."""
    condition = Q(status=ExampleStatus.PUBLISHED)
    if viewer.is_authenticated:
        if has_role(viewer, Role.NETWORK_ADMIN):
            condition = Q()
        else:
            condition |= Q(created_by=viewer)
    return (
        Example.objects.filter(condition, pk=pk)
        .prefetch_related("territories", "events__actor")
        .first()
    )


@dataclass
class ExampleSearch:
    text: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    page: Any = 1


@dataclass
class FacetValue:
    value: str
    count: int


@dataclass
class ExampleResults:
    page: Page
    total: int
    facets: dict[str, list[FacetValue]]


def _filtered(search: ExampleSearch) -> QuerySet[Example]:
    examples = published()
    words = normalize(search.text)
    if words:
        examples = examples.filter(
            search_vector=SearchQuery(words, config="french", search_type="websearch")
        )
    for name, column in FACETS.items():
        value = search.filters.get(name, "")
        if not value:
            continue
        if column == "impact":
            examples = examples.filter(impact="" if value == NONE else value)
        elif value == NONE:
            examples = examples.filter(**{column: []})
        else:
            if column == "practices":
                try:
                    value = uuid.UUID(value)  # type: ignore[assignment]
                except ValueError:
                    return examples.none()
            examples = examples.filter(**{f"{column}__contains": [value]})
    return examples


def facet_counts(examples: QuerySet[Example]) -> dict[str, list[FacetValue]]:
    """How many of ``examples`` carry each value of each filter (« aucun » for none), most
    frequent first: one query, one scan of the rows found."""
    counts: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
    try:
        sql, params = examples.values("pk").query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (a malformed key)
        return counts
    parts = []
    for name, column in FACETS.items():
        if column == "impact":
            parts.append(f"SELECT '{name}', NULLIF(e.impact, ''), count(*) FROM e GROUP BY 2")
        else:
            parts.append(
                f"SELECT '{name}', v::text, count(*) FROM e "
                f"LEFT JOIN LATERAL unnest(e.{column}) AS v ON true GROUP BY 2"
            )
    columns = ", ".join(FACETS.values())
    query = (
        f"WITH e AS MATERIALIZED (SELECT {columns} FROM pratiques_example "
        f"WHERE id IN ({sql})) " + " UNION ALL ".join(parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    for name, value, count in sorted(rows, key=lambda r: (-r[2], r[1] or "")):
        counts[name].append(FacetValue(NONE if value is None else str(value), count))
    return counts


GENERATION_KEY = "examples:generation"
FACETS_TIMEOUT = 3600


def generation() -> int:
    """A number every write on examples changes (``services.examples_changed``): cached counts
    of an older generation are never read again."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = time.time_ns()
        cache.add(GENERATION_KEY, value, timeout=None)
    return int(value)


def cached_facet_counts(
    examples: QuerySet[Example], search: ExampleSearch
) -> dict[str, list[FacetValue]]:
    """The counts of a search, computed once per generation of the examples (the facets scan
    every row found; the page itself reads 20)."""
    signature = json.dumps([normalize(search.text), sorted(search.filters.items())])
    digest = hashlib.sha256(signature.encode()).hexdigest()[:32]
    key = f"examples:facets:{generation()}:{digest}"
    counts = cache.get(key)
    if counts is None:
        counts = facet_counts(examples)
        cache.set(key, counts, timeout=FACETS_TIMEOUT)
    return counts


def search_examples(search: ExampleSearch) -> ExampleResults:
    """The published examples matching, newest (or best matching) first, with the counts of each
    filter's values among them (cached per generation of the examples); a constant number of
    queries whatever the page."""
    examples = _filtered(search)
    facets = cached_facet_counts(examples, search)
    words = normalize(search.text)
    ordered: QuerySet[Example, Any]
    if words:
        ordered = examples.annotate(
            rank=SearchRank(
                F("search_vector"), SearchQuery(words, config="french", search_type="websearch")
            )
        ).order_by("-rank", "-published_at", "-pk")
    else:
        ordered = examples.order_by("-published_at", "-pk")
    paginator = Paginator(ordered.defer("body", "search_text", "search_vector"), PER_PAGE)
    page = paginator.get_page(search.page)
    return ExampleResults(page=page, total=paginator.count, facets=facets)


def examples_by_practice(
    keys: Iterable[uuid.UUID], *, per_practice: int = 3
) -> dict[uuid.UUID, list[Example]]:
    """Published examples illustrating each practice; one query."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return {}
    result: dict[uuid.UUID, list[Example]] = {key: [] for key in wanted}
    for example in (
        published()
        .filter(practices__overlap=wanted)
        .only("id", "title", "practices", "is_demo")
        .order_by("-published_at", "-pk")[: 10 * len(wanted)]
    ):
        for key in example.practices:
            if key in result and len(result[key]) < per_practice:
                result[key].append(example)
    return result


@dataclass
class FragilityExamples:
    fragility: Fragility
    level: int
    examples: list[Example]


def territory_examples(territory: Territory, *, per_fragility: int = 3) -> list[FragilityExamples]:
    """For each fragility read on the territory (strongest first), published examples that
    answer it, those of territories of the same size segment first. 3 queries."""
    readings = list(
        FragilityReading.objects.filter(territory=territory, level__gte=1)
        .order_by("fragility_id", "-recorded_at", "-id")
        .distinct("fragility_id")
        .select_related("fragility")
    )
    readings.sort(key=lambda r: (-r.level, r.fragility.order, r.fragility.label))
    codes = [r.fragility.code for r in readings]
    if not codes:
        return []
    segment = territory.size_segment(list(SizeSegment.objects.all()))
    same_size = (
        Case(
            When(segment_codes__contains=[segment.code], then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        if segment is not None
        else Value(1)
    )
    found: dict[str, list[Example]] = {code: [] for code in codes}
    for example in (
        published()
        .filter(fragilities__overlap=codes)
        .annotate(same_size=same_size)
        .only("id", "title", "summary", "fragilities", "segment_codes", "year", "is_demo")
        .order_by("same_size", "-published_at", "-pk")[: 10 * len(codes)]
    ):
        for code in example.fragilities:
            if code in found and len(found[code]) < per_fragility:
                found[code].append(example)
    return [
        FragilityExamples(r.fragility, r.level, found[r.fragility.code])
        for r in readings
        if found[r.fragility.code]
    ]


def report_examples(territory: Territory, *, limit: int = 3) -> list[Example]:
    """Up to ``limit`` examples for the territory's report (none when nothing matches)."""
    chosen: list[Example] = []
    for group in territory_examples(territory):
        for example in group.examples:
            if example not in chosen:
                chosen.append(example)
    return chosen[:limit]
