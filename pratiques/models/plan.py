"""A person's development plan: what they decide to develop after a submitted self-assessment.

Personal data: a plan never feeds an aggregate, a public page, a network export or a campaign
dataset. Items name their practice by its stable key (so they survive grid versions) and keep
the code and label the person saw.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from pratiques.models.assessment import Assessment, Organisation
from pratiques.models.resources import Resource


class PlanStatus(models.TextChoices):
    TODO = "a_faire", "À faire"
    DOING = "en_cours", "En cours"
    REACHED = "atteint", "Atteint"
    DROPPED = "abandonne", "Abandonné"


OPEN_STATUSES = (PlanStatus.TODO, PlanStatus.DOING)


class DevelopmentWay(models.IntegerChoices):
    """The way to develop a practice (the values of the « portage » scale)."""

    INTERNAL = 1, "En interne"
    PARTNERSHIP = 2, "En partenariat"
    BOTH = 3, "Les deux"


class DevelopmentPlan(models.Model):
    """The plan proposed when an assessment is submitted; the latest one is « mon plan »."""

    assessment = models.OneToOneField(
        Assessment, models.CASCADE, related_name="plan", verbose_name="auto-évaluation"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="pratiques_plans",
        verbose_name="auteur·rice",
    )
    # The organisation the plan is shared with (none: not shared, the default).
    shared_with = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="shared_plans",
        verbose_name="partagé avec",
    )
    reminders = models.BooleanField("rappels par courriel", default=False)
    reviewed_at = models.DateTimeField("bilan fait le", null=True, blank=True)
    is_demo = models.BooleanField("données de démonstration", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "plan de développement"
        verbose_name_plural = "plans de développement"
        indexes = [models.Index(fields=["user", "-created_at"], name="plan_user_created")]

    def __str__(self) -> str:
        return f"Plan {self.pk} (auto-évaluation {self.assessment_id})"

    def get_absolute_url(self) -> str:
        return reverse("pratiques:plan_detail", kwargs={"pk": self.pk})


class PlanItem(models.Model):
    plan = models.ForeignKey(DevelopmentPlan, models.CASCADE, related_name="items")
    practice_key = models.UUIDField("clé de la pratique")
    practice_code = models.CharField("code de la pratique", max_length=12)
    practice_label = models.CharField("pratique", max_length=200)
    way = models.PositiveSmallIntegerField(
        "façon de la développer", choices=DevelopmentWay.choices, null=True, blank=True
    )
    target_frequency = models.PositiveSmallIntegerField("fréquence visée", null=True, blank=True)
    target_involvement = models.PositiveSmallIntegerField(
        "implication visée", null=True, blank=True
    )
    resources = models.ManyToManyField(
        Resource, blank=True, related_name="+", verbose_name="ressources choisies"
    )
    links = models.TextField("autres liens", blank=True)
    partner = models.CharField("partenaire", max_length=200, blank=True)
    starts_on = models.DateField("début", null=True, blank=True)
    due_on = models.DateField("échéance", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=PlanStatus.choices, default=PlanStatus.TODO
    )
    status_on = models.DateField("statut depuis le", null=True, blank=True)
    note = models.TextField("note", blank=True)
    carried_from = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_into",
        verbose_name="reporté depuis",
    )
    reviewed_at = models.DateTimeField("bilan fait le", null=True, blank=True)
    # Each reminder leaves once: stamped in the statement that claims it.
    reminder_soon_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_overdue_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Set by the queries that read an item (not stored): past its due date.
    overdue: bool = False

    class Meta:
        ordering = ["practice_code"]
        verbose_name = "élément d'un plan de développement"
        verbose_name_plural = "éléments des plans de développement"
        constraints = [
            models.UniqueConstraint(fields=["plan", "practice_key"], name="plan_item_unique"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(starts_on__lte=models.F("due_on")),
                name="plan_item_starts_before_due",
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="plan_item_due")]

    def __str__(self) -> str:
        return f"{self.practice_code} {self.practice_label}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]
