"""M.E.D.O.C. resources (Méthodes, Exemples, Données, Outils, Compétences) and their practices."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ResourceKind(models.TextChoices):
    METHODS = "methodes", "Méthodes"
    EXAMPLES = "exemples", "Exemples"
    DATA = "donnees", "Données"
    TOOLS = "outils", "Outils"
    SKILLS = "competences", "Compétences"


class Resource(models.Model):
    title = models.CharField("titre", max_length=250)
    kind = models.CharField("nature", max_length=12, choices=ResourceKind.choices)
    url = models.URLField("lien", max_length=500, blank=True)
    description = models.TextField("description", blank=True)
    source = models.CharField(
        "publication qui la cite",
        max_length=300,
        blank=True,
        help_text="La publication où la ressource est nommée.",
    )
    note = models.CharField(
        "note",
        max_length=300,
        blank=True,
        help_text="Ce que la publication ne dit pas (lien, description…).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = "ressource"
        verbose_name_plural = "ressources"

    def __str__(self) -> str:
        return self.title


class ResourceAttachment(models.Model):
    """A resource suggested for a practice, by the practice's stable key: it survives versions."""

    resource = models.ForeignKey(Resource, models.CASCADE, related_name="attachments")
    practice_key = models.UUIDField("clé de la pratique", db_index=True)
    is_demo = models.BooleanField("données de démonstration", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resource__kind", "resource__title"]
        verbose_name = "ressource rattachée à une pratique"
        verbose_name_plural = "ressources rattachées aux pratiques"
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "practice_key"], name="resource_attachment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource} → {self.practice_key}"
