"""The directory of catalysts: opt-in profiles, messages sent through the platform.

A profile exists only while its owner consents (the row is the consent: withdrawing deletes it).
It holds what its owner typed and nothing read from their assessments, so the directory cannot be
joined with any published figure.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The text a person consents to; a new wording gets a new version (and is asked again).
CONSENT_VERSION = "annuaire-2026-12"
CONSENT_TEXT = (
    "J'accepte de figurer dans l'annuaire des catalyseurs : mon nom affiché, ma structure, mon "
    "profil, mes ingénieries, les territoires où j'agis, les pratiques que je peux partager ou "
    "que je cherche et ma présentation sont visibles selon la visibilité que je choisis. Mon "
    "adresse électronique n'est jamais affichée ; on me contacte par la plateforme. Je peux me "
    "retirer à tout moment, avec effet immédiat."
)
# A profile not reconfirmed for 13 months is hidden until its owner confirms again.
RECONFIRM_AFTER = timedelta(days=396)


class Visibility(models.TextChoices):
    PUBLIC = "public", "tout le monde"
    MEMBERS = "membres", "personnes connectées seulement"


class DirectoryProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="directory_profile"
    )
    shown_name = models.CharField("nom affiché", max_length=120)
    structure = models.CharField("structure", max_length=200, blank=True)
    actor_profile = models.ForeignKey(
        "territoires.ActorProfile",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="profil d'acteur",
    )
    engineerings = models.ManyToManyField(
        "territoires.Engineering", blank=True, related_name="+", verbose_name="ingénieries"
    )
    territories = models.ManyToManyField(
        "territoires.Territory",
        related_name="directory_profiles",
        verbose_name="territoires où j'agis",
    )
    # Practices by stable key: they survive the grid's versions.
    shares = ArrayField(
        models.UUIDField(), default=list, blank=True, verbose_name="je peux partager"
    )
    seeks = ArrayField(models.UUIDField(), default=list, blank=True, verbose_name="je cherche")
    presentation = models.TextField("présentation", max_length=1200, blank=True)
    visibility = models.CharField(
        "visibilité", max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    consent_at = models.DateTimeField("consentement donné le")
    consent_version = models.CharField("version du texte consenti", max_length=40)
    confirmed_at = models.DateTimeField("confirmé le")
    reminded_at = models.DateTimeField("prévenu de la reconfirmation le", null=True, blank=True)
    hidden_at = models.DateTimeField("masqué par un administrateur le", null=True, blank=True)
    is_demo = models.BooleanField("données de démonstration", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["shown_name"]
        verbose_name = "fiche de l'annuaire"
        verbose_name_plural = "fiches de l'annuaire"
        indexes = [
            models.Index(fields=["confirmed_at"], name="directory_confirmed"),
            models.Index(fields=["actor_profile"], name="directory_actor_profile"),
        ]

    def __str__(self) -> str:
        return self.shown_name

    @property
    def reconfirm_due(self) -> bool:
        return self.confirmed_at < timezone.now() - RECONFIRM_AFTER


def listed(now: object = None) -> Q:
    """Profiles shown in the directory: confirmed within 13 months, not hidden by an admin."""
    moment = now or timezone.now()
    return Q(confirmed_at__gte=moment - RECONFIRM_AFTER, hidden_at__isnull=True)  # type: ignore[operator]


class ContactMessage(models.Model):
    """A message sent through the platform: the recipient's address is never shown to the sender."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="directory_messages_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="directory_messages_received"
    )
    reply_to = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    body = models.TextField("message", max_length=3000)
    sent_at = models.DateTimeField("envoyé le", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("lu le", null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "message de l'annuaire"
        verbose_name_plural = "messages de l'annuaire"
        indexes = [models.Index(fields=["sender", "sent_at"], name="contact_sender_day")]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.recipient_id} ({self.sent_at:%Y-%m-%d})"


class ContactBlock(models.Model):
    """A sender an admin stopped from writing through the directory."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="directory_contact_block"
    )
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField("motif", max_length=300, blank=True)
    blocked_at = models.DateTimeField("bloqué le", default=timezone.now)

    class Meta:
        verbose_name = "expéditeur bloqué"
        verbose_name_plural = "expéditeurs bloqués"

    def __str__(self) -> str:
        return str(self.user_id)
