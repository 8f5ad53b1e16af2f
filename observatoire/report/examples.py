"""The report's « exemples inspirants » part: up to 3 published examples answering the
territory's fragilities (same size segment first), read from pratiques, the owner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from pratiques.examples.queries import report_examples
from pratiques.models import Example, ExampleStatus
from territoires.models import Territory

LIMIT = 3


@dataclass(frozen=True)
class ExampleLine:
    title: str
    summary: str
    year: int | None
    url: str
    demo: bool


def examples_for_report(territory: Territory) -> list[ExampleLine]:
    """Nothing when no published example matches (the part is then left out)."""
    site = settings.SITE_URL.rstrip("/")
    return [
        ExampleLine(e.title, e.summary, e.year, site + e.get_absolute_url(), e.is_demo)
        for e in report_examples(territory, limit=LIMIT)
    ]


def examples_stamp() -> list[Any]:
    """What the part depends on, for the report's cache key (one query)."""
    row = Example.objects.filter(status=ExampleStatus.PUBLISHED).aggregate(
        n=Count("pk"), m=Max("updated_at")
    )
    return [row["n"], row["m"]]
