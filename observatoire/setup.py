"""Reference and demo data of this app, loaded by `manage.py setup_platform`."""

from __future__ import annotations

import time
from typing import TextIO

import numpy as np
import pandas as pd
from django.db import transaction

from observatoire.imports.loading import peer_distributions_refresh, values_load
from observatoire.imports.values import Block
from observatoire.models import Collection, Indicator, IndicatorValue, Polarity
from territoires.models import Fragility, Level, Territory

IMPACT = "Observatoire des partenariats, programme IMPACT 2018-2022 (étude exploratoire 2024)"
ELUS_2024 = "Observatoire des partenariats, IMPACT-Élus locaux 2024"
ELUS_2020 = "Observatoire des partenariats, IMPACT-Élus locaux 2020"
IMPACT_NOTE = (
    "Chiffre de la période 2018-2022 ; la publication ne donne pas l’année précise : "
    "rattaché à 2022."
)
POLARITY_NOTE = "Les publications ne disent pas si un chiffre élevé est une fragilité ou un atout."

# National figures quoted in the fiches Repères (REFERENTIEL §7): code, label, source, {year: %}.
REFERENCE_FIGURES: list[tuple[str, str, str, dict[int, float], str]] = [
    (
        "REP_ALLIANCE_CITOYENS",
        "« Il est urgent de faire alliance » : citoyens",
        IMPACT,
        {2022: 74},
        IMPACT_NOTE,
    ),
    (
        "REP_ALLIANCE_MAIRES",
        "« Il est urgent de faire alliance » : maires",
        IMPACT,
        {2022: 92},
        IMPACT_NOTE,
    ),
    (
        "REP_ALLIANCE_ENTREPRISES",
        "« Il est urgent de faire alliance » : dirigeants d’entreprises",
        IMPACT,
        {2022: 83},
        IMPACT_NOTE,
    ),
    (
        "REP_ALLIANCE_ASSOCIATIONS",
        "« Il est urgent de faire alliance » : responsables associatifs",
        IMPACT,
        {2022: 97},
        IMPACT_NOTE,
    ),
    (
        "REP_ALLIANCE_FONDATIONS",
        "« Il est urgent de faire alliance » : responsables de fondations",
        IMPACT,
        {2022: 98},
        IMPACT_NOTE,
    ),
    (
        "REP_ELUS_TERRITOIRE_EN_MOUVEMENT",
        "Élus locaux : leur territoire est « en mouvement »",
        ELUS_2024,
        {2024: 91},
        "",
    ),
    (
        "REP_ELUS_INNOVATION",
        "Élus locaux : leur territoire « fait preuve d’innovation »",
        ELUS_2024,
        {2024: 35},
        "",
    ),
    (
        "REP_ELUS_CO_CONSTRUCTION",
        "Élus locaux : « déjà dans une dynamique de co-construction »",
        ELUS_2024,
        {2020: 25, 2024: 42},
        "25 % en 2020, 42 % en 2024.",
    ),
    (
        "REP_ELUS_CO_CONSTRUCTION_AMORCE",
        "Élus locaux : la co-construction « s’amorce »",
        ELUS_2024,
        {2024: 38},
        "",
    ),
    (
        "REP_ELUS_PARTENARIATS",
        "Élus locaux : s’appuient fortement sur les partenariats",
        ELUS_2024,
        {2024: 31},
        "",
    ),
    (
        "REP_ELUS_DEVOIR_ALLIANCE",
        "Élus locaux : plébiscitent un « devoir d’alliance »",
        ELUS_2020,
        {2020: 92},
        "",
    ),
    (
        "REP_ELUS_STRATEGIE_COOPERATION",
        "Élus locaux : souhaitent une stratégie de coopération active",
        ELUS_2020,
        {2020: 64},
        "",
    ),
]


def load_reference(*, stdout: TextIO) -> None:
    """The national figures of the publications, at France level (idempotent)."""
    france = Territory.objects.filter(level=Level.COUNTRY).first()
    with transaction.atomic():
        indicators = {}
        for order, (code, label, source, values, note) in enumerate(REFERENCE_FIGURES):
            indicators[code], _ = Indicator.objects.update_or_create(
                code=code,
                defaults={
                    "label": label,
                    "unit": "%",
                    "source": source,
                    "vintage": "/".join(str(year) for year in values),
                    "collection": Collection.ACTEURS,
                    "fragility": None,
                    "polarity": Polarity.UNSPECIFIED,
                    "levels": [Level.COUNTRY],
                    "additive": False,
                    "is_demo": False,
                    "note": " ".join(filter(None, [note, POLARITY_NOTE])),
                    "order": 1000 + order,
                },
            )
        if france is None:
            stdout.write(
                "  Observatoire : France absente de la géographie, chiffres nationaux non chargés."
            )
            return
        IndicatorValue.objects.bulk_create(
            [
                IndicatorValue(indicator=indicators[code], territory=france, year=year, value=value)
                for code, _, _, values, _ in REFERENCE_FIGURES
                for year, value in values.items()
            ],
            update_conflicts=True,
            unique_fields=["indicator", "territory", "year"],
            update_fields=["value"],
        )
    stdout.write(
        f"  Observatoire : {len(REFERENCE_FIGURES)} chiffres nationaux des fiches Repères."
    )


DEMO_YEAR = 2022
DEMO_SEED = 17_2026
DEMO_SOURCE = "données de démonstration (générées)"
# code, label, unit, fragility code, polarity, additive, mean (per inhabitant for counts), spread.
DEMO_INDICATORS: list[tuple[str, str, str, str, str, bool, float, float]] = [
    (
        "DEMO_DEMANDEURS_EMPLOI",
        "Demandeurs d’emploi (catégorie A)",
        "personnes",
        "emploi-chomage-insertion",
        "fragilite",
        True,
        0.045,
        0.35,
    ),
    (
        "DEMO_TX_CHOMAGE",
        "Taux de chômage des 15-64 ans",
        "%",
        "emploi-chomage-insertion",
        "fragilite",
        False,
        9.5,
        0.35,
    ),
    (
        "DEMO_ETABLISSEMENTS",
        "Établissements actifs",
        "établissements",
        "developpement-economique",
        "atout",
        True,
        0.09,
        0.4,
    ),
    (
        "DEMO_TX_CREATION",
        "Taux de création d’entreprises",
        "%",
        "developpement-economique",
        "atout",
        False,
        12.0,
        0.3,
    ),
    (
        "DEMO_FOYERS_IMPOSES",
        "Foyers fiscaux imposés",
        "foyers",
        "niveau-de-vie-pouvoir-achat",
        "atout",
        True,
        0.22,
        0.3,
    ),
    (
        "DEMO_REVENU_MEDIAN",
        "Revenu disponible médian par unité de consommation",
        "€",
        "niveau-de-vie-pouvoir-achat",
        "atout",
        False,
        22_500,
        0.15,
    ),
    (
        "DEMO_ALLOCATAIRES_RSA",
        "Allocataires du RSA",
        "personnes",
        "pauvrete-exclusion",
        "fragilite",
        True,
        0.028,
        0.5,
    ),
    (
        "DEMO_TX_PAUVRETE",
        "Taux de pauvreté",
        "%",
        "pauvrete-exclusion",
        "fragilite",
        False,
        14.5,
        0.35,
    ),
    (
        "DEMO_BENEF_AAH",
        "Bénéficiaires de l’allocation aux adultes handicapés",
        "personnes",
        "diversite-handicap",
        "fragilite",
        True,
        0.019,
        0.35,
    ),
    (
        "DEMO_TX_ERP_ACCESSIBLES",
        "Part des établissements recevant du public accessibles",
        "%",
        "diversite-handicap",
        "atout",
        False,
        55.0,
        0.25,
    ),
    (
        "DEMO_POP_75_PLUS",
        "Personnes de 75 ans ou plus",
        "personnes",
        "vieillissement",
        "fragilite",
        True,
        0.095,
        0.3,
    ),
    (
        "DEMO_INDICE_VIEILLISSEMENT",
        "Indice de vieillissement (65 ans ou plus pour 100 moins de 20 ans)",
        "indice",
        "vieillissement",
        "fragilite",
        False,
        90.0,
        0.35,
    ),
    (
        "DEMO_SEULS_80_PLUS",
        "Personnes de 80 ans ou plus vivant seules",
        "personnes",
        "isolement-lien-social",
        "fragilite",
        True,
        0.027,
        0.35,
    ),
    (
        "DEMO_TX_ASSOCIATIONS",
        "Associations actives pour 1 000 habitants",
        "‰",
        "isolement-lien-social",
        "atout",
        False,
        22.0,
        0.4,
    ),
    (
        "DEMO_JEUNES_NON_INSERES",
        "Jeunes de 16 à 25 ans ni en emploi ni en formation",
        "personnes",
        "education",
        "fragilite",
        True,
        0.014,
        0.4,
    ),
    (
        "DEMO_TX_SANS_DIPLOME",
        "Part des 25-64 ans sans diplôme",
        "%",
        "education",
        "fragilite",
        False,
        18.0,
        0.3,
    ),
    ("DEMO_MEDECINS", "Médecins généralistes", "médecins", "sante", "atout", True, 0.0009, 0.6),
    (
        "DEMO_APL_MEDECINS",
        "Accessibilité potentielle localisée aux généralistes",
        "consultations/hab.",
        "sante",
        "atout",
        False,
        3.3,
        0.3,
    ),
    (
        "DEMO_LOGEMENTS_SUROCCUPES",
        "Résidences principales suroccupées",
        "logements",
        "mal-logement",
        "fragilite",
        True,
        0.021,
        0.5,
    ),
    (
        "DEMO_TX_LOGEMENTS_VACANTS",
        "Taux de logements vacants",
        "%",
        "mal-logement",
        "fragilite",
        False,
        8.2,
        0.35,
    ),
    (
        "DEMO_ATTEINTES_BIENS",
        "Atteintes aux biens enregistrées",
        "faits",
        "securite-delinquance",
        "fragilite",
        True,
        0.025,
        0.6,
    ),
    (
        "DEMO_TX_ATTEINTES_PERSONNES",
        "Atteintes aux personnes pour 1 000 habitants",
        "‰",
        "securite-delinquance",
        "fragilite",
        False,
        4.5,
        0.5,
    ),
    (
        "DEMO_EQUIPEMENTS_CULTURE",
        "Équipements culturels, sportifs et de loisirs",
        "équipements",
        "culture-loisirs",
        "atout",
        True,
        0.006,
        0.5,
    ),
    (
        "DEMO_TX_LICENCIES",
        "Licenciés sportifs pour 100 habitants",
        "%",
        "culture-loisirs",
        "atout",
        False,
        22.0,
        0.3,
    ),
    (
        "DEMO_LOCAUX_FIBRE",
        "Locaux raccordables à la fibre",
        "locaux",
        "acces-numerique",
        "atout",
        True,
        0.45,
        0.4,
    ),
    (
        "DEMO_TX_SANS_BON_DEBIT",
        "Part des locaux sans bon haut débit",
        "%",
        "acces-numerique",
        "fragilite",
        False,
        9.0,
        0.7,
    ),
    (
        "DEMO_SURFACES_ARTIFICIALISEES",
        "Surfaces artificialisées depuis 2011",
        "ha",
        "environnement-pollution-biodiversite",
        "fragilite",
        True,
        0.0008,
        0.7,
    ),
    (
        "DEMO_TX_ESPACES_PROTEGES",
        "Part du territoire en espaces naturels protégés",
        "%",
        "environnement-pollution-biodiversite",
        "atout",
        False,
        12.0,
        0.8,
    ),
    (
        "DEMO_LOGEMENTS_F_G",
        "Logements classés F ou G (DPE)",
        "logements",
        "transition-energetique",
        "fragilite",
        True,
        0.07,
        0.4,
    ),
    (
        "DEMO_CONSO_ENERGIE",
        "Consommation d’énergie finale par habitant",
        "MWh",
        "transition-energetique",
        "fragilite",
        False,
        24.0,
        0.3,
    ),
    (
        "DEMO_ACTIFS_VOITURE",
        "Actifs allant travailler en voiture",
        "personnes",
        "mobilite-transport",
        "fragilite",
        True,
        0.33,
        0.25,
    ),
    (
        "DEMO_TX_SANS_VOITURE",
        "Part des ménages sans voiture",
        "%",
        "mobilite-transport",
        "fragilite",
        False,
        15.0,
        0.5,
    ),
]
DEMO_NOTE = "Données de démonstration générées (graine fixe), pas des statistiques réelles."
# Share of communes under 300 inhabitants whose rates are « secret statistique » (NULL, never 0).
DEMO_SECRET_SHARE = 0.3


def demo_indicators_upsert() -> list[Indicator]:
    fragilities = dict(Fragility.objects.values_list("code", "pk"))
    indicators = []
    for order, (code, label, unit, fragility, polarity, additive, _, _) in enumerate(
        DEMO_INDICATORS
    ):
        indicator, _ = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "unit": unit,
                "source": DEMO_SOURCE,
                "vintage": str(DEMO_YEAR),
                "collection": Collection.DOMAINES,
                "fragility_id": fragilities.get(fragility),
                "polarity": polarity,
                "levels": [
                    Level.COMMUNE,
                    Level.EPCI,
                    Level.DEPARTEMENT,
                    Level.REGION,
                    Level.COUNTRY,
                ],
                "additive": additive,
                "is_demo": True,
                "note": DEMO_NOTE,
                "order": 500 + order,
            },
        )
        indicators.append(indicator)
    return indicators


def demo_blocks(indicators: list[Indicator]) -> list[Block]:
    """Commune values drawn with a seeded RNG; counts summed up the levels, rates drawn per level
    (never averaged)."""
    rng = np.random.default_rng(DEMO_SEED)
    communes = list(
        Territory.objects.filter(level=Level.COMMUNE)
        .order_by("code")
        .values_list("pk", "population", "epci_id", "departement_id", "region_id")
    )
    upper = {
        level: list(
            Territory.objects.filter(level=level).order_by("code").values_list("pk", flat=True)
        )
        for level in (Level.EPCI, Level.DEPARTEMENT, Level.REGION, Level.COUNTRY)
    }
    blocks: list[Block] = []
    if not communes:
        return blocks
    ids = np.array([row[0] for row in communes], dtype=np.int64)
    population = np.array([row[1] or 500 for row in communes], dtype=np.float64)
    parents = {
        Level.EPCI: np.array([row[2] or 0 for row in communes], dtype=np.int64),
        Level.DEPARTEMENT: np.array([row[3] or 0 for row in communes], dtype=np.int64),
        Level.REGION: np.array([row[4] or 0 for row in communes], dtype=np.int64),
        Level.COUNTRY: np.full(
            len(communes), upper[Level.COUNTRY][0] if upper[Level.COUNTRY] else 0
        ),
    }
    for indicator, (_, _, unit, _, _, additive, mean, spread) in zip(
        indicators, DEMO_INDICATORS, strict=True
    ):
        noise = rng.lognormal(0.0, spread, len(ids))
        if additive:
            values = np.round(population * mean * noise)
        else:
            values = np.round(mean * noise, 1)
            if unit == "%":
                values = np.clip(values, 0, 100)
            secret = (population < 300) & (rng.random(len(ids)) < DEMO_SECRET_SHARE)
            values[secret] = np.nan
        blocks.append(_block(indicator.pk, ids, values))
        for level, level_ids in upper.items():
            if not level_ids:
                continue
            level_array = np.array(level_ids, dtype=np.int64)
            if additive:
                # Sum of the member communes only (a count is additive; a rate never is).
                sums = pd.Series(values).groupby(parents[level]).sum()
                level_values = sums.reindex(level_array, fill_value=0.0).to_numpy(np.float64)
            else:
                level_values = np.round(mean * rng.lognormal(0.0, spread / 2, len(level_ids)), 1)
                if unit == "%":
                    level_values = np.clip(level_values, 0, 100)
            blocks.append(_block(indicator.pk, level_array, level_values))
    return blocks


def _block(indicator_id: int, territory_ids: np.ndarray, values: np.ndarray) -> Block:
    return Block(
        np.full(len(territory_ids), indicator_id, dtype=np.int64),
        territory_ids,
        np.full(len(territory_ids), DEMO_YEAR, dtype=np.int16),
        values.astype(np.float64),
    )


def load_demo(*, stdout: TextIO) -> None:
    """Deterministic demo indicators for every commune, EPCI, département, région and France."""
    started = time.monotonic()
    with transaction.atomic():
        indicators = demo_indicators_upsert()
        blocks = demo_blocks(indicators)
        rows = sum(len(block) for block in blocks)
        if not rows:
            stdout.write(
                "  Observatoire : pas de géographie, indicateurs de démonstration sans valeurs."
            )
            return
        counts = values_load(
            blocks,
            total_blocks=len(blocks),
            expected_rows=rows,
            indicator_ids=[indicator.pk for indicator in indicators],
            years=[DEMO_YEAR],
            dry_run=False,
        )
        peer_distributions_refresh(
            indicator_ids=[indicator.pk for indicator in indicators], years=[DEMO_YEAR]
        )
    stdout.write(
        f"  Observatoire : {len(indicators)} indicateurs de démonstration, {rows} valeurs "
        f"({counts.created} créées, {counts.updated} modifiées) en {time.monotonic() - started:.1f} s."
    )
