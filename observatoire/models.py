"""Indicators of the fiches Repères, their values per territory and year, and import runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from territoires.models import Fragility, Level, Territory


class Collection(models.TextChoices):
    """The three collections of the fiches Repères."""

    TERRITOIRES = "territoires", _("Territoires")
    ACTEURS = "acteurs", _("Acteurs")
    DOMAINES = "domaines", _("Domaines")


class Polarity(models.TextChoices):
    """Whether a high value signals a fragility or a strength."""

    FRAGILITY = "fragilite", _("fragilité (plus c’est élevé, plus c’est fragile)")
    STRENGTH = "atout", _("atout (plus c’est élevé, mieux c’est)")
    UNSPECIFIED = "", _("non précisée par la source")


class Kind(models.TextChoices):
    """What a value measures: a count is positioned among peers per 1 000 inhabitants, never raw."""

    COUNT = "effectif", _("effectif (positionné pour 1 000 habitants)")
    RATE = "taux", _("taux ou part")
    AMOUNT = "valeur", _("valeur par habitant, moyenne ou médiane")
    UNSPECIFIED = "", _("nature non précisée par la source")


PER_INHABITANTS = 1000


def default_levels() -> list[str]:
    return [Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT, Level.REGION, Level.COUNTRY]


class Indicator(models.Model):
    code = models.CharField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("libellé"), max_length=300)
    unit = models.CharField(_("unité"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    vintage = models.CharField(_("millésime"), max_length=40, blank=True)
    collection = models.CharField(
        _("collection des fiches Repères"),
        max_length=12,
        choices=Collection.choices,
        default=Collection.DOMAINES,
    )
    fragility = models.ForeignKey(
        Fragility,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("domaine de fragilité"),
    )
    polarity = models.CharField(_("polarité"), max_length=10, choices=Polarity.choices, blank=True)
    # Level values (« commune », « epci »…) at which the indicator is published.
    levels = models.JSONField(_("niveaux territoriaux"), default=default_levels, blank=True)
    additive = models.BooleanField(
        _("additif (effectif)"),
        default=False,
        help_text=_(
            "Un effectif se somme des communes vers l’EPCI, le département, la région ; "
            "un taux ne se moyenne jamais."
        ),
    )
    kind = models.CharField(
        _("nature"),
        max_length=10,
        choices=Kind.choices,
        blank=True,
        help_text=_(
            "Un effectif est situé parmi les pairs rapporté à la population (pour 1 000 "
            "habitants) ; un taux, une part ou une valeur médiane tels quels."
        ),
    )
    is_demo = models.BooleanField(_("données de démonstration"), default=False)
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"

    @property
    def is_count(self) -> bool:
        return self.kind == Kind.COUNT


class IndicatorValue(models.Model):
    """One value per indicator × territory × year; a missing value is NULL, never 0.

    The composite primary key is also the index of the peer comparisons (per indicator); bulk
    loads go through ``observatoire.imports.loading`` (COPY), never the ORM row by row.

    The table is partitioned by year (PostgreSQL LIST partitions, migration 0006): a national
    vintage is loaded into a table of its own, indexed, then attached, so readers of the other
    years never wait; other years live in the default partition. No foreign key in the database
    (a 11 M-row check at each load): the loader takes its ids from the catalogue and the
    geography and locks them (``imports.partitions``); Django cascades deletions.
    """

    pk = models.CompositePrimaryKey("indicator", "territory", "year")
    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="values", db_index=False, db_constraint=False
    )
    territory = models.ForeignKey(
        Territory, models.CASCADE, related_name="indicator_values", db_constraint=False
    )
    year = models.PositiveSmallIntegerField(_("année"))
    value = models.FloatField(_("valeur"), null=True, blank=True)

    class Meta:
        verbose_name = _("valeur d’indicateur")
        verbose_name_plural = _("valeurs d’indicateurs")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.territory_id} {self.year} = {self.value}"


class ImportKind(models.TextChoices):
    CATALOGUE = "catalogue", _("Catalogue d’indicateurs")
    VALUES = "valeurs", _("Valeurs d’indicateurs")


class ImportStatus(models.TextChoices):
    PENDING = "attente", _("en attente")
    RUNNING = "en_cours", _("en cours")
    SUCCEEDED = "reussi", _("réussi")
    REFUSED = "refuse", _("refusé (problèmes à corriger)")
    FAILED = "echec", _("échec technique")


class ImportRun(models.Model):
    """Every import, dry run or real: who, when, which file, what it did."""

    kind = models.CharField(_("type"), max_length=10, choices=ImportKind.choices)
    dry_run = models.BooleanField(_("essai à blanc"), default=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    file_name = models.CharField(_("fichier"), max_length=255)
    file_path = models.CharField(_("fichier stocké"), max_length=500, blank=True)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    level = models.CharField(
        _("niveau"), max_length=16, choices=Level.choices, default=Level.COMMUNE
    )
    code_column = models.CharField(_("colonne du code"), max_length=60, default="CODGEO")
    layout = models.CharField(_("format"), max_length=10, blank=True)
    rows_read = models.PositiveIntegerField(_("lignes lues"), default=0)
    values_read = models.PositiveIntegerField(_("valeurs lues"), default=0)
    created = models.PositiveIntegerField(_("créées"), default=0)
    updated = models.PositiveIntegerField(_("modifiées"), default=0)
    unchanged = models.PositiveIntegerField(_("inchangées"), default=0)
    duration = models.FloatField(_("durée (s)"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    progress_label = models.CharField(_("étape"), max_length=200, blank=True)
    problems = models.JSONField(_("problèmes"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("nombre de problèmes"), default=0)
    message = models.TextField(_("message"), blank=True)
    confirms = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="confirmations",
        verbose_name=_("confirme l’essai"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.get_status_display()})"

    @property
    def is_done(self) -> bool:
        return self.status not in (ImportStatus.PENDING, ImportStatus.RUNNING)

    @property
    def changed(self) -> int:
        return self.created + self.updated


class PeerDistribution(models.Model):
    """Distribution of an indicator's values among the territories of one level and size
    segment, one year: the number of territories with a value and 101 quantiles (0 %, 1 % …
    100 %). Rebuilt in SQL after each import (see ``imports.loading.peer_distributions_refresh``)
    so that a territory page reads a few rows instead of sorting every peer's value."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="distributions")
    year = models.PositiveSmallIntegerField(_("année"))
    level = models.CharField(_("niveau"), max_length=16, choices=Level.choices)
    segment = models.ForeignKey(
        "territoires.SizeSegment", models.CASCADE, related_name="+", verbose_name=_("segment")
    )
    count = models.PositiveIntegerField(_("territoires ayant une valeur"))
    quantiles = models.JSONField(_("quantiles (0 à 100 %)"))

    class Meta:
        verbose_name = _("distribution parmi les pairs")
        verbose_name_plural = _("distributions parmi les pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "level", "segment"], name="peer_distribution_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year} {self.level} {self.segment_id} (n={self.count})"


class ValuesDigest(models.Model):
    """Checksum of the rows an import wrote for one indicator, year and level (the file's
    normalised values, sorted by territory): a re-import whose checksum is the same skips them.
    Any other write to those rows deletes the checksum (aggregates, demo data, reference figures)."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("année"))
    level = models.CharField(_("niveau"), max_length=16, choices=Level.choices)
    digest = models.CharField(_("empreinte"), max_length=64)
    rows = models.PositiveIntegerField(_("valeurs"), default=0)
    run = models.ForeignKey(
        ImportRun,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import"),
    )

    class Meta:
        verbose_name = _("empreinte de valeurs importées")
        verbose_name_plural = _("empreintes de valeurs importées")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "level"], name="values_digest_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year} {self.level} {self.digest[:12]}"
