"""What the API answers: public fields only (no person, assessment or answer)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Schema


class Error(Schema):
    code: str
    message: str
    details: list[Any] | None = None


class Page(Schema):
    total: int
    page: int
    taille: int


class GridVersionOut(Schema):
    slug: str
    libelle: str
    statut: str
    publiee_le: date | None
    archivee_le: date | None
    source: str


class PracticeOut(Schema):
    cle: UUID
    code: str
    libelle: str


class SituationOut(Schema):
    cle: UUID
    code: str
    intitule: str
    pratiques: list[PracticeOut]


class AxisOut(Schema):
    cle: UUID
    code: str
    intitule: str
    levier: str
    situations: list[SituationOut]


class GridOut(GridVersionOut):
    axes: list[AxisOut]


class GridVersionPage(Page):
    resultats: list[GridVersionOut]


class TerritoryRef(Schema):
    niveau: str
    code: str
    nom: str
    url: str


class Replaced(Error):
    """301: a former commune code; ``vers`` is the commune it merged into (also in Location)."""

    vers: TerritoryRef


class TerritoryItem(TerritoryRef):
    population: int | None


class TerritoryPage(Page):
    resultats: list[TerritoryItem]


class SegmentOut(Schema):
    code: str
    libelle: str


class TerritoryOut(TerritoryItem):
    nature: str
    codes_postaux: list[str]
    anciens_noms: list[str]
    anciens_codes: list[str]
    region: TerritoryRef | None
    departement: TerritoryRef | None
    intercommunalite: TerritoryRef | None
    commune: TerritoryRef | None
    segment_de_taille: SegmentOut | None
    demonstration: bool


class IndicatorOut(Schema):
    code: str
    libelle: str
    unite: str
    source: str
    millesime: str
    domaine: str | None
    polarite: str
    nature: str
    niveaux: list[str]
    demonstration: bool


class IndicatorPage(Page):
    resultats: list[IndicatorOut]


class IndicatorLineOut(Schema):
    code: str
    libelle: str
    domaine: str | None
    annee: int
    valeur: float | None
    pour_1000_habitants: float | None
    valeur_departement: float | None
    valeur_region: float | None
    valeur_france: float | None
    rang_centile: int | None
    pairs: int | None
    demonstration: bool


class IndicatorProfileOut(Schema):
    territoire: TerritoryRef
    groupe_de_pairs: str
    convention: str
    indicateurs: list[IndicatorLineOut]


class ValueOut(Schema):
    indicateur: str
    annee: int
    valeur: float | None


class ValuePage(Page):
    resultats: list[ValueOut]


class ReleaseOut(Schema):
    diffusee_le: datetime
    origine: str
    parametres: dict[str, Any]


class ReleasePage(Page):
    resultats: list[ReleaseOut]


class SituationFigureOut(Schema):
    cle: UUID
    code: str
    q1: int | None
    mediane: int | None
    q3: int | None


class PracticeFigureOut(Schema):
    cle: UUID
    code: str
    en_interne_pct: int | None
    en_partenariat_pct: int | None
    les_deux_pct: int | None
    a_developper_pct: int | None


class PracticesOut(Schema):
    territoire: TerritoryRef
    diffusion: datetime | None
    grille: str | None
    seuil: int
    statut: str
    personnes: str
    situations: list[SituationFigureOut]
    pratiques: list[PracticeFigureOut]
    leviers: dict[str, int | None]
    barycentre: list[int] | None


class ResourceOut(Schema):
    id: int
    titre: str
    nature: str
    lien: str
    description: str
    source: str
    pratiques: list[UUID]


class ResourcePage(Page):
    resultats: list[ResourceOut]
