"""Invitations and reminders of a dialogue, sent at most once, as a campaign's
(``pratiques.campaigns.sending``): a batch of invitees is claimed with ``SELECT … FOR UPDATE
SKIP LOCKED`` and stamped (``invited_at``, or ``reminders_sent`` = the reminder's number) in the
transaction that claims it; the e-mails leave after that commit. A refusal of the mail server
un-stamps the batch so that the next run retries it; two workers never claim the same person."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from config import links
from config.links import Purpose
from observatoire.dialogues.models import Dialogue, DialogueInvitee, DialogueStatus

BATCH = 200


def personal_url(invitee: DialogueInvitee) -> str:
    token = links.make_data_token({"d": invitee.dialogue_id, "i": invitee.pk}, Purpose.DIALOGUE)
    return links.link_url_for(
        "observatoire:dialogue_link", dialogue=invitee.dialogue_id, token=token
    )


def stop_url(invitee: DialogueInvitee) -> str:
    token = links.make_lasting_data_token(
        {"d": invitee.dialogue_id, "i": invitee.pk}, Purpose.DIALOGUE_REMINDERS_STOP
    )
    return links.link_url_for(
        "observatoire:dialogue_stop", dialogue=invitee.dialogue_id, token=token
    )


def _mailer() -> Any:
    return mailers.default


def _email(invitee: DialogueInvitee, dialogue: Dialogue, reminder: int) -> EmailMessage:
    context = {
        "invitee": invitee,
        "dialogue": dialogue,
        "reminder": reminder,
        "url": personal_url(invitee),
        "stop_url": stop_url(invitee),
        "days": settings.INVITATION_LINK_MAX_AGE_DAYS,
    }
    subject = render_to_string("observatoire/dialogues/emails/subject.txt", context).strip()
    body = render_to_string("observatoire/dialogues/emails/message.txt", context)
    return EmailMessage(subject, body, None, [invitee.email])


def _awaiting(dialogue: Dialogue) -> Q:
    return Q(dialogue=dialogue, reminders_stopped_at__isnull=True, invited_at__isnull=False) & ~Q(
        response__submitted_at__isnull=False
    )


@transaction.atomic
def _claim(dialogue: Dialogue, reminder: int, batch: int) -> list[DialogueInvitee]:
    if reminder == 0:
        pending = DialogueInvitee.objects.filter(dialogue=dialogue, invited_at__isnull=True)
    else:
        pending = DialogueInvitee.objects.filter(_awaiting(dialogue), reminders_sent__lt=reminder)
    claimed = list(pending.select_for_update(skip_locked=True, of=("self",)).order_by("pk")[:batch])
    ids = [invitee.pk for invitee in claimed]
    now = timezone.now()
    if reminder == 0:
        DialogueInvitee.objects.filter(pk__in=ids).update(invited_at=now, send_error="")
    else:
        DialogueInvitee.objects.filter(pk__in=ids).update(
            reminders_sent=reminder, reminded_at=now, send_error=""
        )
    return claimed


def _send(dialogue: Dialogue, reminder: int, batch: int) -> int:
    sent = 0
    while True:
        claimed = _claim(dialogue, reminder, batch)
        if not claimed:
            return sent
        emails = [_email(invitee, dialogue, reminder) for invitee in claimed]
        try:
            with _mailer() as connection:
                connection.send_messages(emails)
        except Exception as exc:  # the mail server refused: release the batch for a later run
            ids = [invitee.pk for invitee in claimed]
            if reminder == 0:
                DialogueInvitee.objects.filter(pk__in=ids).update(
                    invited_at=None, send_error=str(exc)[:300]
                )
            else:
                DialogueInvitee.objects.filter(pk__in=ids).update(
                    reminders_sent=reminder - 1, send_error=str(exc)[:300]
                )
            raise
        sent += len(claimed)


def dialogue_messages_run(
    *, dialogue_id: int | None = None, today: date | None = None, batch: int = BATCH
) -> int:
    """Sends the invitations not yet sent and the reminders due (of one dialogue, or of every
    open one); returns how many e-mails left. What the task runs."""
    today = today or timezone.localdate()
    dialogues = Dialogue.objects.filter(status=DialogueStatus.OPEN, is_demo=False)
    if dialogue_id is not None:
        dialogues = dialogues.filter(pk=dialogue_id)
    sent = 0
    for dialogue in dialogues.order_by("pk"):
        if not dialogue.accepts_answers(today):
            continue
        sent += _send(dialogue, 0, batch)
        due = [n for n, day in enumerate(dialogue.reminder_dates(), start=1) if day <= today]
        if due:
            sent += _send(dialogue, max(due), batch)
    return sent
