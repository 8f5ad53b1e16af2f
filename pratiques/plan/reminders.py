"""Opt-in reminders of a plan's due dates: one e-mail a week before, one the day after it is
missed; each leaves once.

The items due are claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` and stamped (``reminder_*_sent_at``)
in the transaction that claims them; the e-mails leave after that commit (as the campaign
messages do). A crash between the two loses a reminder rather than sending it twice; a refusal of
the mail server un-stamps the batch so that the next run retries it. Only the person's current
plan (their latest submitted assessment's) reminds, and only while they asked for it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from config import links
from config.links import Purpose
from pratiques.models import OPEN_STATUSES, DevelopmentPlan, PlanItem
from pratiques.plan.services import day

SOON_DAYS = 7
BATCH = 200
STAMPS = {"soon": "reminder_soon_sent_at", "overdue": "reminder_overdue_sent_at"}


def _due(kind: str, today: dt.date) -> QuerySet[PlanItem]:
    newer = DevelopmentPlan.objects.filter(
        user_id=OuterRef("plan__user_id"),
        assessment__submitted_at__gt=OuterRef("plan__assessment__submitted_at"),
    )
    items = PlanItem.objects.filter(
        ~Exists(newer),
        plan__reminders=True,
        plan__user__is_active=True,
        status__in=OPEN_STATUSES,
        due_on__isnull=False,
        **{f"{STAMPS[kind]}__isnull": True},
    ).exclude(plan__user__email="")
    if kind == "soon":
        return items.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=SOON_DAYS))
    return items.filter(due_on__lt=today)


def _email(item: PlanItem, kind: str) -> EmailMessage:
    user = item.plan.user
    base = settings.SITE_URL.rstrip("/")
    token = links.make_lasting_token(user, Purpose.PLAN_REMINDERS_STOP)
    context = {
        "user": user,
        "item": item,
        "kind": kind,
        "plan_url": base + item.plan.get_absolute_url() + f"#element-{item.pk}",
        "stop_url": base + reverse("pratiques:plan_reminders_stop", kwargs={"token": token}),
    }
    due = day(item.due_on) if item.due_on else ""
    subject = (
        f"Échéance le {due} : {item.practice_code} {item.practice_label}"
        if kind == "soon"
        else f"Échéance passée ({due}) : {item.practice_code} {item.practice_label}"
    )
    body = render_to_string("pratiques/plan_emails/reminder.txt", context)
    return EmailMessage(subject[:200], body, None, [user.email])


def _claim(kind: str, today: dt.date) -> list[PlanItem]:
    with transaction.atomic():
        ids = list(
            _due(kind, today)
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:BATCH]
        )
        PlanItem.objects.filter(pk__in=ids).update(**{STAMPS[kind]: timezone.now()})
    return list(PlanItem.objects.filter(pk__in=ids).select_related("plan__user"))


def plan_reminders_send(*, today: dt.date | None = None) -> int:
    """Sends every reminder due (what the task and the ``plan_reminders`` command run)."""
    today = today or timezone.localdate()
    sent = 0
    for kind in ("soon", "overdue"):
        while True:
            items = _claim(kind, today)
            if not items:
                break
            try:
                with mailers.default as connection:
                    connection.send_messages([_email(item, kind) for item in items])
            except Exception:
                PlanItem.objects.filter(pk__in=[i.pk for i in items]).update(**{STAMPS[kind]: None})
                raise
            sent += len(items)
    return sent
