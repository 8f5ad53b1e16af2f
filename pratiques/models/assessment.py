"""A catalyst's self-assessment on one grid version, its answers, and the peer statistics.

Scores are computed once, at submit time, into ``AssessmentScore``; peer distributions are kept
as histograms in ``PeerBucket`` (updated incrementally on submit, consent change and deletion) so
the results page reads a few hundred rows whatever the number of assessments.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from pratiques.models.grid import GridVersion, Practice
from territoires.models import ActorProfile, Engineering, SizeSegment, Territory


def new_join_code() -> str:
    return secrets.token_urlsafe(9)


class Organisation(models.Model):
    """An organisation whose members share their submitted assessments for dialogue."""

    name = models.CharField("nom", max_length=200)
    join_code = models.CharField(
        "code pour rejoindre", max_length=20, unique=True, default=new_join_code
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="OrganisationMembership",
        related_name="pratiques_organisations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"
        verbose_name_plural = "organisations"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pratiques:organisation_dialogue", kwargs={"pk": self.pk})


class OrganisationMembership(models.Model):
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="pratiques_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "membre d'une organisation"
        verbose_name_plural = "membres d'une organisation"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="organisation_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ∈ {self.organisation_id}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Validée"


class Assessment(models.Model):
    """One self-assessment; pinned to its grid version for life."""

    Status = AssessmentStatus

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="pratiques_assessments",
        verbose_name="auteur·rice",
    )
    version = models.ForeignKey(
        GridVersion, models.PROTECT, related_name="assessments", verbose_name="version"
    )
    status = models.CharField(
        "statut", max_length=10, choices=AssessmentStatus.choices, default="draft"
    )
    organisation = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name="organisation",
    )
    territory = models.ForeignKey(
        Territory, models.PROTECT, related_name="+", verbose_name="territoire d'action"
    )
    actor_profile = models.ForeignKey(
        ActorProfile, models.PROTECT, related_name="+", verbose_name="profil d'acteur"
    )
    engineerings = models.ManyToManyField(
        Engineering, related_name="+", verbose_name="ingénieries pratiquées"
    )
    # Snapshot of the territory's segment and région at submit time: peer groups stay stable.
    size_segment = models.ForeignKey(
        SizeSegment, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(Territory, models.SET_NULL, null=True, blank=True, related_name="+")
    consent_statistics = models.BooleanField("alimente les statistiques anonymisées", default=False)
    shared_with_organisation = models.BooleanField("partagée avec l'organisation", default=False)
    is_demo = models.BooleanField("données de démonstration", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField("validée le", null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        verbose_name = "auto-évaluation"
        verbose_name_plural = "auto-évaluations"
        constraints = [
            # One draft at a time per person: a second tab resumes it instead of forking.
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="draft"), name="assessment_single_draft"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="assessment_submitted_has_date",
            ),
        ]
        indexes = [models.Index(fields=["user", "status"], name="assessment_user_status")]

    def __str__(self) -> str:
        return f"Auto-évaluation {self.pk} ({self.version.label})"

    def get_absolute_url(self) -> str:
        if self.is_draft:
            return reverse("pratiques:assessment_fill", kwargs={"pk": self.pk})
        return reverse("pratiques:assessment_results", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT


class Answer(models.Model):
    """The answer to one practice. No row = not answered yet; ``not_concerned`` is an answer."""

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="answers")
    practice = models.ForeignKey(Practice, models.PROTECT, related_name="+")
    not_concerned = models.BooleanField("non concerné·e", default=False)
    frequency = models.PositiveSmallIntegerField("fréquence", null=True, blank=True)
    involvement = models.PositiveSmallIntegerField("implication", null=True, blank=True)
    carrying = models.PositiveSmallIntegerField("portage", null=True, blank=True)
    wants_to_develop = models.BooleanField("à développer", default=False)
    comment = models.TextField("commentaire privé", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "réponse"
        verbose_name_plural = "réponses"
        constraints = [
            # The upsert of the autosave relies on it (race-free, one statement).
            models.UniqueConstraint(
                fields=["assessment", "practice"], name="answer_assessment_practice_unique"
            ),
            models.CheckConstraint(
                condition=Q(not_concerned=False)
                | Q(frequency__isnull=True, involvement__isnull=True, carrying__isnull=True),
                name="answer_not_concerned_has_no_values",
            ),
        ]

    def __str__(self) -> str:
        return f"Réponse {self.assessment_id}/{self.practice_id}"

    @property
    def is_answered(self) -> bool:
        return self.not_concerned or self.frequency is not None


class AssessmentScore(models.Model):
    """Denormalised score (0–100) of a submitted assessment for one situation or axis."""

    class Kind(models.TextChoices):
        SITUATION = "situation", "Situation"
        AXIS = "axis", "Axe"

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="scores")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    element_key = models.UUIDField()
    score = models.FloatField()
    answered = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "score d'une auto-évaluation"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kind", "element_key"], name="assessment_score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.element_key}: {self.score:.1f}"


class PeerGroupKind(models.TextChoices):
    ALL = "all", "Tous les catalyseurs"
    SEGMENT = "segment", "Même taille de territoire"
    PROFILE = "profile", "Même profil d'acteur"
    ENGINEERING = "engineering", "Même ingénierie"
    REGION = "region", "Même région"


class PeerBucket(models.Model):
    """Histogram cell of a peer group on one grid version (consenting, submitted assessments).

    ``dimension``: « n » (group size), « s:<key> » / « a:<key> » (score ×10 as ``bucket``),
    « t » (ternary cell), « sum:<lever> » (sum of ternary coordinates ×10⁶ in ``count``).
    """

    version = models.ForeignKey(GridVersion, models.CASCADE, related_name="+")
    group_kind = models.CharField(max_length=12, choices=PeerGroupKind.choices)
    group_value = models.PositiveIntegerField(default=0)
    dimension = models.CharField(max_length=48)
    bucket = models.IntegerField(default=0)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "group_kind", "group_value", "dimension", "bucket"],
                name="peer_bucket_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_kind}:{self.group_value} {self.dimension}[{self.bucket}]={self.count}"
