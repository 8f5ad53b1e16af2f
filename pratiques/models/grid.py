"""The versioned qualification grid: version → axis → situation → practice, and answer scales.

Every element carries a ``key`` (UUID) that identifies « the same » element across versions: a
copy keeps the key, a new element gets a new one. Codes (« 1 », « 1.1 ») are per version.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse


class GridStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    PUBLISHED = "published", "Publiée"
    ARCHIVED = "archived", "Archivée"


class Lever(models.TextChoices):
    """The three levers of general interest; an axis carries one of them."""

    GESTION = "gestion", "Gestion régulatrice"
    ACTION = "action", "Action collective transformatrice"
    VISION = "vision", "Vision partagée"


class GridVersionQuerySet(models.QuerySet["GridVersion"]):
    def current(self) -> GridVersion | None:
        """The published version (at most one, by constraint), or None."""
        return self.filter(status=GridStatus.PUBLISHED).first()


class GridVersion(models.Model):
    label = models.CharField("libellé", max_length=60, unique=True)
    slug = models.SlugField(
        "identifiant d'adresse",
        max_length=60,
        unique=True,
        help_text="Utilisé dans /pratiques/grille/<identifiant>/.",
    )
    status = models.CharField(
        "statut", max_length=10, choices=GridStatus.choices, default=GridStatus.DRAFT
    )
    published_at = models.DateField("publiée le", null=True, blank=True)
    archived_at = models.DateField("archivée le", null=True, blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    notes = models.TextField("notes", blank=True)
    scale_note = models.TextField(
        "note sur les échelles de réponse",
        blank=True,
        help_text=(
            "D'où viennent les libellés des échelles (publication ou proposition du réseau)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GridVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-label"]
        verbose_name = "version de la grille"
        verbose_name_plural = "versions de la grille"
        constraints = [
            # At most one current version.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="published"),
                name="grid_single_published_version",
            )
        ]

    def __str__(self) -> str:
        return f"Grille {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("pratiques:grid_version", kwargs={"version": self.slug})

    @property
    def is_current(self) -> bool:
        return self.status == GridStatus.PUBLISHED


class GridElement(models.Model):
    """Common shape: belongs to a version, has a stable key, a code and an order."""

    version = models.ForeignKey(
        GridVersion, models.CASCADE, related_name="+", verbose_name="version"
    )
    key = models.UUIDField(
        "clé stable",
        default=uuid.uuid4,
        help_text="Identifie « le même » élément d'une version à l'autre.",
    )
    code = models.CharField("code", max_length=12)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        abstract = True
        ordering = ["order", "code"]


class Axis(GridElement):
    title = models.CharField("intitulé", max_length=200)
    description = models.CharField(
        "description",
        max_length=300,
        blank=True,
        help_text="Ce pour quoi les compétences de l'axe sont activées.",
    )
    lever = models.CharField("levier", max_length=10, choices=Lever.choices)

    class Meta(GridElement.Meta):
        verbose_name = "axe"
        verbose_name_plural = "axes"
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="axis_version_code_unique"),
            models.UniqueConstraint(fields=["version", "key"], name="axis_version_key_unique"),
        ]

    def __str__(self) -> str:
        return f"Axe {self.code} — {self.title}"


class Situation(GridElement):
    axis = models.ForeignKey(Axis, models.CASCADE, related_name="situations", verbose_name="axe")
    title = models.CharField("intitulé", max_length=200)
    scope_note = models.CharField(
        "précision",
        max_length=300,
        blank=True,
        help_text="Le texte entre parenthèses, affiché sous l'intitulé.",
    )

    class Meta(GridElement.Meta):
        verbose_name = "situation professionnelle"
        verbose_name_plural = "situations professionnelles"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="situation_version_code_unique"
            ),
            models.UniqueConstraint(fields=["version", "key"], name="situation_version_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Practice(GridElement):
    situation = models.ForeignKey(
        Situation, models.CASCADE, related_name="practices", verbose_name="situation"
    )
    label = models.CharField("libellé", max_length=200)

    class Meta(GridElement.Meta):
        verbose_name = "pratique"
        verbose_name_plural = "pratiques"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="practice_version_code_unique"
            ),
            models.UniqueConstraint(fields=["version", "key"], name="practice_version_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Scale(models.TextChoices):
    FREQUENCY = "frequency", "Fréquence"
    INVOLVEMENT = "involvement", "Niveau d'implication"
    CARRYING = "carrying", "Portage"


class ScaleStep(models.Model):
    """One step of an answer scale of a version; admins may reword label and description."""

    version = models.ForeignKey(
        GridVersion, models.CASCADE, related_name="scale_steps", verbose_name="version"
    )
    scale = models.CharField("échelle", max_length=12, choices=Scale.choices)
    value = models.PositiveSmallIntegerField("valeur")
    label = models.CharField("libellé", max_length=80)
    description = models.CharField("description (une ligne)", max_length=240)

    class Meta:
        ordering = ["version", "scale", "value"]
        verbose_name = "échelon d'échelle"
        verbose_name_plural = "échelons d'échelle"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "scale", "value"], name="scale_step_version_scale_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scale_display()} {self.value} — {self.label}"
