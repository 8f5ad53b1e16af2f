"""Indicators of the fiches Repères, their values per territory and year, and import runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from config.typography import french_date
from territoires.models import Fragility, Level, Territory


class Collection(models.TextChoices):
    """The three collections of the fiches Repères."""

    TERRITOIRES = "territoires", "Territoires"
    ACTEURS = "acteurs", "Acteurs"
    DOMAINES = "domaines", "Domaines"


class Polarity(models.TextChoices):
    """Whether a high value signals a fragility or a strength."""

    FRAGILITY = "fragilite", "fragilité (plus c’est élevé, plus c’est fragile)"
    STRENGTH = "atout", "atout (plus c’est élevé, mieux c’est)"
    UNSPECIFIED = "", "non précisée par la source"


class Kind(models.TextChoices):
    """What a value measures: a count is positioned among peers per 1 000 inhabitants, never raw."""

    COUNT = "effectif", "effectif (positionné pour 1 000 habitants)"
    RATE = "taux", "taux ou part"
    AMOUNT = "valeur", "valeur par habitant, moyenne ou médiane"
    UNSPECIFIED = "", "nature non précisée par la source"


PER_INHABITANTS = 1000


def default_levels() -> list[str]:
    return [Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT, Level.REGION, Level.COUNTRY]


class Indicator(models.Model):
    code = models.CharField("code", max_length=60, unique=True)
    label = models.CharField("libellé", max_length=300)
    unit = models.CharField("unité", max_length=60, blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    vintage = models.CharField("millésime", max_length=40, blank=True)
    collection = models.CharField(
        "collection des fiches Repères",
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
        verbose_name="domaine de fragilité",
    )
    polarity = models.CharField("polarité", max_length=10, choices=Polarity.choices, blank=True)
    # Level values (« commune », « epci »…) at which the indicator is published.
    levels = models.JSONField("niveaux territoriaux", default=default_levels, blank=True)
    additive = models.BooleanField(
        "additif (effectif)",
        default=False,
        help_text=(
            "Un effectif se somme des communes vers l’EPCI, le département, la région ; "
            "un taux ne se moyenne jamais."
        ),
    )
    kind = models.CharField(
        "nature",
        max_length=10,
        choices=Kind.choices,
        blank=True,
        help_text=(
            "Un effectif est situé parmi les pairs rapporté à la population (pour 1 000 "
            "habitants) ; un taux, une part ou une valeur médiane tels quels."
        ),
    )
    is_demo = models.BooleanField("données de démonstration", default=False)
    note = models.TextField("note", blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"

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
    year = models.PositiveSmallIntegerField("année")
    value = models.FloatField("valeur", null=True, blank=True)

    class Meta:
        verbose_name = "valeur d’indicateur"
        verbose_name_plural = "valeurs d’indicateurs"

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.territory_id} {self.year} = {self.value}"


class ImportKind(models.TextChoices):
    CATALOGUE = "catalogue", "Catalogue d’indicateurs"
    VALUES = "valeurs", "Valeurs d’indicateurs"


class ImportStatus(models.TextChoices):
    PENDING = "attente", "en attente"
    RUNNING = "en_cours", "en cours"
    SUCCEEDED = "reussi", "réussi"
    REFUSED = "refuse", "refusé (problèmes à corriger)"
    FAILED = "echec", "échec technique"


class ImportRun(models.Model):
    """Every import, dry run or real: who, when, which file, what it did."""

    kind = models.CharField("type", max_length=10, choices=ImportKind.choices)
    dry_run = models.BooleanField("essai à blanc", default=True)
    status = models.CharField(
        "statut", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    file_name = models.CharField("fichier", max_length=255)
    file_path = models.CharField("fichier stocké", max_length=500, blank=True)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    level = models.CharField("niveau", max_length=16, choices=Level.choices, default=Level.COMMUNE)
    code_column = models.CharField("colonne du code", max_length=60, default="CODGEO")
    layout = models.CharField("format", max_length=10, blank=True)
    rows_read = models.PositiveIntegerField("lignes lues", default=0)
    values_read = models.PositiveIntegerField("valeurs lues", default=0)
    created = models.PositiveIntegerField("créées", default=0)
    updated = models.PositiveIntegerField("modifiées", default=0)
    unchanged = models.PositiveIntegerField("inchangées", default=0)
    duration = models.FloatField("durée (s)", null=True, blank=True)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    progress_label = models.CharField("étape", max_length=200, blank=True)
    problems = models.JSONField("problèmes", default=list, blank=True)
    problem_count = models.PositiveIntegerField("nombre de problèmes", default=0)
    message = models.TextField("message", blank=True)
    confirms = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="confirmations",
        verbose_name="confirme l’essai",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "import"
        verbose_name_plural = "imports"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.get_status_display()})"

    @property
    def is_done(self) -> bool:
        return self.status not in (ImportStatus.PENDING, ImportStatus.RUNNING)

    @property
    def changed(self) -> int:
        return self.created + self.updated


class BatchStatus(models.TextChoices):
    QUEUED = "queued", "en attente"
    RUNNING = "running", "en cours"
    FINISHED = "finished", "terminé"


class ReportBatch(models.Model):
    """A batch of territory reports and its progress, one row like an ImportRun's: written by the
    worker (``observatoire.report.batch.write_progress``), read by the batch pages."""

    id = models.CharField("identifiant", primary_key=True, max_length=32)  # uuid4 hex, in the URL
    level = models.CharField("niveau", max_length=16, choices=Level.choices)
    codes = models.JSONField("codes demandés", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    total = models.PositiveIntegerField("rapports à traiter", null=True, blank=True)
    done = models.PositiveIntegerField("traités", default=0)
    rendered = models.PositiveIntegerField("produits", default=0)
    cached = models.PositiveIntegerField("déjà à jour", default=0)
    failed = models.PositiveIntegerField("en échec", default=0)
    failures = models.JSONField("rapports en échec", default=list, blank=True)
    last_code = models.CharField("dernier code traité", max_length=40, null=True, blank=True)
    processes = models.PositiveSmallIntegerField("processus", null=True, blank=True)
    per_minute = models.PositiveIntegerField("rapports par minute", null=True, blank=True)
    seconds = models.FloatField("durée (s)", null=True, blank=True)
    resumed = models.PositiveSmallIntegerField("reprises", default=0)
    task_id = models.CharField("tâche", max_length=64, null=True, blank=True)
    created_at = models.DateTimeField("créé le", db_index=True)
    started_at = models.DateTimeField("démarré le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    # Progress keys without a column of their own (kept as the worker wrote them).
    extra = models.JSONField("autres informations", default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "lot de rapports"
        verbose_name_plural = "lots de rapports"

    def __str__(self) -> str:
        return f"{self.get_level_display()} {french_date(timezone.localtime(self.created_at))} {timezone.localtime(self.created_at):%H:%M} ({self.get_status_display()})"


class PeerDistribution(models.Model):
    """Distribution of an indicator's values among the territories of one level and size
    segment, one year: the number of territories with a value and 101 quantiles (0 %, 1 % …
    100 %). Rebuilt in SQL after each import (see ``imports.loading.peer_distributions_refresh``)
    so that a territory page reads a few rows instead of sorting every peer's value."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="distributions")
    year = models.PositiveSmallIntegerField("année")
    level = models.CharField("niveau", max_length=16, choices=Level.choices)
    segment = models.ForeignKey(
        "territoires.SizeSegment", models.CASCADE, related_name="+", verbose_name="segment"
    )
    count = models.PositiveIntegerField("territoires ayant une valeur")
    quantiles = models.JSONField("quantiles (0 à 100 %)")

    class Meta:
        verbose_name = "distribution parmi les pairs"
        verbose_name_plural = "distributions parmi les pairs"
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
    year = models.PositiveSmallIntegerField("année")
    level = models.CharField("niveau", max_length=16, choices=Level.choices)
    digest = models.CharField("empreinte", max_length=64)
    rows = models.PositiveIntegerField("valeurs", default=0)
    run = models.ForeignKey(
        ImportRun,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="import",
    )

    class Meta:
        verbose_name = "empreinte de valeurs importées"
        verbose_name_plural = "empreintes de valeurs importées"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "level"], name="values_digest_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year} {self.level} {self.digest[:12]}"


class ApiCallCount(models.Model):
    """Anonymous calls to the open-data API per address and minute (its rate limit).

    One upsert per call (``observatoire.services.api_call_counted``); an UNLOGGED table (migration
    0009): a counter lost in a crash costs nothing, and no call waits for the WAL.
    """

    pk = models.CompositePrimaryKey("client", "minute")
    client = models.CharField("adresse", max_length=64)
    minute = models.PositiveIntegerField("minute (depuis 1970)")
    calls = models.PositiveIntegerField("appels", default=0)

    class Meta:
        verbose_name = "appels anonymes à l’API"
        verbose_name_plural = "appels anonymes à l’API"

    def __str__(self) -> str:
        return f"{self.client} {self.minute}: {self.calls}"


# The territorial dialogues' tables belong to this app; their module is observatoire/dialogues.
from observatoire.dialogues.models import (  # noqa: E402, F401
    Dialogue,
    DialogueInitiative,
    DialogueInvitee,
    DialogueResponse,
    DialogueSnapshot,
    DialogueStatus,
    InitiativeStatus,
    PerceivedFragility,
    ResponseVia,
)
