"""The seven territories of issue 28, with indicators, peers and (for two of them) curated levels.

A small commune without curated data (Aboën), Vincennes, Lyon 3e, an EPCI (Saint-Étienne
Métropole), Mâcon, a département (Val-de-Marne) and a région (Île-de-France), among deterministic
peers of every level (fixed seed), with 14 indicators over 14 of the 16 domains (so the full
indicator table goes to the annex) and their peer distributions computed as an import does.
Shared by the report tests and ``bench/bench_report.py``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from observatoire.imports.loading import peer_distributions_refresh
from observatoire.models import Indicator, IndicatorValue
from observatoire.services import catalogue_import
from territoires.models import Fragility, FragilityReading, Level, Territory
from tests.factories import mini_geography

YEAR = 2022
DOMAINS = [
    ("EMPLOI", "Taux de chômage", "%", "Emploi / chômage / insertion", "fragilite", "taux"),
    (
        "ETAB",
        "Établissements actifs",
        "établissements",
        "Développement économique",
        "atout",
        "effectif",
    ),
    ("REVMED", "Revenu médian", "€", "Niveau de vie / pouvoir d'achat", "atout", "valeur"),
    ("PAUV", "Taux de pauvreté", "%", "Pauvreté / lutte contre l'exclusion", "fragilite", "taux"),
    ("AAH", "Allocataires de l'AAH", "personnes", "Diversité / handicap", "fragilite", "effectif"),
    ("P75", "Part des 75 ans ou plus", "%", "Vieillissement", "fragilite", "taux"),
    ("SEUL", "Personnes vivant seules", "%", "Isolement / lien social", "fragilite", "taux"),
    ("NODIP", "Sans diplôme", "%", "Éducation", "fragilite", "taux"),
    ("MED", "Médecins généralistes", "médecins", "Santé", "atout", "effectif"),
    ("SURO", "Logements suroccupés", "%", "Mal logement", "fragilite", "taux"),
    ("DELIT", "Atteintes aux biens", "faits", "Sécurité / délinquance", "fragilite", "effectif"),
    ("EQUIP", "Équipements culturels", "équipements", "Culture / loisirs", "atout", "effectif"),
    ("FIBRE", "Locaux raccordables à la fibre", "%", "Accès au numérique", "atout", "taux"),
    ("VOIT", "Ménages sans voiture", "%", "Mobilité / transport", "fragilite", "taux"),
]
CATALOGUE = "code;libelle;unite;source;millesime;domaine;polarite;additif;nature\n" + "".join(
    f"{code};{label};{unit};INSEE (essai);2022;{domain};{polarity};"
    f"{'oui' if nature == 'effectif' else 'non'};{nature}\n"
    for code, label, unit, domain, polarity, nature in DOMAINS
)


@dataclass
class Seven:
    small: Territory
    vincennes: Territory
    lyon3: Territory
    epci: Territory
    macon: Territory
    departement: Territory
    region: Territory

    def all(self) -> list[Territory]:
        return [
            self.small,
            self.vincennes,
            self.lyon3,
            self.epci,
            self.macon,
            self.departement,
            self.region,
        ]


def seven_territories() -> Seven:
    run = catalogue_import(data=CATALOGUE.encode(), file_name="catalogue.csv")
    assert run.status == "reussi", run.problems
    geo = mini_geography()
    rhone = Territory.objects.create(
        level=Level.DEPARTEMENT, code="69", name="Rhône", population=1_883_437, region=geo.ara
    )
    lyon = Territory.objects.create(
        level=Level.COMMUNE,
        code="69123",
        name="Lyon",
        population=522_250,
        region=geo.ara,
        departement=rhone,
    )
    lyon3 = Territory.objects.create(
        level=Level.ARRONDISSEMENT,
        code="69383",
        name="Lyon 3e Arrondissement",
        population=103_221,
        region=geo.ara,
        departement=rhone,
        commune=lyon,
    )
    bfc = Territory.objects.create(
        level=Level.REGION, code="27", name="Bourgogne-Franche-Comté", population=2_800_194
    )
    sel = Territory.objects.create(
        level=Level.DEPARTEMENT,
        code="71",
        name="Saône-et-Loire",
        population=551_493,
        region=bfc,
    )
    macon = Territory.objects.create(
        level=Level.COMMUNE,
        code="71270",
        name="Mâcon",
        population=33_730,
        region=bfc,
        departement=sel,
        postal_codes="71000",
    )
    rng = random.Random(28)
    peers: list[Territory] = []
    for i in range(40):  # communes of every size segment
        peers.append(
            Territory.objects.create(
                level=Level.COMMUNE,
                code=f"99{i:03d}",
                name=f"Commune témoin {i}",
                population=rng.choice([300, 1_200, 8_000, 15_000, 24_000, 38_000, 61_000]) + i,
                region=geo.ara,
                departement=geo.loire,
            )
        )
    for i in range(3):
        peers.append(
            Territory.objects.create(
                level=Level.ARRONDISSEMENT,
                code=f"6938{i + 4}",
                name=f"Lyon {i + 4}e Arrondissement",
                population=rng.choice([70_000, 90_000, 130_000]),
                region=geo.ara,
                departement=rhone,
                commune=lyon,
            )
        )
    for i in range(6):
        peers.append(
            Territory.objects.create(
                level=Level.EPCI,
                code=f"2999000{i:02d}",
                name=f"Intercommunalité témoin {i}",
                population=rng.choice([80_000, 250_000, 600_000]) + i,
                region=geo.ara,
            )
        )
    for i in range(5):
        peers.append(
            Territory.objects.create(
                level=Level.DEPARTEMENT,
                code=f"8{i}",
                name=f"Département témoin {i}",
                population=rng.choice([180_000, 500_000, 1_100_000]) + i,
                region=geo.ara,
            )
        )
    for i in range(4):
        peers.append(
            Territory.objects.create(
                level=Level.REGION,
                code=f"9{i}",
                name=f"Région témoin {i}",
                population=rng.choice([2_500_000, 5_000_000, 6_000_000]) + i,
            )
        )
    everyone = [
        geo.france,
        geo.idf,
        geo.ara,
        bfc,
        geo.val_de_marne,
        geo.loire,
        rhone,
        sel,
        geo.grand_paris,
        geo.st_etienne_metropole,
        geo.vincennes,
        geo.saint_mande,
        geo.saint_etienne,
        geo.firminy,
        geo.small_commune,
        lyon,
        lyon3,
        macon,
        *peers,
    ]
    indicators = {i.code: i for i in Indicator.objects.all()}
    values = []
    for territory in everyone:
        population = territory.population or 1_000_000
        for code, _label, _unit, _domain, _polarity, nature in DOMAINS:
            if nature == "effectif":
                value: float = round(population * rng.uniform(0.002, 0.05))
            elif nature == "valeur":
                value = round(rng.uniform(18_000, 28_000))
            else:
                value = round(rng.uniform(2, 40), 1)
            values.append(
                IndicatorValue(
                    indicator=indicators[code], territory=territory, year=YEAR, value=value
                )
            )
    IndicatorValue.objects.bulk_create(values)
    peer_distributions_refresh(indicator_ids=[i.pk for i in indicators.values()], years=[YEAR])
    # Curated levels, as network admins type them: Vincennes and Lyon 3e only.
    for territory, code, level in (
        (geo.vincennes, "emploi-chomage-insertion", 3),
        (geo.vincennes, "pauvrete-exclusion", 0),
        (geo.vincennes, "sante", 1),
        (lyon3, "mal-logement", 2),
    ):
        FragilityReading.objects.create(
            territory=territory,
            fragility=Fragility.objects.get(code=code),
            level=level,
            source="diagnostic",
            diagnosis_author="Réseau",
            diagnosis_date=date(2025, 3, 1),
        )
    return Seven(
        geo.small_commune,
        geo.vincennes,
        lyon3,
        geo.st_etienne_metropole,
        macon,
        geo.val_de_marne,
        geo.idf,
    )
