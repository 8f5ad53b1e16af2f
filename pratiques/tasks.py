"""Background work of pratiques (Django tasks; `manage.py db_worker` in production)."""

from __future__ import annotations

from django.tasks import task


@task
def release_aggregates_task(trigger: str = "administration") -> int | None:
    """A release, or None when this month already has one (the page said so before asking)."""
    from config.refusals import Refused
    from pratiques.aggregates import release_aggregates

    try:
        return release_aggregates(trigger=trigger).pk
    except Refused:
        return None


@task
def plan_reminders_task() -> int:
    """The development plans' reminders due today (run daily: `manage.py plan_reminders`)."""
    from pratiques.plan.reminders import plan_reminders_send

    return plan_reminders_send()


@task
def directory_reminders_task() -> int:
    """Hides nothing itself (a profile older than 13 months is never listed): tells the owners."""
    from pratiques.directory.services import reconfirm_reminders_send

    return reconfirm_reminders_send()
