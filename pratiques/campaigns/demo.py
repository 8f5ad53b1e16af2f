"""Demo campaigns (« données de démonstration »): one closed on the 2024 grid, one open.

Built from the demo assessments (``pratiques.demo``), with fixed dates; every demo e-mail is
recorded as already sent, so that no message ever leaves for the demo addresses.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TextIO

from django.db import transaction

from pratiques.campaigns.services import campaign_close
from pratiques.demo import DEMO_PREFIX
from pratiques.models import (
    Assessment,
    Campaign,
    CampaignMessage,
    CampaignSnapshot,
    GridVersion,
    Invitee,
    MessageKind,
    Vouch,
    VouchSource,
)

CLOSED = ("Étude du réseau 2025 (démonstration)", date(2025, 4, 1), date(2025, 6, 30), 200)
OPEN = ("Étude du réseau 2026 (démonstration)", date(2026, 11, 2), date(2027, 1, 29), 90)
TEXT = "Données de démonstration : aucun message n'est réellement envoyé."


@transaction.atomic
def load_demo_campaigns(*, stdout: TextIO) -> None:
    if Campaign.objects.filter(is_demo=True).exists():
        stdout.write("  campagnes de démonstration déjà présentes : inchangées")
        return
    version = GridVersion.objects.filter(label="2024").first()
    assessments = list(
        Assessment.objects.filter(
            is_demo=True, status="submitted", user__username__startswith=DEMO_PREFIX
        )
        .select_related("user", "territory")
        .prefetch_related("engineerings")
        .order_by("user__username", "pk")
    )
    if version is None or len(assessments) < CLOSED[3] + OPEN[3]:
        stdout.write("  pas assez d'auto-évaluations de démonstration : pas de campagnes")
        return
    # The demo population is the network's own: vouched for, as a confirmed imported population.
    Vouch.objects.bulk_create(
        [Vouch(user=a.user, source=VouchSource.DEMO) for a in assessments],
        ignore_conflicts=True,
    )
    closed = _campaign(CLOSED, version, assessments[: CLOSED[3]], assessments[: CLOSED[3]])
    snapshot = campaign_close(campaign_id=closed.pk)
    closed_at = datetime(2025, 7, 1, 9, tzinfo=UTC)
    Campaign.objects.filter(pk=closed.pk).update(closed_at=closed_at)
    CampaignSnapshot.objects.filter(pk=snapshot.pk).update(taken_at=closed_at)
    population = assessments[: CLOSED[3] + OPEN[3] + 40]
    respondents = assessments[CLOSED[3] : CLOSED[3] + OPEN[3]]
    _campaign(OPEN, version, population, respondents)
    stdout.write(
        f"  2 campagnes de démonstration : « {CLOSED[0]} » close ({CLOSED[3]} réponses), "
        f"« {OPEN[0]} » ouverte ({OPEN[3]} réponses sur {len(population)} personnes)"
    )


def _campaign(
    spec: tuple[str, date, date, int],
    version: GridVersion,
    population: list[Assessment],
    respondents: list[Assessment],
) -> Campaign:
    title, opens_on, closes_on, _ = spec
    campaign = Campaign.objects.create(
        title=title,
        version=version,
        opens_on=opens_on,
        closes_on=closes_on,
        invitation_text=TEXT,
        reminder_text=TEXT,
        reminder_days="7,14",
        is_demo=True,
    )
    answered = {a.pk for a in respondents}
    invitees = Invitee.objects.bulk_create(
        [
            Invitee(
                campaign=campaign,
                email=a.user.email.lower(),
                first_name=a.user.first_name,
                last_name=a.user.last_name,
                actor_profile_id=a.actor_profile_id,
                territory=a.territory,
                region_id=a.region_id,
                size_segment_id=a.size_segment_id,
                user=a.user,
                assessment=a if a.pk in answered else None,
                line=index + 2,
            )
            for index, a in enumerate(population)
        ]
    )
    through = Invitee.engineerings.through
    through.objects.bulk_create(
        [
            through(invitee_id=i.pk, engineering_id=e.pk)
            for i, a in zip(invitees, population, strict=True)
            for e in a.engineerings.all()
        ]
    )
    sent = datetime(opens_on.year, opens_on.month, opens_on.day, 9, tzinfo=UTC)
    messages = [
        CampaignMessage(invitee=i, kind=MessageKind.INVITATION, sent_at=sent) for i in invitees
    ]
    messages += [
        CampaignMessage(invitee=i, kind=MessageKind.REMINDER, number=n, sent_at=sent)
        for i in invitees
        if i.assessment_id is None
        for n in (1, 2)
    ]
    CampaignMessage.objects.bulk_create(messages)
    return campaign
