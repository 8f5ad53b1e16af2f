"""Background sending of campaign e-mails (Django tasks; `manage.py db_worker` in production)."""

from __future__ import annotations

from django.tasks import task


@task
def campaign_messages_task(campaign_id: int | None = None) -> int:
    """Plans the invitations and reminders due and sends them; ``campaign_send`` runs it inline."""
    from pratiques.campaigns.sending import campaign_messages_run

    return campaign_messages_run(campaign_id=campaign_id)
