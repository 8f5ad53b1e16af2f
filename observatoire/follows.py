"""Followed territories of elected officials: what changed since the last visit, and the e-mail
sent when a followed territory's report changes.

The follows themselves live in ``territoires`` (``Follow``); what a change is needs the data of
every app, so it is computed here, at the top of the dependency chain.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse

from observatoire.models import IndicatorValue
from observatoire.report.cache import report_key
from pratiques.aggregates import territory_released
from pratiques.models import GridVersion
from territoires import services as territoires_services
from territoires.models import Follow, MaturityAssessment, Territory

logger = logging.getLogger(__name__)


def territory_state(territory: Territory, version: GridVersion | None) -> dict[str, Any]:
    """What an official watches on a territory, as plain JSON values."""
    vintage = IndicatorValue.objects.filter(territory=territory).aggregate(y=Max("year"))["y"]
    maturity = (
        MaturityAssessment.objects.filter(territory=territory)
        .select_related("profile")
        .order_by("-assessed_at", "-id")
        .first()
    )
    released = version is not None and territory_released(territory)
    return {
        "vintage": vintage,
        "maturity": maturity.pk if maturity else None,
        "maturity_label": maturity.profile.label if maturity else "",
        "maturity_date": maturity.assessed_at.date().isoformat() if maturity else "",
        "practices": released,
    }


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """French sentences for what changed; nothing on the first visit (no ``before``)."""
    if not before:
        return []
    changes = []
    if after.get("vintage") and after.get("vintage") != before.get("vintage"):
        changes.append(f"Nouveau millésime d'indicateurs : {after['vintage']}")
    if after.get("maturity") and after.get("maturity") != before.get("maturity"):
        changes.append(f"Nouvelle évaluation de maturité : {after.get('maturity_label', '')}")
    if after.get("practices") and not before.get("practices"):
        changes.append("La partie « pratiques d'ingénierie » du rapport est désormais publiée")
    return changes


@dataclass
class FollowedTerritory:
    follow: Follow
    territory: Territory
    report_url: str
    state: dict[str, Any]
    changes: list[str] = field(default_factory=list)
    first_visit: bool = False


def followed_for_space(user: User) -> list[FollowedTerritory]:
    """The official's followed territories with what changed since they last marked them as seen
    (a read: the page is a GET; `followed_seen` records what it showed, on a POST)."""
    version = GridVersion.objects.current()
    rows = []
    for item in Follow.objects.filter(user=user).select_related("territory"):
        state = territory_state(item.territory, version)
        rows.append(
            FollowedTerritory(
                follow=item,
                territory=item.territory,
                report_url=reverse(
                    "observatoire:territory_report",
                    kwargs={"level": item.territory.level, "code": item.territory.code},
                ),
                state=state,
                changes=changes_between(item.seen_state, state),
                first_visit=item.seen_at is None,
            )
        )
    return rows


def followed_seen(user: User) -> int:
    """The official has seen the changes: the next visit compares with the states shown now."""
    states = {row.follow.pk: row.state for row in followed_for_space(user)}
    return territoires_services.follows_seen(user=user, states=states)


# --- report-changed e-mails -----------------------------------------------------------------------


def followers_notify() -> int:
    """One e-mail per follow whose territory's report changed since the last notification, never
    twice: the new key is stored (and committed) before the e-mail leaves, so a crash in between
    loses at most that e-mail and a re-run finds nothing to send. A new follow records its first key
    without an e-mail. Returns the number of e-mails sent."""
    sent = 0
    keys: dict[int, str] = {}
    ids = list(
        Follow.objects.filter(notify_by_email=True, user__is_active=True)
        .exclude(user__email="")
        .values_list("pk", flat=True)
    )
    for follow_id in ids:
        with transaction.atomic():
            item = (
                Follow.objects.select_for_update(skip_locked=True)
                .select_related("territory", "user")
                .filter(pk=follow_id)
                .first()
            )
            if item is None:
                continue
            territory = item.territory
            if territory.pk not in keys:
                keys[territory.pk] = report_key(territory)
            key = keys[territory.pk]
            if key == item.notified_key:
                continue
            first = not item.notified_key
            territoires_services.follow_notified(follow=item, key=key)
        if first:
            continue
        sent += _send_report_changed(item)
    return sent


def _send_report_changed(item: Follow) -> bool:
    territory = item.territory
    site = settings.SITE_URL.rstrip("/")
    context = {
        "user": item.user,
        "territory": territory,
        "report_url": site
        + reverse(
            "observatoire:territory_report",
            kwargs={"level": territory.level, "code": territory.code},
        ),
        "space_url": site + reverse("dashboard", args=["elu"]),
    }
    subject = render_to_string("comptes/emails/report_changed_subject.txt", context).strip()
    body = render_to_string("comptes/emails/report_changed.txt", context)
    try:
        send_mail(subject, body, None, [item.user.email])
    except Exception:  # the key is stored: this change is not re-sent; the next one will be
        logger.exception("Courriel de rapport modifié non envoyé (suivi %s)", item.pk)
        return False
    return True
