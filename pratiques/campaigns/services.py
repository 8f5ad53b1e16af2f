"""Writes on campaigns: joining by link, stopping reminders, closing (frozen dataset)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from config import links, people
from config.links import LinkError, Purpose
from config.refusals import Refused
from config.roles import Role
from pratiques import scoring
from pratiques import services as assessment_services
from pratiques.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Campaign,
    CampaignMessage,
    CampaignSnapshot,
    Invitee,
    InviteeSource,
    Practice,
    Situation,
    Vouch,
    VouchSource,
    established,
)
from territoires.models import ActorProfile, Engineering, SizeSegment, Territory


class CampaignRefused(Refused):
    """``str(error)`` is the French message to show."""

    default_code = "campaign_refused"


@transaction.atomic
def campaign_delete(*, campaign_id: int) -> str:
    """Deletes a campaign nobody was invited to nor registered in; returns its title."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    if campaign.is_closed or campaign.invitees.exists():
        raise CampaignRefused(
            "Seule une campagne sans personne invitée ni inscrite peut être supprimée : "
            "clôturez celle-ci, son jeu de données sera figé.",
            code="campaign_not_empty",
        )
    title = campaign.title
    campaign.delete()
    return title


def _is_pending(user: User) -> bool:
    return not user.is_active and user.last_login is None and not user.has_usable_password()


PASSWORD_ACCOUNT = (
    "Ce compte a un mot de passe ou d'autres rôles que catalyseur·rice : un lien reçu par "
    "e-mail ne l'ouvre pas. Connectez-vous avec votre mot de passe, puis ouvrez la campagne."
)


def campaign_link_check(*, invitee_id: int, token: str) -> tuple[User, Invitee]:
    """The person and invitee a personal link names, or ``LinkError``; changes nothing (what a
    GET may do: mail scanners follow links)."""
    user = links.check_link_token(token, Purpose.CAMPAIGN)
    invitee = Invitee.objects.select_related("campaign").filter(pk=invitee_id, user=user).first()
    if invitee is None:
        raise LinkError(LinkError.INVALID)
    return user, invitee


@transaction.atomic
def campaign_link_use(*, invitee_id: int, token: str) -> tuple[User, Invitee]:
    """Checks a personal link (on the POST of its button); activates a pending account. Only a
    person who never had a password nor another role may be signed in by it
    (``links.may_sign_in_by_link``). The caller signs the person in, which changes
    ``last_login``: the same link is then refused as already used."""
    user = links.check_link_token(token, Purpose.CAMPAIGN)
    invitee = (
        Invitee.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .filter(pk=invitee_id, user=user)
        .first()
    )
    if invitee is None:
        raise LinkError(LinkError.INVALID)
    if not links.may_sign_in_by_link(user):
        # An e-mailed link never opens a session that a password or a role protects.
        raise CampaignRefused(PASSWORD_ACCOUNT, code="password_account")
    if not user.is_active:
        if not _is_pending(user):
            raise CampaignRefused(
                "Ce compte a été désactivé : contactez l'administration du réseau.",
                code="account_disabled",
            )
        people.person_activate(
            user=user, first_name=invitee.first_name, last_name=invitee.last_name
        )
    people.role_grant(user=user, role=Role.CATALYST)
    if invitee.source == InviteeSource.IMPORT and not Vouch.objects.filter(user=user).exists():
        # The admin who imported the population named this person: confirming through the
        # personal link makes them established (an open-link answerer is not, by this alone);
        # an earlier vouch (an invitation, an approval) is kept as it was.
        assessment_services.vouch_record(
            user=user, source=VouchSource.CAMPAIGN, by=invitee.campaign.created_by
        )
    return user, invitee


def _start_draft(invitee: Invitee) -> Assessment:
    """The campaign's draft of this person: their own draft on the same grid is adopted."""
    campaign = invitee.campaign
    user = invitee.user
    if user is None:  # campaign_link_use linked the account before the draft is opened
        raise CampaignRefused(
            "Ouvrez d'abord le lien personnel reçu par e-mail.", code="link_not_opened"
        )
    draft = Assessment.objects.filter(user=user, status=AssessmentStatus.DRAFT).first()
    if draft is not None:
        taken = Invitee.objects.filter(assessment=draft).exclude(pk=invitee.pk).exists()
        if draft.version_id != campaign.version_id or taken:
            raise CampaignRefused(
                "Vous avez déjà une auto-évaluation en cours : validez-la ou supprimez-la "
                "depuis votre espace, puis rouvrez le lien de la campagne.",
                code="draft_in_progress",
            )
        return draft
    return assessment_services.assessment_start(
        user=user,
        territory=invitee.territory,
        actor_profile=invitee.actor_profile,
        engineerings=list(invitee.engineerings.all()),
        organisation_name=invitee.organisation_name,
        version=campaign.version,
    )


@transaction.atomic
def campaign_assessment_open(*, invitee: Invitee) -> Assessment:
    """The assessment of the invitee in this campaign, started as a draft if need be."""
    invitee = (
        Invitee.objects.select_for_update(of=("self",))
        .select_related("campaign", "user", "assessment")
        .get(pk=invitee.pk)
    )
    if invitee.assessment is not None:
        return invitee.assessment
    if not invitee.campaign.accepts_answers():
        raise CampaignRefused(
            "Cette campagne n'accepte plus de réponses : elle est close.", code="campaign_closed"
        )
    invitee.assessment = _start_draft(invitee)
    invitee.save(update_fields=["assessment"])
    return invitee.assessment


@transaction.atomic
def campaign_self_register(
    *,
    campaign: Campaign,
    user: User,
    territory: Territory,
    actor_profile: ActorProfile,
    engineerings: list[Engineering],
) -> Invitee:
    """Joins a campaign through its open link (a signed-in catalyst)."""
    if not campaign.open_registration or not campaign.accepts_answers():
        raise CampaignRefused(
            "Cette campagne n'accepte pas d'inscription pour le moment.",
            code="registration_closed",
        )
    email = (user.email or f"{user.username}@sans-adresse.invalid").lower()
    invitee, _ = Invitee.objects.get_or_create(
        campaign=campaign,
        email=email,
        defaults={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "actor_profile": actor_profile,
            "territory": territory,
            "region": assessment_services.region_of(territory),
            "size_segment": SizeSegment.for_population(territory.population),
            "source": InviteeSource.OPEN_LINK,
            "user": user,
        },
    )
    if invitee.user_id is None:
        invitee.user = user
        invitee.save(update_fields=["user"])
    if invitee.user_id != user.pk:
        raise CampaignRefused(
            "Cette adresse est déjà inscrite à la campagne par un autre compte.",
            code="email_taken",
        )
    if not invitee.engineerings.exists():
        invitee.engineerings.set(engineerings)
    return invitee


@transaction.atomic
def reminders_stop(*, invitee_id: int, user: User) -> Invitee:
    invitee = Invitee.objects.select_for_update().get(pk=invitee_id, user=user)
    if invitee.reminders_stopped_at is None:
        invitee.reminders_stopped_at = timezone.now()
        invitee.save(update_fields=["reminders_stopped_at"])
        CampaignMessage.objects.filter(invitee=invitee, sent_at__isnull=True).delete()
    return invitee


def reminders_stop_by_link(*, invitee_id: int, token: str) -> Invitee:
    user = links.check_link_token(token, Purpose.CAMPAIGN_REMINDERS_STOP)
    try:
        return reminders_stop(invitee_id=invitee_id, user=user)
    except Invitee.DoesNotExist:
        raise LinkError(LinkError.INVALID) from None


# --- closing --------------------------------------------------------------------------------


@transaction.atomic
def campaign_close(*, campaign_id: int) -> CampaignSnapshot:
    """Freezes the submitted answers of the campaign; unsent messages are dropped."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    if campaign.is_closed:
        raise CampaignRefused("Cette campagne est déjà close.", code="already_closed")
    now = timezone.now()
    snapshot = CampaignSnapshot.objects.create(
        campaign=campaign,
        taken_at=now,
        invited=Invitee.objects.filter(campaign=campaign).count(),
        grid=grid_outline(campaign.version_id),
        records=snapshot_records(campaign),
    )
    campaign.closed_at = now
    campaign.save(update_fields=["closed_at"])
    CampaignMessage.objects.filter(invitee__campaign=campaign, sent_at__isnull=True).delete()
    return snapshot


def grid_outline(version_id: int) -> dict[str, Any]:
    situations = Situation.objects.filter(version_id=version_id).select_related("axis")
    practices = Practice.objects.filter(version_id=version_id).select_related("situation")
    return {
        "situations": [
            {
                "key": str(s.key),
                "code": s.code,
                "title": s.title,
                "lever": s.axis.lever,
                "order": [s.axis.order, s.order],
            }
            for s in sorted(situations, key=lambda s: (s.axis.order, s.order, s.code))
        ],
        "practices": [
            {
                "key": str(p.key),
                "code": p.code,
                "label": p.label,
                "situation": str(p.situation.key),
            }
            for p in sorted(practices, key=lambda p: (p.situation.order, p.order, p.code))
        ],
    }


def snapshot_assessments(campaign: Campaign) -> Any:
    """The assessments a campaign's figures may hold: submitted, with the statistics consent,
    by established people (an account someone created at will never pads a class)."""
    return Assessment.objects.filter(
        established("user"),
        campaign_invitee__campaign=campaign,
        status=AssessmentStatus.SUBMITTED,
        consent_statistics=True,
    )


def snapshot_records(campaign: Campaign) -> list[dict[str, Any]]:
    """One anonymous record per counted assessment of the campaign (no name, no id), in a
    random order, each with a pseudonym drawn for this snapshot only."""
    assessments = list(
        snapshot_assessments(campaign)
        .select_related("actor_profile", "size_segment", "region")
        .prefetch_related("engineerings")
        .order_by("pk")
    )
    secrets.SystemRandom().shuffle(assessments)
    pseudonyms: set[str] = set()
    while len(pseudonyms) < len(assessments):
        pseudonyms.add(secrets.token_hex(5))
    answers: dict[int, list[Answer]] = {a.pk: [] for a in assessments}
    for answer in Answer.objects.filter(assessment__in=assessments).select_related(
        "practice__situation"
    ):
        answers[answer.assessment_id].append(answer)
    situations = list(
        Situation.objects.filter(version_id=campaign.version_id).select_related("axis")
    )
    records = []
    for assessment, pseudonym in zip(assessments, sorted(pseudonyms), strict=True):
        own = answers[assessment.pk]
        scores = assessment_services.compute_scores(own, situations)
        levers = scoring.ternary(
            scores.levers.get("gestion"), scores.levers.get("action"), scores.levers.get("vision")
        )
        records.append(
            {
                "pseudonym": pseudonym,
                "region": assessment.region.name if assessment.region else "",
                "segment": assessment.size_segment.label if assessment.size_segment else "",
                "profile": assessment.actor_profile.label,
                "engineerings": sorted(e.label for e in assessment.engineerings.all()),
                "year": assessment.submitted_at.year if assessment.submitted_at else None,
                "answers": {
                    str(a.practice.key): [
                        a.not_concerned,
                        a.frequency,
                        a.involvement,
                        a.carrying,
                        a.wants_to_develop,
                    ]
                    for a in own
                },
                "situations": {
                    str(key): score
                    for key, (score, _n) in scores.situations.items()
                    if score is not None
                },
                "levers": list(levers) if levers else None,
            }
        )
    return records
