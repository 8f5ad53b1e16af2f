from __future__ import annotations

from django.conf import settings
from django.db import models


class LegalPage(models.TextChoices):
    MENTIONS = "mentions-legales", "Mentions légales"
    PERSONAL_DATA = "donnees-personnelles", "Données personnelles"
    ACCESSIBILITY = "accessibilite", "Déclaration d’accessibilité"
    CONTACT = "contact", "Contact"


class LegalText(models.Model):
    """One version of the operator's text of a legal page: never changed, never deleted; the
    page shows the latest, the history lists them all."""

    page = models.CharField("page", max_length=32, choices=LegalPage.choices)
    body = models.TextField("texte")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "texte d’une page légale"
        verbose_name_plural = "textes des pages légales"
        indexes = [models.Index(fields=["page", "-created_at"], name="legaltext_page_latest")]

    def __str__(self) -> str:
        return f"{self.get_page_display()} ({self.created_at:%d/%m/%Y %H:%M})"
