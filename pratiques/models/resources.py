"""M.E.D.O.C. resources (Méthodes, Exemples, Données, Outils, Compétences) and their practices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    METHODS = "methodes", _("Méthodes")
    EXAMPLES = "exemples", _("Exemples")
    DATA = "donnees", _("Données")
    TOOLS = "outils", _("Outils")
    SKILLS = "competences", _("Compétences")


class Resource(models.Model):
    title = models.CharField(_("titre"), max_length=250)
    kind = models.CharField(_("nature"), max_length=12, choices=ResourceKind.choices)
    url = models.URLField(_("lien"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(
        _("publication qui la cite"),
        max_length=300,
        blank=True,
        help_text=_("La publication où la ressource est nommée."),
    )
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("Ce que la publication ne dit pas (lien, description…)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")

    def __str__(self) -> str:
        return self.title


class ResourceAttachment(models.Model):
    """A resource suggested for a practice, by the practice's stable key: it survives versions."""

    resource = models.ForeignKey(Resource, models.CASCADE, related_name="attachments")
    practice_key = models.UUIDField(_("clé de la pratique"), db_index=True)
    is_demo = models.BooleanField(_("données de démonstration"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resource__kind", "resource__title"]
        verbose_name = _("ressource rattachée à une pratique")
        verbose_name_plural = _("ressources rattachées aux pratiques")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "practice_key"], name="resource_attachment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource} → {self.practice_key}"
