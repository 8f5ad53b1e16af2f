"""Background sending of a dialogue's e-mails (Django tasks; `manage.py db_worker`)."""

from __future__ import annotations

from datetime import datetime, time

from django.tasks import task, task_backends
from django.utils import timezone

from config.tasks import enqueue_on_commit

REMINDER_HOUR = time(9, 0)


@task
def dialogue_messages_task(dialogue_id: int | None = None) -> int:
    """Sends the invitations and the reminders due, then schedules itself for the dialogue's next
    reminder date (when the backend can defer)."""
    from observatoire.dialogues.models import Dialogue, DialogueStatus
    from observatoire.dialogues.sending import dialogue_messages_run

    sent = dialogue_messages_run(dialogue_id=dialogue_id)
    dialogue = (
        Dialogue.objects.filter(pk=dialogue_id, status=DialogueStatus.OPEN).first()
        if dialogue_id is not None
        else None
    )
    if dialogue is not None and task_backends["default"].supports_defer:
        today = timezone.localdate()
        upcoming = [day for day in dialogue.reminder_dates() if today < day <= dialogue.closes_on]
        if upcoming:
            when = timezone.make_aware(datetime.combine(upcoming[0], REMINDER_HOUR))
            enqueue_on_commit(dialogue_messages_task.using(run_after=when), dialogue_id)
    return sent
