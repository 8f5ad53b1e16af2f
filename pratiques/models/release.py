"""Dated releases (« diffusions ») of the aggregates that leave a person's own view."""

from __future__ import annotations

from django.conf import settings
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
    # The noise's seed: a keyed digest of the exact contributions behind the figures (never of
    # the scope's name or the date); a digest seen in an earlier release is not a new draw.
    digest = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "scope"], name="released_aggregate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} ({self.status})"


class PrivacySpend(models.Model):
    """A person's privacy budget spent in one calendar year (``pratiques.disclosure``): every new
    noise draw whose figures include their data adds its ε (OpenDP composition)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    year = models.PositiveIntegerField("année")
    epsilon = models.FloatField("ε dépensé", default=0.0)
    draws = models.PositiveIntegerField("tirages", default=0)

    class Meta:
        verbose_name = "budget de confidentialité dépensé"
        constraints = [
            models.UniqueConstraint(fields=["user", "year"], name="privacy_spend_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.year}: ε = {self.epsilon:g}"


class ReleasedRecord(models.Model):
    """One person's assessment in the anonymised export of a release (microdata only at
    releases): its generalised quasi-identifiers, a pseudonym new at each release, and its place
    in the shuffled file."""

    release = models.ForeignKey(Release, models.CASCADE, related_name="records")
    assessment = models.ForeignKey("pratiques.Assessment", models.CASCADE, related_name="+")
    pseudonym = models.CharField(max_length=20)
    position = models.PositiveIntegerField()
    classes = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "assessment"], name="released_record_unique")
        ]
        indexes = [models.Index(fields=["release", "position"], name="released_record_order")]

    def __str__(self) -> str:
        return self.pseudonym
