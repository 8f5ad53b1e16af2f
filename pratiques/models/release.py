"""Dated releases (« diffusions ») of the aggregates that leave a person's own view."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Release(models.Model):
    """One dated release: every public practice aggregate is read from the latest one."""

    released_at = models.DateTimeField("diffusée le", default=timezone.now, db_index=True)
    trigger = models.CharField("origine", max_length=40, blank=True)
    people = models.PositiveIntegerField("personnes prises en compte", default=0)
    # The noise and rounding in force, kept with the release (they may change later).
    parameters = models.JSONField("paramètres", default=dict)

    class Meta:
        verbose_name = "diffusion des agrégats"
        verbose_name_plural = "diffusions des agrégats"
        ordering = ["-released_at", "-pk"]

    def __str__(self) -> str:
        return f"Diffusion du {timezone.localtime(self.released_at):%d/%m/%Y}"


class ReleasedAggregate(models.Model):
    """The published figures of one scope in one release, already protected (plain JSON).

    ``scope``: « commune:94080 », « epci:200054781 », « pays:FR », « projet:<code> »…
    ``members`` (never shown) are the people behind the figures, for the differencing checks of
    the next releases; ``drawn_in`` is the release whose noise the figures carry (a scope that
    changed by fewer than k people keeps its previous figures).
    """

    release = models.ForeignKey(Release, models.CASCADE, related_name="aggregates")
    scope = models.CharField(max_length=80)
    status = models.CharField(max_length=12)  # published / below / suppressed
    figures = models.JSONField(default=dict)
    members = models.JSONField(default=list)
    drawn_in = models.ForeignKey(Release, models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "scope"], name="released_aggregate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} ({self.status})"
