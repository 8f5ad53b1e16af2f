"""The platform's recurring work, in one list: what used to need a crontab line per command.

Every job is idempotent (each e-mail is stamped before it leaves, each run finds only what is
due), so running one twice, after a restart say, sends nothing twice. ``manage.py scheduler`` runs
them: hourly jobs every hour, daily jobs once a day after ``DAILY_HOUR`` (Europe/Paris) and at
start. It sits in the top app because it calls every domain app's services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal


def _campaign_messages() -> int:
    from pratiques.campaigns.sending import campaign_messages_run

    return campaign_messages_run()


def _dialogue_messages() -> int:
    from observatoire.dialogues.sending import dialogue_messages_run

    return dialogue_messages_run()


def _plan_reminders() -> int:
    from pratiques.plan.reminders import plan_reminders_send

    return plan_reminders_send()


def _directory_reminders() -> int:
    from pratiques.directory.services import reconfirm_reminders_send

    return reconfirm_reminders_send()


def _followers() -> int:
    from observatoire.follows import followers_notify

    return followers_notify()


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    period: Literal["hourly", "daily"]
    run: Callable[[], int]


JOBS: tuple[Job, ...] = (
    Job("followers", "e-mails aux élu·e·s qui suivent un territoire modifié", "hourly", _followers),
    Job("campaigns", "invitations et relances des campagnes", "daily", _campaign_messages),
    Job(
        "dialogues",
        "invitations et relances des dialogues territoriaux",
        "daily",
        _dialogue_messages,
    ),
    Job("plans", "rappels d'échéance des plans de développement", "daily", _plan_reminders),
    Job("directory", "fiches de l'annuaire à reconfirmer", "daily", _directory_reminders),
)

DAILY_HOUR = 6


def due(job: Job, last: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether ``job`` runs at ``now`` (local time), having last run at ``last`` (None: never)."""
    if last is None:
        return True
    if job.period == "hourly":
        return now - last >= dt.timedelta(hours=1)
    today_at = now.replace(hour=DAILY_HOUR, minute=0, second=0, microsecond=0)
    return now >= today_at > last
