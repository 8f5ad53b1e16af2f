"""Writes on the directory: opt-in, update, reconfirmation, withdrawal, contact, moderation."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from config.refusals import Refused
from pratiques.models import ContactBlock, ContactMessage, DirectoryProfile, Visibility
from pratiques.models.directory import CONSENT_VERSION, RECONFIRM_AFTER
from territoires.models import ActorProfile, Engineering, Territory

# A sender may write this many messages per rolling day; the next one is refused (429).
CONTACT_DAILY_LIMIT = 5
MAX_TERRITORIES = 30


class DirectoryRefused(Refused):
    default_code = "directory_refused"


class ContactLimited(Refused):
    default_code = "contact_rate_limited"
    default_message = (
        f"Vous avez déjà envoyé {CONTACT_DAILY_LIMIT} messages aujourd'hui par l'annuaire : "
        "réessayez demain."
    )


@dataclass
class ProfileData:
    shown_name: str
    structure: str = ""
    actor_profile: ActorProfile | None = None
    engineerings: list[Engineering] = field(default_factory=list)
    territories: list[Territory] = field(default_factory=list)
    shares: list[uuid.UUID] = field(default_factory=list)
    seeks: list[uuid.UUID] = field(default_factory=list)
    presentation: str = ""
    visibility: str = Visibility.MEMBERS


def _apply(profile: DirectoryProfile, data: ProfileData) -> None:
    if not data.shown_name.strip():
        raise DirectoryRefused({"shown_name": "Indiquez le nom à afficher."}, code="no_name")
    if not data.territories:
        raise DirectoryRefused(
            {"territories": "Indiquez au moins un territoire où vous agissez."},
            code="no_territory",
        )
    if len(data.territories) > MAX_TERRITORIES:
        raise DirectoryRefused(
            {"territories": f"Au plus {MAX_TERRITORIES} territoires."}, code="too_many_territories"
        )
    profile.shown_name = data.shown_name.strip()
    profile.structure = data.structure.strip()
    profile.actor_profile = data.actor_profile
    profile.shares = list(dict.fromkeys(data.shares))
    profile.seeks = list(dict.fromkeys(data.seeks))
    profile.presentation = data.presentation.strip()
    profile.visibility = data.visibility
    profile.save()
    profile.engineerings.set(data.engineerings)
    profile.territories.set(data.territories)


@transaction.atomic
def profile_opt_in(
    *, user: User, data: ProfileData, consent: bool, is_demo: bool = False
) -> DirectoryProfile:
    """Creates (or updates) the person's profile; without the explicit consent, nothing."""
    if not consent:
        raise DirectoryRefused(
            {"consent": "Cochez la case de consentement pour figurer dans l'annuaire."},
            code="no_consent",
        )
    now = timezone.now()
    profile = DirectoryProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        profile = DirectoryProfile(user=user, consent_at=now, consent_version=CONSENT_VERSION)
    elif profile.consent_version != CONSENT_VERSION:
        profile.consent_at, profile.consent_version = now, CONSENT_VERSION
    profile.confirmed_at = now
    profile.reminded_at = None
    profile.is_demo = is_demo
    _apply(profile, data)
    return profile


@transaction.atomic
def profile_reconfirm(*, user: User) -> DirectoryProfile:
    profile = DirectoryProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        raise DirectoryRefused("Vous ne figurez pas dans l'annuaire.", code="no_profile")
    profile.confirmed_at = timezone.now()
    profile.reminded_at = None
    profile.save(update_fields=["confirmed_at", "reminded_at", "updated_at"])
    return profile


@transaction.atomic
def profile_withdraw(*, user: User) -> bool:
    """Removes the profile at once (the row is the consent). True when there was one."""
    deleted, _ = DirectoryProfile.objects.filter(user=user).delete()
    return bool(deleted)


@transaction.atomic
def directory_data_delete(*, user: User) -> None:
    """Account deletion: the profile and every message sent or received go."""
    DirectoryProfile.objects.filter(user=user).delete()
    ContactMessage.objects.filter(sender=user).delete()
    ContactMessage.objects.filter(recipient=user).delete()
    ContactBlock.objects.filter(user=user).delete()


@transaction.atomic
def profile_hide(*, actor: User, profile_id: int, hidden: bool) -> DirectoryProfile:
    profile = DirectoryProfile.objects.select_for_update().get(pk=profile_id)
    profile.hidden_at = timezone.now() if hidden else None
    profile.save(update_fields=["hidden_at", "updated_at"])
    return profile


@transaction.atomic
def sender_block(*, actor: User, user: User, blocked: bool, reason: str = "") -> None:
    if blocked:
        ContactBlock.objects.update_or_create(
            user=user, defaults={"blocked_by": actor, "reason": reason[:300]}
        )
    else:
        ContactBlock.objects.filter(user=user).delete()


def _notify(recipient: User, subject: str) -> None:
    """Tells the recipient a message waits on the platform (no sender address in it)."""
    if not recipient.email:
        return
    url = settings.SITE_URL.rstrip("/") + reverse("pratiques:directory_inbox")
    send_mail(
        subject,
        f"Bonjour,\n\nUn message vous attend sur la plateforme : {url}\n\n"
        "Vous pouvez y répondre ou l'ignorer. Votre adresse n'est jamais communiquée.",
        None,
        [recipient.email],
    )


@transaction.atomic
def contact_send(
    *, sender: User, recipient: User, body: str, reply_to: ContactMessage | None = None
) -> ContactMessage:
    """A message through the platform; at most CONTACT_DAILY_LIMIT a day per sender."""
    body = body.strip()
    if not body:
        raise DirectoryRefused({"body": "Écrivez votre message."}, code="empty_message")
    if len(body) > 3000:
        raise DirectoryRefused({"body": "Au plus 3 000 caractères."}, code="message_too_long")
    if sender.pk == recipient.pk:
        raise DirectoryRefused("Vous ne pouvez pas vous écrire.", code="self_message")
    if ContactBlock.objects.filter(user=sender).exists():
        raise DirectoryRefused(
            "Un administrateur du réseau a suspendu vos envois par l'annuaire.", code="blocked"
        )
    # Serialise one sender's messages: the count and the insert see the same day.
    User.objects.select_for_update().filter(pk=sender.pk).first()
    since = timezone.now() - timedelta(days=1)
    if (
        ContactMessage.objects.filter(sender=sender, sent_at__gte=since).count()
        >= CONTACT_DAILY_LIMIT
    ):
        raise ContactLimited()
    message = ContactMessage.objects.create(
        sender=sender, recipient=recipient, body=body, reply_to=reply_to
    )
    transaction.on_commit(lambda: _notify(recipient, "Un message par l'annuaire des catalyseurs"))
    return message


@transaction.atomic
def contact_reply(*, user: User, message_id: int, body: str) -> ContactMessage:
    original = ContactMessage.objects.filter(pk=message_id, recipient=user).first()
    if original is None:
        raise DirectoryRefused("Message introuvable.", code="no_message")
    return contact_send(sender=user, recipient=original.sender, body=body, reply_to=original)


@transaction.atomic
def messages_mark_read(*, user: User, ids: Iterable[int]) -> int:
    return ContactMessage.objects.filter(
        recipient=user, pk__in=list(ids), read_at__isnull=True
    ).update(read_at=timezone.now())


def reconfirm_reminders_send() -> int:
    """Tells each owner whose profile just passed 13 months that it is hidden (once)."""
    cutoff = timezone.now() - RECONFIRM_AFTER
    due = list(
        DirectoryProfile.objects.filter(confirmed_at__lt=cutoff, reminded_at__isnull=True)
        .select_related("user")
        .only("id", "user__email", "user__id")
    )
    url = settings.SITE_URL.rstrip("/") + reverse("pratiques:directory_me")
    for profile in due:
        with transaction.atomic():
            updated = DirectoryProfile.objects.filter(
                pk=profile.pk, reminded_at__isnull=True
            ).update(reminded_at=timezone.now())
            if updated and profile.user.email:
                send_mail(
                    "Votre fiche de l'annuaire est masquée : confirmez-la",
                    "Bonjour,\n\nVotre fiche de l'annuaire des catalyseurs n'a pas été confirmée "
                    "depuis 13 mois : elle est masquée. Pour la rendre de nouveau visible, "
                    f"confirmez-la ici : {url}\n\nSans action de votre part, elle reste masquée.",
                    None,
                    [profile.user.email],
                )
    return len(due)
