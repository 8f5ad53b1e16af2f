"""Builders for campaign tests: a campaign on the current grid, a population file, invitees."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core import mail
from django.utils import timezone

from pratiques.campaigns.population import population_import
from pratiques.campaigns.sending import campaign_messages_run
from pratiques.models import Campaign, GridVersion

PROFILES = ["collectivites-territoriales", "ingenieries", "associations"]
COMMUNES = ["94080", "94067", "42218", "42095"]


def make_campaign(title: str = "Étude 2026", **extra: Any) -> Campaign:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "title": title,
        "version": GridVersion.objects.current(),
        "opens_on": today - timedelta(days=1),
        "closes_on": today + timedelta(days=30),
        "invitation_text": "Bonjour, répondez à l'étude du réseau.",
        "reminder_text": "Bonjour, il est encore temps de répondre.",
        "reminder_days": "7,14",
    }
    values.update(extra)
    return Campaign.objects.create(**values)


def population_csv(count: int, *, start: int = 0, extra_lines: list[str] | None = None) -> bytes:
    lines = ["email;prenom;nom;organisation;profil;territoire;ingenieries"]
    for i in range(start, start + count):
        lines.append(
            f"personne{i:04d}@exemple.fr;Prénom{i};Nom{i};Organisation {i % 3};"
            f"{PROFILES[i % len(PROFILES)]};{COMMUNES[i % len(COMMUNES)]};catalyse-territoriale"
        )
    lines += extra_lines or []
    return ("\n".join(lines) + "\n").encode("utf-8")


def with_population(campaign: Campaign, count: int) -> Campaign:
    population_import(campaign=campaign, data=population_csv(count), file_name="population.csv")
    return campaign


def invited(campaign: Campaign, count: int) -> Campaign:
    """A campaign whose ``count`` people received their invitation (locmem outbox)."""
    with_population(campaign, count)
    campaign_messages_run(campaign_id=campaign.pk)
    return campaign


LINK = re.compile(r"https?://[^\s]+/pratiques/campagnes/rejoindre/\d+/[^\s]+/")
STOP = re.compile(r"https?://[^\s]+/pratiques/campagnes/relances/\d+/[^\s]+/")


def link_for(email: str, pattern: re.Pattern[str] = LINK) -> str:
    """The path of the latest link e-mailed to ``email``."""
    for message in reversed(mail.outbox):
        if email in message.to:
            url = pattern.search(message.body).group(0)
            return "/" + url.split("/", 3)[3]
    raise AssertionError(f"aucun message pour {email}")


def respond(invitee: Any, frequency: int = 2, involvement: int = 2, **submit: Any) -> Any:
    """The invitee opens their draft, answers every practice and submits."""
    from pratiques import services
    from pratiques.campaigns.sending import invitees_users_ensure
    from pratiques.campaigns.services import campaign_assessment_open
    from tests.pratiques.helpers import answer_all

    invitees_users_ensure([invitee])
    invitee.user.is_active = True
    invitee.user.save(update_fields=["is_active"])
    # As confirming through the personal link does: the imported population is vouched for.
    services.vouch_record(user=invitee.user, source="campagne")
    assessment = campaign_assessment_open(invitee=invitee)
    answer_all(assessment, frequency, involvement, carrying=1)
    return services.assessment_submit(
        assessment_id=assessment.pk,
        user=invitee.user,
        consent_statistics=submit.get("consent", True),
        share_with_organisation=False,
    )
