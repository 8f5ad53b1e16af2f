"""What curating the grid leaves behind: the history of changes and the lineage of keys."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from pratiques.models.assessment import Assessment
from pratiques.models.grid import GridVersion


class CurationEvent(models.Model):
    """One change made by a network admin: who, when, what, before and after (JSON)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur·rice",
    )
    # Kept when the account is deleted: the history must stay readable.
    actor_name = models.CharField("nom de l'auteur·rice", max_length=150, blank=True)
    at = models.DateTimeField("date", default=timezone.now, db_index=True)
    action = models.CharField("action", max_length=40)
    summary = models.CharField("résumé", max_length=300)
    version = models.ForeignKey(
        GridVersion,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="version",
    )
    version_label = models.CharField("version (libellé)", max_length=60, blank=True)
    target_type = models.CharField("type d'objet", max_length=40)
    target_id = models.CharField("identifiant", max_length=64, blank=True)
    before = models.JSONField("avant", null=True, blank=True)
    after = models.JSONField("après", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "modification de curation"
        verbose_name_plural = "historique de curation"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} — {self.summary}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value changed."""
        before, after = self.before or {}, self.after or {}
        return [
            (name, before.get(name), after.get(name))
            for name in dict.fromkeys([*before, *after])
            if before.get(name) != after.get(name)
        ]


class LineageKind(models.TextChoices):
    SPLIT = "split", "Scission"
    MERGE = "merge", "Fusion"


class ElementType(models.TextChoices):
    AXIS = "axis", "Axe"
    SITUATION = "situation", "Situation"
    PRACTICE = "practice", "Pratique"


class KeyLineage(models.Model):
    """« new key comes from old key », recorded by an admin for a split or a merge.

    A split gives several rows with the same old key; a merge several rows with the same new key.
    """

    version = models.ForeignKey(
        GridVersion, models.CASCADE, related_name="lineage", verbose_name="version"
    )
    element_type = models.CharField("élément", max_length=10, choices=ElementType.choices)
    kind = models.CharField("nature", max_length=6, choices=LineageKind.choices)
    old_key = models.UUIDField("clé d'origine")
    new_key = models.UUIDField("nouvelle clé")
    note = models.CharField("note", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version", "element_type", "new_key"]
        verbose_name = "filiation de clés"
        verbose_name_plural = "filiations de clés"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "old_key", "new_key"], name="key_lineage_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(old_key=models.F("new_key")), name="key_lineage_distinct"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.old_key} → {self.new_key}"


def new_pseudonym() -> str:
    return "p-" + secrets.token_hex(6)


class AssessmentPseudonym(models.Model):
    """A random, stable pseudonym per assessment for anonymised exports (never the user id)."""

    assessment = models.OneToOneField(
        Assessment, models.CASCADE, related_name="pseudonym", primary_key=True
    )
    pseudonym = models.CharField(max_length=20, unique=True, default=new_pseudonym)

    class Meta:
        verbose_name = "pseudonyme d'auto-évaluation"
        verbose_name_plural = "pseudonymes d'auto-évaluations"

    def __str__(self) -> str:
        return self.pseudonym
