"""Deterministic demo data of the directory and the examples base (« données de démonstration »):
about 40 opt-in profiles of demo people (not the demo assessments' accounts: the directory cannot
be joined with them) and 60 published examples across the country. Fixed seed, idempotent."""

from __future__ import annotations

import random
from typing import TextIO

from django.contrib.auth.models import User
from django.db import transaction

from config import people
from config.roles import Role
from pratiques.directory.queries import published_practices
from pratiques.directory.services import ProfileData, profile_opt_in
from pratiques.examples.services import ExampleData, example_save
from pratiques.models import DirectoryProfile, Example, ExampleStatus, Impact, Visibility
from territoires.models import ActorProfile, Engineering, Fragility, Level, Territory

SEED = 2612
PROFILES = 40
EXAMPLES = 60
DEMO_PREFIX = "demo-annuaire-"
# Communes every demo shows something on (Vincennes, Saint-Étienne).
SHOWCASE = ["94080", "42218"]
FIRST_NAMES = [
    "Camille", "Dominique", "Claude", "Alix", "Sacha", "Morgane", "Yannick", "Maëlle", "Noé",
    "Élise", "Karim", "Inès", "Jules", "Nora", "Hugo", "Léa", "Malik", "Sarah", "Tom", "Zoé",
]  # fmt: skip
STRUCTURES = [
    "Agence d'ingénierie territoriale", "Communauté de communes", "Tiers-lieu associatif",
    "Fondation territoriale", "Chambre consulaire", "Pôle territorial de coopération économique",
    "Conseil de développement", "Maison de l'emploi", "Parc naturel régional", "Centre social",
]  # fmt: skip
KINDS = [
    ("Une alliance", "réunit collectivité, entreprises et associations"),
    ("Un tiers-lieu", "ouvre un lieu partagé où habitants et acteurs économiques se rencontrent"),
    ("Un groupement d'employeurs", "mutualise des emplois entre structures du territoire"),
    ("Un fonds territorial", "associe mécènes locaux et collectivité autour d'un projet commun"),
    ("Un programme école-entreprises", "rapproche établissements scolaires et employeurs"),
    ("Une coopérative d'habitants", "mobilise citoyens, bailleur et commune"),
    ("Un contrat de réciprocité", "lie une ville et les communes rurales voisines"),
    ("Un collectif santé", "fédère professionnels de santé, élus et associations"),
]
LICENCE = "Licence Ouverte 2.0 (données de démonstration)"


def _territories() -> dict[str, list[Territory]]:
    levels = [Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT, Level.REGION, Level.PROJECT]
    found: dict[str, list[Territory]] = {level: [] for level in levels}
    for territory in (
        Territory.objects.filter(level__in=levels, archived_at__isnull=True)
        .select_related("region")
        .only("id", "level", "code", "name", "population", "region")
        .order_by("level", "code")
    ):
        found[territory.level].append(territory)
    # Large geographies: a sample of communes is enough (deterministic: every 97th).
    if len(found[Level.COMMUNE]) > 2000:
        keep = {c for c in SHOWCASE}
        found[Level.COMMUNE] = [
            t for i, t in enumerate(found[Level.COMMUNE]) if i % 97 == 0 or t.code in keep
        ]
    return found


def _user(index: int, first_name: str) -> User:
    """A demo account without a usable password (idempotent), made through the people module."""
    username = f"{DEMO_PREFIX}{index:02d}"
    user = User.objects.filter(username=username).first()
    if user is None:
        new = User(username=username, first_name=first_name, last_name="Démo", is_active=True)
        new.set_unusable_password()
        user = people.people_create(people=[new], role=Role.CATALYST)[0]
    return user


def _showcase(territories: dict[str, list[Territory]]) -> list[Territory]:
    return [t for t in territories[Level.COMMUNE] if t.code in SHOWCASE]


@transaction.atomic
def load_demo_directory(*, stdout: TextIO) -> None:
    if DirectoryProfile.objects.filter(is_demo=True).exists():
        stdout.write("  annuaire de démonstration déjà présent : inchangé")
        return
    territories = _territories()
    pool = [t for level in territories.values() for t in level]
    if not pool:
        stdout.write("  aucun territoire : pas d'annuaire de démonstration")
        return
    rng = random.Random(SEED)
    practices = [p.key for p in published_practices()]
    profiles = list(ActorProfile.objects.order_by("order"))
    engineerings = list(Engineering.objects.order_by("order"))
    showcase = _showcase(territories)
    for index in range(PROFILES):
        first_name = FIRST_NAMES[index % len(FIRST_NAMES)]
        user = _user(index, first_name)
        chosen = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        if index < 2 * len(showcase):  # the showcase communes, and their EPCI
            commune = showcase[index % len(showcase)]
            chosen = [commune] if index < len(showcase) else chosen
        data = ProfileData(
            shown_name=f"{first_name} {chr(65 + index % 26)}. (démo)",
            structure=rng.choice(STRUCTURES),
            actor_profile=rng.choice(profiles) if profiles else None,
            engineerings=rng.sample(engineerings, min(len(engineerings), rng.randint(1, 2))),
            territories=chosen,
            shares=rng.sample(practices, min(len(practices), rng.randint(1, 4))),
            seeks=rng.sample(practices, min(len(practices), rng.randint(0, 2))),
            presentation="Fiche de démonstration : cette personne n'existe pas. Elle montre "
            "ce qu'un catalyseur publie dans l'annuaire quand il y consent.",
            visibility=Visibility.PUBLIC if index % 3 else Visibility.MEMBERS,
        )
        profile_opt_in(user=user, data=data, consent=True, is_demo=True)
    stdout.write(f"  {PROFILES} fiches de démonstration dans l'annuaire")


@transaction.atomic
def load_demo_examples(*, stdout: TextIO) -> None:
    if Example.objects.filter(is_demo=True).exists():
        stdout.write("  exemples de démonstration déjà présents : inchangés")
        return
    territories = _territories()
    places = territories[Level.COMMUNE] + territories[Level.EPCI]
    if not places:
        stdout.write("  aucun territoire : pas d'exemples de démonstration")
        return
    rng = random.Random(SEED + 1)
    fragilities = list(Fragility.objects.order_by("order"))
    practices = [p.key for p in published_practices()]
    profiles = [p.code for p in ActorProfile.objects.order_by("order")]
    showcase = _showcase(territories)
    impacts = [*Impact.values, ""]
    for index in range(EXAMPLES):
        kind, what = KINDS[index % len(KINDS)]
        place = showcase[index % len(showcase)] if index < 2 * len(showcase) else rng.choice(places)
        answered = rng.sample(fragilities, min(len(fragilities), rng.randint(1, 2)))
        theme = answered[0].label.lower() if answered else "la coopération"
        data = ExampleData(
            title=f"{kind} face à « {theme} » — {place.name}",
            summary=f"À {place.name}, {kind.lower()} {what} pour agir sur « {theme} ». "
            "Exemple de démonstration, inventé pour montrer la base.",
            body=f"**Le point de départ.** Un constat partagé sur « {theme} ».\n\n"
            "**Ce qui a été fait :**\n"
            "- un diagnostic mené à plusieurs\n"
            "- une convention entre les partenaires\n"
            "- un comité de suivi qui se réunit chaque trimestre\n\n"
            "*Données de démonstration : ni ce projet ni ses chiffres n'existent.*",
            territories=[place],
            actor_profiles=rng.sample(profiles, min(len(profiles), rng.randint(2, 3))),
            fragilities=[f.code for f in answered],
            practices=rng.sample(practices, min(len(practices), rng.randint(1, 3))),
            impact=impacts[index % len(impacts)],
            year=2016 + index % 10,
            source="Réseau des catalyseurs territoriaux (démonstration)",
            licence=LICENCE,
        )
        example = example_save(actor=None, data=data, status=ExampleStatus.PUBLISHED, is_demo=True)
        example.events.update(note="Données de démonstration")
    stdout.write(f"  {EXAMPLES} exemples inspirants de démonstration")
