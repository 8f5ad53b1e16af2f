"""Places, their size, maturity and fragilities, and the reference lists that describe them.

This app knows nothing of ``pratiques`` or ``observatoire``: they refer to it, never the reverse.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from territoires.text import normalize, search_prefixes, search_words


class Level(models.TextChoices):
    """Administrative level of a territory; also the ``<niveau>`` segment of its address."""

    COUNTRY = "pays", "France"
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    EPCI = "epci", "Intercommunalité (EPCI)"
    COMMUNE = "commune", "Commune"
    ARRONDISSEMENT = "arrondissement", "Arrondissement municipal"
    PROJECT = "projet", "Territoire de projet"


class Echelon(models.TextChoices):
    """The five territorial levels (échelons) of the publications."""

    LOCAL = "local", "Local"
    REGIONAL = "regional", "Régional"
    NATIONAL = "national", "National"
    EUROPEAN = "europeen", "Européen"
    INTERNATIONAL = "international", "International"


ECHELON_OF_LEVEL = {
    Level.COMMUNE: Echelon.LOCAL,
    Level.ARRONDISSEMENT: Echelon.LOCAL,
    Level.EPCI: Echelon.LOCAL,
    Level.DEPARTEMENT: Echelon.LOCAL,
    Level.PROJECT: Echelon.LOCAL,
    Level.REGION: Echelon.REGIONAL,
    Level.COUNTRY: Echelon.NATIONAL,
}


# The source's codes for « kind » (zone of a région/département/commune, type of an EPCI).
KIND_LABELS = {
    "metro": "métropole (France métropolitaine)",
    "drom": "département ou région d'outre-mer",
    "com": "collectivité d'outre-mer",
    "CC": "communauté de communes",
    "CA": "communauté d'agglomération",
    "CU": "communauté urbaine",
    "METRO": "métropole (EPCI)",
    "MET69": "Métropole de Lyon (collectivité à statut particulier)",
}


# Every way of writing an EPCI's type: « CC du Pays de Gex » still finds « CA du Pays de Gex ».
EPCI_KIND_WORDS = "CC CA CU communauté de communes d'agglomération urbaine"


class SizeSegment(models.Model):
    """A population band (étude IMPACT-Élus locaux 2020) and its priority lever."""

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=120)
    min_population = models.PositiveIntegerField("population minimale (incluse)")
    max_population = models.PositiveIntegerField(
        "population maximale (exclue)", null=True, blank=True
    )
    priority_lever = models.CharField("levier prioritaire", max_length=120)
    lever_description = models.TextField("description du levier", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["order", "min_population"]
        verbose_name = "segment de taille"
        verbose_name_plural = "segments de taille"
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

    level = models.CharField("niveau", max_length=16, choices=Level.choices, db_index=True)
    code = models.CharField(
        "code officiel",
        max_length=20,
        help_text=(
            "Code INSEE (commune, département, région), SIREN (EPCI), identifiant (projet)."
        ),
    )
    name = models.CharField("nom", max_length=200)
    population = models.PositiveIntegerField("population", null=True, blank=True)
    echelon = models.CharField("échelon", max_length=14, choices=Echelon.choices)
    kind = models.CharField(
        "nature",
        max_length=40,
        blank=True,
        help_text=(
            "Nature précise dans la source : « collectivite-outremer », « CA », « CC », « METRO »…"
        ),
    )
    region = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="région"
    )
    departement = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    epci = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_communes",
        verbose_name="intercommunalité",
    )
    # The commune of an arrondissement municipal (Paris, Lyon, Marseille).
    commune = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="arrondissements",
        verbose_name="commune",
    )
    postal_codes = models.CharField("codes postaux", max_length=400, blank=True)
    # Communes déléguées / associées merged into it, earlier EPCI names (shown « anciennement »).
    former_names = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        verbose_name="anciens noms",
    )
    # INSEE codes of the communes merged into it (search; the API answers them with this one).
    former_codes = ArrayField(
        models.CharField(max_length=20),
        default=list,
        blank=True,
        verbose_name="anciens codes",
    )
    # Normalised name (see territoires.text.normalize), indexed for prefix search.
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    # The name's words, plain and glued, for ranking (see territoires.text.search_words).
    search_words = models.TextField(editable=False, default="")
    # Every prefix of every word-suffix of the name, and of the codes (GIN-indexed type-ahead).
    search_prefixes = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, editable=False
    )
    members = models.ManyToManyField(
        "self",
        through="ProjectMember",
        through_fields=("project", "member"),
        symmetrical=False,
        related_name="projects",
        blank=True,
        verbose_name="membres (territoire de projet)",
    )
    description = models.TextField("description", blank=True)
    is_demo = models.BooleanField("données de démonstration", default=False)
    archived_at = models.DateTimeField("archivé le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = "territoire"
        verbose_name_plural = "territoires"
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
            GinIndex(fields=["search_prefixes"], name="territory_search_prefixes"),
            GinIndex(fields=["former_codes"], name="territory_former_codes"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.level != Level.COUNTRY else self.name

    def save(self, *args, **kwargs) -> None:
        # Derived columns only; no business logic here.
        self.search_name = normalize(self.name)
        self.search_words = search_words(self.name)
        self.search_prefixes = search_prefixes(
            self.name,
            self.code,
            self.postal_codes,
            context=self.search_context(),
            former_names=self.former_names,
            former_codes=self.former_codes,
        )
        if not self.echelon:
            self.echelon = ECHELON_OF_LEVEL[Level(self.level)]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("territoires:detail", kwargs={"level": self.level, "code": self.code})

    def search_context(self) -> list[str]:
        """Words a query may add to the name: the département's code and name (« st denis 93 »,
        « st denis reunion »)."""
        context = [EPCI_KIND_WORDS] if self.level == Level.EPCI else []
        if (
            self.departement_id
            and self.level != Level.DEPARTEMENT
            and self.departement is not None  # loaded only when there is one
        ):
            context += [self.departement.code, self.departement.name]
        return context

    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

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
        verbose_name = "membre d'un territoire de projet"
        verbose_name_plural = "membres d'un territoire de projet"
        constraints = [
            models.UniqueConstraint(fields=["project", "member"], name="project_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.project}"


class ReferenceItem(models.Model):
    """Common shape of the curated reference lists: a stable code, an exact label, an order."""

    code = models.SlugField("code", max_length=60, unique=True)
    label = models.CharField("libellé", max_length=200)
    description = models.TextField("description", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        abstract = True
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class FragilityCriterion(ReferenceItem):
    """Économiques, sociaux, sociétaux, environnementaux."""

    class Meta(ReferenceItem.Meta):
        verbose_name = "critère de fragilité"
        verbose_name_plural = "critères de fragilité"


class Fragility(ReferenceItem):
    """One of the 16 domains of action facing perceived and lived fragilities."""

    criterion = models.ForeignKey(
        FragilityCriterion,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="fragilities",
        verbose_name="critère",
    )
    criterion_note = models.CharField(
        "origine du rattachement",
        max_length=300,
        blank=True,
        help_text=("D'où vient le rattachement au critère (lu sur la figure, ou choix du réseau)."),
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = "fragilité"
        verbose_name_plural = "fragilités"


class ActorProfile(ReferenceItem):
    """The 10 actor profiles of the Observatoire des partenariats."""

    has_repere_sheet = models.BooleanField("fiche Repères « Acteurs »", default=False)

    class Meta(ReferenceItem.Meta):
        verbose_name = "profil d'acteur"
        verbose_name_plural = "profils d'acteurs"


class Engineering(ReferenceItem):
    """The 3 territorial engineerings."""

    class Meta(ReferenceItem.Meta):
        verbose_name = "ingénierie territoriale"
        verbose_name_plural = "ingénieries territoriales"


class MaturityProfile(ReferenceItem):
    """One of the 4 maturity profiles; the publications do not name them, admins curate labels."""

    rank = models.PositiveSmallIntegerField("rang (1 à 4)", unique=True)

    class Meta(ReferenceItem.Meta):
        ordering = ["rank"]
        verbose_name = "profil de maturité"
        verbose_name_plural = "profils de maturité"


class MaturityScore(models.IntegerChoices):
    """The platform's scale for each of the 3 dimensions (the publications give none)."""

    EMERGING = 1, "1 — émergent"
    STRUCTURING = 2, "2 — en structuration"
    CONSOLIDATED = 3, "3 — consolidé"
    DRIVING = 4, "4 — moteur"


MATURITY_DIMENSIONS = [
    ("ecosystem_score", "Écosystème : niveau de fragilité et de coopération"),
    ("pivot_score", "Profil et programme d'actions du ou des « pivots » territoriaux"),
    ("skills_score", "Compétences mobilisées par les équipes"),
]


def maturity_rank(*scores: int) -> int:
    """Profile rank = mean of the three scores rounded to the nearest whole, halves upwards.

    A convention of the platform (the publications cross the 3 dimensions without giving a rule).
    """
    total = sum(scores)
    return min(4, max(1, (2 * total + len(scores)) // (2 * len(scores))))


class MaturityAssessment(models.Model):
    """One assessment of a territory's maturity; a new one never overwrites the previous ones."""

    territory = models.ForeignKey(
        Territory, models.CASCADE, related_name="maturity_assessments", verbose_name="territoire"
    )
    ecosystem_score = models.PositiveSmallIntegerField(
        MATURITY_DIMENSIONS[0][1], choices=MaturityScore.choices
    )
    pivot_score = models.PositiveSmallIntegerField(
        MATURITY_DIMENSIONS[1][1], choices=MaturityScore.choices
    )
    skills_score = models.PositiveSmallIntegerField(
        MATURITY_DIMENSIONS[2][1], choices=MaturityScore.choices
    )
    profile = models.ForeignKey(
        MaturityProfile, models.PROTECT, related_name="+", verbose_name="profil de maturité"
    )
    rationale = models.TextField("pourquoi")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="évalué par",
    )
    assessor_name = models.CharField("nom de l'évaluateur", max_length=200, blank=True)
    assessed_at = models.DateTimeField("évalué le", default=timezone.now)
    is_demo = models.BooleanField("données de démonstration", default=False)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        verbose_name = "évaluation de maturité"
        verbose_name_plural = "évaluations de maturité"
        constraints = [
            models.CheckConstraint(
                condition=Q(ecosystem_score__range=(1, 4))
                & Q(pivot_score__range=(1, 4))
                & Q(skills_score__range=(1, 4)),
                name="maturity_scores_in_scale",
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory} — {self.profile} ({self.assessed_at:%d/%m/%Y})"

    def scores(self) -> list[tuple[str, int, str]]:
        return [
            (str(label), getattr(self, field), self.get_score_label(field))
            for field, label in MATURITY_DIMENSIONS
        ]

    def get_score_label(self, field: str) -> str:
        return str(MaturityScore(getattr(self, field)).label)


class FragilityLevel(models.IntegerChoices):
    """The platform's scale for a fragility domain on a territory (the publications give none)."""

    NOT_OBSERVED = 0, "0 — non observée"
    LOW = 1, "1 — faible"
    MODERATE = 2, "2 — marquée"
    HIGH = 3, "3 — forte"


class FragilitySource(models.TextChoices):
    INDICATOR = "indicateur", "Indicateur de l'observatoire"
    DIAGNOSIS = "diagnostic", "Diagnostic local"


class FragilityReading(models.Model):
    """A territory's level on one of the 16 fragility domains, with its source; history kept."""

    territory = models.ForeignKey(
        Territory, models.CASCADE, related_name="fragility_readings", verbose_name="territoire"
    )
    fragility = models.ForeignKey(
        Fragility, models.PROTECT, related_name="readings", verbose_name="domaine"
    )
    level = models.PositiveSmallIntegerField("niveau", choices=FragilityLevel.choices)
    source = models.CharField("source", max_length=12, choices=FragilitySource.choices)
    # Code of an observatoire indicator, as text: territoires never imports observatoire.
    indicator_code = models.CharField("code de l'indicateur", max_length=80, blank=True)
    # Set when a code typed before the catalogue was enforced names no indicator of it.
    indicator_unknown = models.BooleanField(
        "indicateur absent du catalogue (à vérifier)", default=False
    )
    diagnosis_author = models.CharField("auteur du diagnostic", max_length=200, blank=True)
    diagnosis_date = models.DateField("date du diagnostic", null=True, blank=True)
    note = models.TextField("commentaire", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField("saisi le", default=timezone.now)
    is_demo = models.BooleanField("données de démonstration", default=False)

    # Not a column: the indicator's name, set by territoires.queries.fragility_profile.
    indicator_label: str

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = "niveau de fragilité"
        verbose_name_plural = "niveaux de fragilité"
        indexes = [
            models.Index(
                fields=["territory", "fragility", "-recorded_at"], name="fragility_reading_latest"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source="indicateur") & ~Q(indicator_code=""))
                | (
                    Q(source="diagnostic")
                    & ~Q(diagnosis_author="")
                    & Q(diagnosis_date__isnull=False)
                ),
                name="fragility_reading_sourced",
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory} — {self.fragility} : {self.get_level_display()}"


# --- elected officials: the territories they represent and those they follow ---------------------

MANDATE_LEVELS = (Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT, Level.REGION, Level.PROJECT)


class MandateStatus(models.TextChoices):
    PENDING = "en-attente", "en attente de confirmation"
    CONFIRMED = "confirme", "confirmé"
    REFUSED = "refuse", "refusé"


class Mandate(models.Model):
    """A territory an official says they represent; shown anywhere only once an admin confirmed it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="mandates", verbose_name="élu·e"
    )
    territory = models.ForeignKey(
        Territory, models.CASCADE, related_name="mandates", verbose_name="territoire"
    )
    role_label = models.CharField(
        "fonction", max_length=120, blank=True, help_text="ex. maire, vice-président·e"
    )
    status = models.CharField(
        "statut", max_length=12, choices=MandateStatus.choices, default=MandateStatus.PENDING
    )
    declared_at = models.DateTimeField("déclaré le", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidé par",
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)

    class Meta:
        ordering = ["-declared_at", "-id"]
        verbose_name = "mandat"
        verbose_name_plural = "mandats"
        constraints = [
            models.UniqueConstraint(fields=["user", "territory"], name="mandate_once_per_territory")
        ]

    def __str__(self) -> str:
        return f"{self.territory} ({self.get_status_display()})"


class Follow(models.Model):
    """A territory an official follows. ``seen_state`` and ``notified_key`` are opaque stamps
    computed by the Observatoire (what the space showed at the last visit; the report key of the
    last notification)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="follows", verbose_name="élu·e"
    )
    territory = models.ForeignKey(
        Territory, models.CASCADE, related_name="follows", verbose_name="territoire"
    )
    created_at = models.DateTimeField("suivi depuis", default=timezone.now)
    notify_by_email = models.BooleanField("prévenir par e-mail", default=False)
    seen_state = models.JSONField("état à la dernière visite", default=dict, blank=True)
    seen_at = models.DateTimeField("dernière visite", null=True, blank=True)
    notified_key = models.CharField("clé du dernier rapport notifié", max_length=64, blank=True)
    notified_at = models.DateTimeField("dernière notification", null=True, blank=True)

    class Meta:
        ordering = ["territory__name", "id"]
        verbose_name = "territoire suivi"
        verbose_name_plural = "territoires suivis"
        constraints = [
            models.UniqueConstraint(fields=["user", "territory"], name="follow_once_per_territory")
        ]

    def __str__(self) -> str:
        return str(self.territory)
