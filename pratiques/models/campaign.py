"""Network study campaigns: a population invited to assess itself on one grid version.

A campaign lists its people (``Invitee``, imported or self-registered), e-mails them once per
kind of message (``CampaignMessage``: one row per person, kind and number, claimed and stamped
before sending so that no one receives the same e-mail twice), and at closing freezes its
dataset in ``CampaignSnapshot`` (a JSON copy that later edits of assessments do not change).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from pratiques.models.assessment import Assessment
from pratiques.models.grid import GridVersion
from territoires.models import ActorProfile, Engineering, SizeSegment, Territory


def new_open_code() -> str:
    return secrets.token_urlsafe(12)


class Campaign(models.Model):
    title = models.CharField("titre", max_length=200)
    version = models.ForeignKey(
        GridVersion,
        models.PROTECT,
        related_name="campaigns",
        verbose_name="version de la grille",
    )
    opens_on = models.DateField("ouverture le")
    closes_on = models.DateField("clôture prévue le")
    invitation_text = models.TextField("texte de l'invitation")
    reminder_text = models.TextField("texte des relances")
    reminder_days = models.CharField(
        "relances (jours après l'ouverture)",
        max_length=60,
        default="7,14",
        help_text="Nombres de jours séparés par des virgules, par exemple « 7,14 ».",
    )
    open_registration = models.BooleanField("lien d'inscription ouvert", default=False)
    open_code = models.CharField(max_length=24, unique=True, default=new_open_code)
    is_demo = models.BooleanField("données de démonstration", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = "campagne"
        verbose_name_plural = "campagnes"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="campaign_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pratiques:campaign_detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def accepts_answers(self, today: date | None = None) -> bool:
        """Open: not closed by an admin and within its dates."""
        today = today or timezone.localdate()
        return not self.is_closed and self.opens_on <= today <= self.closes_on

    @property
    def is_editable(self) -> bool:
        """Until it opens its dates, grid and texts may change: nobody has been invited yet."""
        return not self.is_closed and timezone.localdate() < self.opens_on

    @property
    def reminder_offsets(self) -> list[int]:
        return sorted(
            {int(part) for part in self.reminder_days.split(",") if part.strip().isdigit()}
        )

    def reminder_dates(self) -> list[date]:
        return [self.opens_on + timedelta(days=days) for days in self.reminder_offsets]

    @property
    def status_label(self) -> str:
        if self.is_closed:
            return "clôturée"
        today = timezone.localdate()
        if today < self.opens_on:
            return "à venir"
        if today > self.closes_on:
            return "échue, à clôturer"
        return "ouverte"


class InviteeSource(models.TextChoices):
    IMPORT = "import", "Importé·e"
    OPEN_LINK = "lien", "Inscrit·e par le lien ouvert"


class Invitee(models.Model):
    """One person of a campaign's population (e-mail unique per campaign, stored lower-case)."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="invitees")
    email = models.EmailField("adresse électronique")
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    organisation_name = models.CharField("organisation", max_length=200, blank=True)
    actor_profile = models.ForeignKey(
        ActorProfile, models.PROTECT, related_name="+", verbose_name="profil d'acteur"
    )
    territory = models.ForeignKey(
        Territory, models.PROTECT, related_name="+", verbose_name="territoire"
    )
    engineerings = models.ManyToManyField(Engineering, related_name="+", blank=True)
    # Copied from the territory at import: the follow-up groups people without a join per row.
    region = models.ForeignKey(Territory, models.SET_NULL, null=True, blank=True, related_name="+")
    size_segment = models.ForeignKey(
        SizeSegment, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(
        max_length=8, choices=InviteeSource.choices, default=InviteeSource.IMPORT
    )
    line = models.PositiveIntegerField("ligne du fichier", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_invitations",
    )
    assessment = models.OneToOneField(
        Assessment,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_invitee",
    )
    reminders_stopped_at = models.DateTimeField("relances arrêtées le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = "personne invitée"
        verbose_name_plural = "personnes invitées"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email"], name="invitee_campaign_email")
        ]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name} <{self.email}>" if name else self.email


class MessageKind(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    REMINDER = "relance", "Relance"


class CampaignMessage(models.Model):
    """One e-mail to one person: claimed and stamped ``sent_at`` before it leaves (at most once)."""

    invitee = models.ForeignKey(Invitee, models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=12, choices=MessageKind.choices)
    number = models.PositiveSmallIntegerField(default=0)  # 1, 2… for reminders
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "message de campagne"
        verbose_name_plural = "messages de campagne"
        constraints = [
            models.UniqueConstraint(
                fields=["invitee", "kind", "number"], name="campaign_message_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["id"], condition=Q(sent_at__isnull=True), name="campaign_message_unsent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number} → {self.invitee_id}"


class CampaignSnapshot(models.Model):
    """The campaign's dataset, frozen at closing (grid outline and one record per respondent)."""

    campaign = models.OneToOneField(Campaign, models.CASCADE, related_name="snapshot")
    taken_at = models.DateTimeField()
    invited = models.PositiveIntegerField(default=0)
    grid = models.JSONField(default=dict)
    records = models.JSONField(default=list)

    class Meta:
        verbose_name = "jeu de données figé d'une campagne"

    def __str__(self) -> str:
        return f"Campagne {self.campaign_id} figée le {self.taken_at:%d/%m/%Y}"
