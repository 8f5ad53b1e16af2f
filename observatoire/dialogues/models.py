"""Territorial dialogues: local actors say how strongly they perceive the 16 fragilities.

A ``Dialogue`` is opened on one territory (any level, projects included) by an official with a
confirmed mandate on it, a catalyst or a network admin. Respondents have no account: the people
of an imported list (``DialogueInvitee``) answer through a personal signed link e-mailed to them
(``config.links``, purpose ``dialogue``), anyone else through the open link ``/d/<open_code>``.
Each answer is a ``DialogueResponse`` reached by its secret ``key``: the perceived level of each
fragility (``PerceivedFragility``, 0–3 as the curated levels, or null for « je ne sais pas »),
3 to 5 priorities, the actor profiles the respondent already acts with and at most one
``DialogueInitiative``. Closing freezes the dataset in ``DialogueSnapshot`` (JSON, no names, no
e-mails, shuffled): results are computed from it, never from the live rows.

These models live in the ``observatoire`` app (imported by ``observatoire.models``).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from territoires.models import ActorProfile, Fragility, Territory

# No 0/O, 1/l/I: a code read aloud or copied from a projected slide.
OPEN_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
OPEN_CODE_LENGTH = 7
PRIORITIES_MIN = 3
PRIORITIES_MAX = 5


def new_open_code() -> str:
    return "".join(secrets.choice(OPEN_CODE_ALPHABET) for _ in range(OPEN_CODE_LENGTH))


def new_response_key() -> str:
    return secrets.token_urlsafe(24)


class DialogueStatus(models.TextChoices):
    DRAFT = "brouillon", "en préparation"
    OPEN = "ouvert", "ouvert"
    CLOSED = "clos", "clos"
    PUBLISHED = "publie", "clos, résultats publiés"


class Dialogue(models.Model):
    territory = models.ForeignKey(
        Territory, models.PROTECT, related_name="dialogues", verbose_name="territoire"
    )
    title = models.CharField("titre", max_length=200)
    introduction = models.TextField(
        "introduction",
        help_text="Ce que les répondants lisent avant le questionnaire.",
    )
    opens_on = models.DateField("ouverture le")
    closes_on = models.DateField("clôture prévue le")
    status = models.CharField(
        "état", max_length=12, choices=DialogueStatus.choices, default=DialogueStatus.DRAFT
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_dialogues",
        verbose_name="organisateur·rice",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    opened_at = models.DateTimeField("ouvert le", null=True, blank=True)
    reminder_days = models.CharField(
        "relances (jours après l'ouverture)",
        max_length=60,
        default="7,14",
        help_text="Nombres de jours séparés par des virgules, par exemple « 7,14 ».",
    )
    open_code = models.CharField(
        "code du lien ouvert", max_length=16, unique=True, default=new_open_code
    )
    open_link_active = models.BooleanField("lien ouvert actif", default=True)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    frozen_at = models.DateTimeField("jeu de données figé le", null=True, blank=True)
    published_at = models.DateTimeField("résultats publiés le", null=True, blank=True)
    is_demo = models.BooleanField("données de démonstration", default=False)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = "dialogue territorial"
        verbose_name_plural = "dialogues territoriaux"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="dialogue_dates_ordered"
            )
        ]
        indexes = [models.Index(fields=["territory", "status"], name="dialogue_territory_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("observatoire:dialogue_detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.status in (DialogueStatus.CLOSED, DialogueStatus.PUBLISHED)

    def accepts_answers(self, today: date | None = None) -> bool:
        """Open, and within its dates."""
        today = today or timezone.localdate()
        return self.status == DialogueStatus.OPEN and self.opens_on <= today <= self.closes_on

    @property
    def reminder_offsets(self) -> list[int]:
        return sorted(
            {int(part) for part in self.reminder_days.split(",") if part.strip().isdigit()}
        )

    def reminder_dates(self) -> list[date]:
        start = self.opened_at.date() if self.opened_at else self.opens_on
        start = max(start, self.opens_on)
        return [start + timedelta(days=days) for days in self.reminder_offsets]


class DialogueInvitee(models.Model):
    """One person of a dialogue's imported list (e-mail unique per dialogue, lower-case)."""

    dialogue = models.ForeignKey(Dialogue, models.CASCADE, related_name="invitees")
    email = models.EmailField("adresse électronique")
    name = models.CharField("nom", max_length=200, blank=True)
    organisation = models.CharField("organisation", max_length=200, blank=True)
    actor_profile = models.ForeignKey(
        ActorProfile, models.PROTECT, related_name="+", verbose_name="profil d'acteur"
    )
    line = models.PositiveIntegerField("ligne du fichier", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Claimed and stamped in the transaction that sends (at most one invitation per person).
    invited_at = models.DateTimeField("invitation envoyée le", null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField("relances envoyées", default=0)
    reminded_at = models.DateTimeField("dernière relance le", null=True, blank=True)
    reminders_stopped_at = models.DateTimeField("relances arrêtées le", null=True, blank=True)
    send_error = models.CharField("erreur d'envoi", max_length=300, blank=True)

    class Meta:
        ordering = ["name", "email"]
        verbose_name = "acteur invité"
        verbose_name_plural = "acteurs invités"
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "email"], name="dialogue_invitee_email")
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


class ResponseVia(models.TextChoices):
    INVITED = "invite", "lien personnel"
    OPEN = "ouvert", "lien ouvert"


class DialogueResponse(models.Model):
    """One respondent's answers, reached by its secret ``key`` (no account)."""

    dialogue = models.ForeignKey(Dialogue, models.CASCADE, related_name="responses")
    invitee = models.OneToOneField(
        DialogueInvitee, models.SET_NULL, null=True, blank=True, related_name="response"
    )
    via = models.CharField("arrivé par", max_length=8, choices=ResponseVia.choices)
    key = models.CharField(max_length=48, unique=True, default=new_response_key)
    actor_profile = models.ForeignKey(
        ActorProfile,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="profil d'acteur",
    )
    commune = models.ForeignKey(
        Territory,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune d'activité",
    )
    acts_with = models.ManyToManyField(
        ActorProfile,
        related_name="+",
        blank=True,
        verbose_name="profils d'acteurs avec qui j'agis déjà",
    )
    started_at = models.DateTimeField("commencée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    submitted_at = models.DateTimeField("envoyée le", null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = "réponse à un dialogue"
        verbose_name_plural = "réponses à un dialogue"
        indexes = [
            models.Index(fields=["dialogue", "submitted_at"], name="dialogue_response_submitted")
        ]

    def __str__(self) -> str:
        return f"Réponse {self.pk} au dialogue {self.dialogue_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class PerceivedFragility(models.Model):
    """How strongly one respondent feels one fragility: 0–3, or null for « je ne sais pas »."""

    response = models.ForeignKey(DialogueResponse, models.CASCADE, related_name="perceptions")
    fragility = models.ForeignKey(Fragility, models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField("niveau perçu", null=True, blank=True)
    is_priority = models.BooleanField("priorité", default=False)

    class Meta:
        ordering = ["fragility__order", "fragility__label"]
        verbose_name = "fragilité perçue"
        verbose_name_plural = "fragilités perçues"
        constraints = [
            models.UniqueConstraint(
                fields=["response", "fragility"], name="perceived_fragility_once"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__lte=3), name="perceived_level_0_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} — {self.fragility_id} : {self.level}"


class InitiativeStatus(models.TextChoices):
    PROPOSED = "proposee", "à examiner"
    APPROVED = "approuvee", "approuvée"
    REFUSED = "refusee", "écartée"


class DialogueInitiative(models.Model):
    """An initiative a respondent carries or knows, answering one fragility; shown only once
    the organiser approved it."""

    response = models.OneToOneField(DialogueResponse, models.CASCADE, related_name="initiative")
    fragility = models.ForeignKey(
        Fragility, models.PROTECT, related_name="+", verbose_name="fragilité"
    )
    title = models.CharField("titre", max_length=200)
    text = models.TextField("description", max_length=1500)
    carrier = models.CharField("qui la porte", max_length=200)
    status = models.CharField(
        "état", max_length=10, choices=InitiativeStatus.choices, default=InitiativeStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)

    class Meta:
        ordering = ["fragility__order", "title"]
        verbose_name = "initiative"
        verbose_name_plural = "initiatives"

    def __str__(self) -> str:
        return self.title


class DialogueSnapshot(models.Model):
    """The dialogue's dataset frozen at closing: one record per submitted response, shuffled,
    without names, e-mails, keys or timestamps (see docs/dialogues.md for the record shape)."""

    dialogue = models.OneToOneField(Dialogue, models.CASCADE, related_name="snapshot")
    taken_at = models.DateTimeField("figé le")
    invited = models.PositiveIntegerField("acteurs invités", default=0)
    fragilities = models.JSONField("fragilités (code, libellé)", default=list)
    profiles = models.JSONField("profils d'acteurs (code, libellé)", default=list)
    records = models.JSONField("réponses", default=list)

    class Meta:
        verbose_name = "jeu de données figé d'un dialogue"
        verbose_name_plural = "jeux de données figés des dialogues"

    def __str__(self) -> str:
        return f"Dialogue {self.dialogue_id} figé le {self.taken_at:%d/%m/%Y}"
