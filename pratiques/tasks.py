"""Background work of pratiques (Django tasks; `manage.py db_worker` in production)."""

from __future__ import annotations

from django.tasks import task


@task
def release_aggregates_task(trigger: str = "administration") -> int:
    from pratiques.aggregates import release_aggregates

    return release_aggregates(trigger=trigger).pk
