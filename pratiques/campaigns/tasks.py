"""Background sending of campaign e-mails (Django tasks; `manage.py db_worker` in production)."""

from __future__ import annotations

from datetime import datetime, time

from django.tasks import task, task_backends
from django.utils import timezone

from config.tasks import enqueue_on_commit

REMINDER_HOUR = time(9, 0)


@task
def campaign_messages_task(campaign_id: int | None = None) -> int:
    """Plans the invitations and reminders due and sends them, then schedules itself for the next
    reminder date of the campaign (when the backend can defer); ``campaign_send`` runs the same
    work inline, for a daily cron."""
    from pratiques.campaigns.sending import campaign_messages_run
    from pratiques.models import Campaign

    sent = campaign_messages_run(campaign_id=campaign_id)
    campaign = (
        Campaign.objects.filter(pk=campaign_id, closed_at__isnull=True).first()
        if campaign_id is not None  # every campaign was run: nothing to schedule
        else None
    )
    if campaign is not None and task_backends["default"].supports_defer:
        today = timezone.localdate()
        upcoming = [day for day in campaign.reminder_dates() if today < day <= campaign.closes_on]
        if upcoming:
            when = timezone.make_aware(datetime.combine(upcoming[0], REMINDER_HOUR))
            enqueue_on_commit(campaign_messages_task.using(run_after=when), campaign_id)
    return sent
