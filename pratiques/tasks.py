"""Background work of pratiques (Django tasks; `manage.py db_worker` in production)."""

from __future__ import annotations

from django.tasks import task


@task()
def release_aggregates_task(trigger: str = "administration") -> int | None:
    """A release, or None when this month already has one (the page said so before asking)."""
    from config.refusals import Refused
    from pratiques.aggregates import release_aggregates

    try:
        return release_aggregates(trigger=trigger).pk
    except Refused:
        return None
