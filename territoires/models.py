"""Places, their size, maturity and fragilities, and the reference lists that describe them.

This app knows nothing of ``pratiques`` or ``observatoire``: they refer to it, never the reverse.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from territoires.text import normalize


class Level(models.TextChoices):
    """Administrative level of a territory; also the ``<niveau>`` segment of its address."""

    COUNTRY = "pays", _("France")
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    COMMUNE = "commune", _("Commune")
    PROJECT = "projet", _("Territoire de projet")


class Echelon(models.TextChoices):
    """The five territorial levels (échelons) of the publications."""

    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Régional")
    NATIONAL = "national", _("National")
    EUROPEAN = "europeen", _("Européen")
    INTERNATIONAL = "international", _("International")


ECHELON_OF_LEVEL = {
    Level.COMMUNE: Echelon.LOCAL,
    Level.EPCI: Echelon.LOCAL,
    Level.DEPARTEMENT: Echelon.LOCAL,
    Level.PROJECT: Echelon.LOCAL,
    Level.REGION: Echelon.REGIONAL,
    Level.COUNTRY: Echelon.NATIONAL,
}


class SizeSegment(models.Model):
    """A population band (étude IMPACT-Élus locaux 2020) and its priority lever."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=120)
    min_population = models.PositiveIntegerField(_("population minimale (incluse)"))
    max_population = models.PositiveIntegerField(
        _("population maximale (exclue)"), null=True, blank=True
    )
    priority_lever = models.CharField(_("levier prioritaire"), max_length=120)
    lever_description = models.TextField(_("description du levier"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "min_population"]
        verbose_name = _("segment de taille")
        verbose_name_plural = _("segments de taille")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_population__isnull=True)
                | Q(max_population__gt=models.F("min_population")),
                name="segment_bounds_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.label

    def contains(self, population: int) -> bool:
        return population >= self.min_population and (
            self.max_population is None or population < self.max_population
        )

    @classmethod
    def for_population(
        cls, population: int | None, segments: list[SizeSegment] | None = None
    ) -> SizeSegment | None:
        """The segment of a population; pass ``segments`` to avoid a query in loops."""
        if population is None:
            return None
        for segment in segments if segments is not None else cls.objects.all():
            if segment.contains(population):
                return segment
        return None


class Territory(models.Model):
    """Every level in one table: France, régions, départements, EPCI, communes, projects."""

    level = models.CharField(_("niveau"), max_length=12, choices=Level.choices, db_index=True)
    code = models.CharField(
        _("code officiel"),
        max_length=20,
        help_text=_(
            "Code INSEE (commune, département, région), SIREN (EPCI), identifiant (projet)."
        ),
    )
    name = models.CharField(_("nom"), max_length=200)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    echelon = models.CharField(_("échelon"), max_length=14, choices=Echelon.choices)
    kind = models.CharField(
        _("nature"),
        max_length=40,
        blank=True,
        help_text=_(
            "Nature précise dans la source : « collectivite-outremer », « CA », « CC », « METRO »…"
        ),
    )
    region = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("région")
    )
    departement = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département"),
    )
    epci = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_communes",
        verbose_name=_("intercommunalité"),
    )
    postal_codes = models.CharField(_("codes postaux"), max_length=400, blank=True)
    # Normalised name (see territoires.text.normalize), indexed for prefix search.
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    members = models.ManyToManyField(
        "self",
        through="ProjectMember",
        through_fields=("project", "member"),
        symmetrical=False,
        related_name="projects",
        blank=True,
        verbose_name=_("membres (territoire de projet)"),
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="territory_level_code_unique")
        ]
        indexes = [
            models.Index(
                fields=["search_name"],
                name="territory_search_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["level", "population"], name="territory_level_population"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.level != Level.COUNTRY else self.name

    def save(self, *args, **kwargs) -> None:
        # Derived columns only; no business logic here.
        self.search_name = normalize(self.name)
        if not self.echelon:
            self.echelon = ECHELON_OF_LEVEL[Level(self.level)]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("territoires:detail", kwargs={"level": self.level, "code": self.code})

    def size_segment(self, segments: list[SizeSegment] | None = None) -> SizeSegment | None:
        return SizeSegment.for_population(self.population, segments)


class ProjectMember(models.Model):
    """An EPCI or commune inside a territoire de projet (PETR, Pays…)."""

    project = models.ForeignKey(
        Territory,
        models.CASCADE,
        related_name="memberships",
        limit_choices_to={"level": Level.PROJECT},
    )
    member = models.ForeignKey(
        Territory,
        models.PROTECT,
        related_name="project_memberships",
        limit_choices_to={"level__in": [Level.EPCI, Level.COMMUNE]},
    )

    class Meta:
        verbose_name = _("membre d'un territoire de projet")
        verbose_name_plural = _("membres d'un territoire de projet")
        constraints = [
            models.UniqueConstraint(fields=["project", "member"], name="project_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.project}"


class ReferenceItem(models.Model):
    """Common shape of the curated reference lists: a stable code, an exact label, an order."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class FragilityCriterion(ReferenceItem):
    """Économiques, sociaux, sociétaux, environnementaux."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("critère de fragilité")
        verbose_name_plural = _("critères de fragilité")


class Fragility(ReferenceItem):
    """One of the 16 domains of action facing perceived and lived fragilities."""

    criterion = models.ForeignKey(
        FragilityCriterion,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="fragilities",
        verbose_name=_("critère"),
    )
    criterion_note = models.CharField(
        _("origine du rattachement"),
        max_length=300,
        blank=True,
        help_text=_(
            "D'où vient le rattachement au critère (lu sur la figure, ou choix du réseau)."
        ),
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("fragilité")
        verbose_name_plural = _("fragilités")


class ActorProfile(ReferenceItem):
    """The 10 actor profiles of the Observatoire des partenariats."""

    has_repere_sheet = models.BooleanField(_("fiche Repères « Acteurs »"), default=False)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("profil d'acteur")
        verbose_name_plural = _("profils d'acteurs")


class Engineering(ReferenceItem):
    """The 3 territorial engineerings."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("ingénierie territoriale")
        verbose_name_plural = _("ingénieries territoriales")


class MaturityProfile(ReferenceItem):
    """One of the 4 maturity profiles; the publications do not name them, admins curate labels."""

    rank = models.PositiveSmallIntegerField(_("rang (1 à 4)"), unique=True)

    class Meta(ReferenceItem.Meta):
        ordering = ["rank"]
        verbose_name = _("profil de maturité")
        verbose_name_plural = _("profils de maturité")
