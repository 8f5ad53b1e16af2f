"""Who counts: a person enters figures about others only once the network vouches for them.

Sign-up is open, so a person costs a few minutes to make: a threshold of k persons protects
nobody if the k − 1 others can be created at will. Only assessments of **established** people
(e-mail confirmed, i.e. an active account, and vouched for by the network) enter any figure about
others. Everyone may still sign up, self-assess and read their own results.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class VouchSource(models.TextChoices):
    INVITATION = "invitation", "invité·e par un administrateur du réseau"
    CAMPAIGN = "campagne", "population importée d'une campagne"
    APPROVAL = "approbation", "inscription approuvée par un administrateur du réseau"
    DEMO = "demo", "données de démonstration"


class Vouch(models.Model):
    """The network's word that an account is a real person (one per account)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="vouch")
    source = models.CharField("origine", max_length=20, choices=VouchSource.choices)
    vouched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    created_at = models.DateTimeField("reconnu·e le", default=timezone.now)

    class Meta:
        verbose_name = "reconnaissance par le réseau"
        verbose_name_plural = "reconnaissances par le réseau"

    def __str__(self) -> str:
        return f"{self.user} ({self.get_source_display()})"


def established(prefix: str = "user") -> Q:
    """Filter for rows whose person (reached through ``prefix``) is established.

    ``Assessment.objects.filter(established())``, ``User.objects.filter(established(""))``.
    """
    path = f"{prefix}__" if prefix else ""
    return Q(**{f"{path}is_active": True, f"{path}vouch__isnull": False})
