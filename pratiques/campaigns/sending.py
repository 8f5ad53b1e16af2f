"""Invitations and reminders: planned as one row per person, kind and number, then sent once.

A batch of unsent rows is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` and stamped
``sent_at`` in the transaction that claims it; the e-mails leave after that commit. A crash
between the two loses that batch's e-mails rather than sending them twice; a refusal of the mail
server un-stamps the batch so the next run retries it. Two workers never claim the same row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, mailers
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from config import links, people
from config.links import Purpose
from pratiques.models import (
    AssessmentStatus,
    Campaign,
    CampaignMessage,
    Invitee,
    MessageKind,
)

BATCH = 200


def _awaiting_answer() -> Q:
    """Invitees who have not submitted and still accept reminders."""
    return Q(reminders_stopped_at__isnull=True) & ~Q(assessment__status=AssessmentStatus.SUBMITTED)


def messages_plan(*, campaign: Campaign, today: date | None = None) -> int:
    """Rows for the invitations and the reminders due today; returns how many were added."""
    today = today or timezone.localdate()
    if not campaign.accepts_answers(today):
        return 0
    invitees = Invitee.objects.filter(campaign=campaign)
    rows = [
        CampaignMessage(invitee_id=pk, kind=MessageKind.INVITATION)
        for pk in invitees.filter(~Q(messages__kind=MessageKind.INVITATION)).values_list(
            "pk", flat=True
        )
    ]
    for number, due in enumerate(campaign.reminder_dates(), start=1):
        if due > today:
            break
        targets = (
            invitees.filter(_awaiting_answer(), messages__kind=MessageKind.INVITATION)
            .exclude(messages__kind=MessageKind.REMINDER, messages__number=number)
            .values_list("pk", flat=True)
            .distinct()
        )
        rows += [
            CampaignMessage(invitee_id=pk, kind=MessageKind.REMINDER, number=number)
            for pk in targets
        ]
    created = CampaignMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(created)


def messages_send(*, campaign_id: int | None = None, batch: int = BATCH) -> int:
    """Sends every planned, unsent message (of one campaign or all); returns how many left."""
    sent = 0
    while True:
        claimed = _claim(campaign_id=campaign_id, batch=batch)
        if not claimed:
            return sent
        emails = [_email(message) for message in claimed]
        try:
            with _mailer() as connection:
                connection.send_messages(emails)
        except Exception as exc:  # the mail server refused: release the batch for a later run
            CampaignMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
                sent_at=None, error=str(exc)[:300]
            )
            raise
        sent += len(claimed)


def _mailer() -> Any:
    return mailers.default


@transaction.atomic
def _claim(*, campaign_id: int | None, batch: int) -> list[CampaignMessage]:
    pending = CampaignMessage.objects.filter(
        sent_at__isnull=True, invitee__campaign__closed_at__isnull=True
    )
    if campaign_id is not None:
        pending = pending.filter(invitee__campaign_id=campaign_id)
    claimed = list(
        pending.select_for_update(skip_locked=True, of=("self",))
        .select_related("invitee__campaign", "invitee__user", "invitee__assessment")
        .order_by("pk")[:batch]
    )
    # A reminder is dropped if the person answered or stopped reminders since it was planned.
    dropped = [
        m
        for m in claimed
        if m.kind == MessageKind.REMINDER
        and (
            m.invitee.reminders_stopped_at is not None
            or (
                m.invitee.assessment is not None
                and m.invitee.assessment.status == AssessmentStatus.SUBMITTED
            )
        )
    ]
    if dropped:
        CampaignMessage.objects.filter(pk__in=[m.pk for m in dropped]).delete()
        claimed = [m for m in claimed if m not in dropped]
    invitees_users_ensure([m.invitee for m in claimed])
    now = timezone.now()
    CampaignMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
        sent_at=now, attempts=F("attempts") + 1, error=""
    )
    return claimed


def invitees_users_ensure(invitees: list[Invitee]) -> None:
    """Links each invitee to the account of its e-mail, creating a pending catalyst account
    (inactive, no usable password) for a newcomer: the link activates it on first use."""
    missing = [invitee for invitee in invitees if invitee.user_id is None]
    if not missing:
        return
    emails = {invitee.email for invitee in missing}
    existing: dict[str, User] = {}
    for found in (
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .order_by("pk")
    ):
        existing.setdefault(found.email.lower(), found)
    to_create = sorted(e for e in emails if e not in existing)
    taken = set(
        User.objects.filter(username__in=[e[:150] for e in to_create]).values_list(
            "username", flat=True
        )
    )
    new_users = []
    for email in to_create:
        username = email[:150]
        if username in taken:
            username = f"{email[:140]}-{len(taken)}"
        taken.add(username)
        user = User(username=username, email=email, is_active=False)
        user.set_unusable_password()
        new_users.append(user)
    for created in people.people_create(people=new_users):
        existing[created.email] = created
    for invitee in missing:
        invitee.user = existing[invitee.email]
    with connection.cursor() as cursor:  # one statement (bulk_update's CASE is slow here)
        cursor.execute(
            f"UPDATE {Invitee._meta.db_table} AS i SET user_id = v.user_id "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, user_id) WHERE i.id = v.id",
            [[i.pk for i in missing], [i.user_id for i in missing]],
        )


def _email(message: CampaignMessage) -> EmailMessage:
    invitee = message.invitee
    campaign = invitee.campaign
    user = invitee.user
    if user is None:  # invitees_users_ensure links every invitee before a message is built
        raise ValueError(f"Invité {invitee.pk} sans compte.")
    token = links.make_link_token(user, Purpose.CAMPAIGN)
    stop = links.make_link_token(user, Purpose.CAMPAIGN_REMINDERS_STOP)
    base = settings.SITE_URL.rstrip("/")
    context = {
        "invitee": invitee,
        "campaign": campaign,
        "message": message,
        "text": campaign.invitation_text
        if message.kind == MessageKind.INVITATION
        else campaign.reminder_text,
        "url": base
        + reverse("pratiques:campaign_join", kwargs={"invitee": invitee.pk, "token": token}),
        "stop_url": base
        + reverse("pratiques:campaign_stop", kwargs={"invitee": invitee.pk, "token": stop}),
        "days": settings.INVITATION_LINK_MAX_AGE_DAYS,
    }
    subject = render_to_string("pratiques/campaigns/emails/subject.txt", context).strip()
    body = render_to_string("pratiques/campaigns/emails/message.txt", context)
    return EmailMessage(subject, body, None, [invitee.email])


def campaign_messages_run(*, campaign_id: int | None = None, today: date | None = None) -> int:
    """Plans what is due (one campaign or every open one) and sends it: what the task and the
    ``campaign_send`` command run."""
    campaigns = Campaign.objects.filter(closed_at__isnull=True)
    if campaign_id is not None:
        campaigns = campaigns.filter(pk=campaign_id)
    for campaign in campaigns:
        messages_plan(campaign=campaign, today=today)
    return messages_send(campaign_id=campaign_id)
