"""The base of inspiring examples: partnerships told by the network, linked to fragilities and
practices, reviewed before they are published."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone


class ExampleStatus(models.TextChoices):
    DRAFT = "brouillon", "brouillon"
    PROPOSED = "propose", "proposé"
    PUBLISHED = "publie", "publié"
    WITHDRAWN = "retire", "retiré"


class Impact(models.TextChoices):
    """The three impacts of alliances (REFERENTIEL §3)."""

    PERFORMANCE = "performance", "Performance (temps court, 18 mois)"
    INNOVATION = "innovation", "Innovation (cycle de 7 ans)"
    TRUST = "confiance", "Confiance (temps long, 28 ans)"


# The French text-search vector of ``search_text``, stored (a generated column): ranking reads it
# instead of parsing every matching row again.
SEARCH_VECTOR = SearchVector("search_text", config="french")


class Example(models.Model):
    title = models.CharField("titre", max_length=250)
    summary = models.TextField("résumé", max_length=1000)
    # Sanitised HTML (nh3, pratiques.examples.text.clean_body) — never stored raw.
    body = models.TextField("texte", blank=True)
    territories = models.ManyToManyField(
        "territoires.Territory", blank=True, related_name="examples", verbose_name="territoires"
    )
    # Derived from the territories (pratiques.examples.services): filters read one table.
    segment_codes = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    region_codes = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    actor_profiles = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    fragilities = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    practices = ArrayField(models.UUIDField(), default=list, blank=True)
    impact = models.CharField("impact", max_length=12, choices=Impact.choices, blank=True)
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    source_url = models.URLField("lien de la source", max_length=500, blank=True)
    licence = models.CharField("licence", max_length=120, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=ExampleStatus.choices, default=ExampleStatus.DRAFT
    )
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    # Accent-free words of title, summary and body (territoires.text.normalize).
    search_text = models.TextField(editable=False, default="")
    search_vector = models.GeneratedField(
        expression=SEARCH_VECTOR, output_field=SearchVectorField(), db_persist=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField("données de démonstration", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "exemple inspirant"
        verbose_name_plural = "exemples inspirants"
        indexes = [
            GinIndex(fields=["search_vector"], name="example_search_french"),
            GinIndex(fields=["fragilities"], name="example_fragilities"),
            GinIndex(fields=["practices"], name="example_practices"),
            models.Index(
                fields=["status", "-published_at", "-id"], name="example_status_published"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pratiques:example_detail", kwargs={"pk": self.pk})


class ExampleEvent(models.Model):
    """One change of status, with who and when (the example's history)."""

    example = models.ForeignKey(Example, models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=ExampleStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ExampleStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField("note", max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "changement de statut d'un exemple"
        verbose_name_plural = "changements de statut des exemples"

    def __str__(self) -> str:
        return f"{self.example_id}: {self.from_status} → {self.to_status}"
