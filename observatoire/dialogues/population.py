"""Import of a dialogue's respondents from CSV or XLSX: every bad row reported, nothing committed.

Columns (any case, accents optional): ``email``, ``nom``, ``organisation``, ``profil`` (code or
label of one of the 10 actor profiles). The file is read by the campaigns' reader
(``pratiques.campaigns.population.read_rows``: size, rows, NUL bytes, UTF-8 or Windows-1252,
separators), and refused the same way (``PopulationRefused`` with its ``RowProblem`` lines).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from pratiques.campaigns.population import (
    PopulationRefused,
    RowProblem,
    header_columns,
    read_rows,
)
from territoires.models import ActorProfile
from territoires.text import normalize

COLUMNS = {
    "email": ("email", "e-mail", "courriel", "adresse electronique", "mail"),
    "name": ("nom", "prenom et nom", "nom complet", "name"),
    "organisation": ("organisation", "structure"),
    "profile": ("profil", "profil d'acteur", "profil acteur"),
}
REQUIRED = ("email", "profile")
TEMPLATE_HEADER = ["email", "nom", "organisation", "profil"]
LIMITS = {"name": ("nom", 200), "organisation": ("organisation", 200)}


@dataclass(frozen=True)
class RespondentRow:
    line: int
    email: str
    name: str
    organisation: str
    profile: ActorProfile


def profiles_by_key() -> dict[str, ActorProfile]:
    found: dict[str, ActorProfile] = {}
    for profile in ActorProfile.objects.order_by("order", "label"):
        found[normalize(profile.label)] = profile
        found[normalize(profile.code)] = profile
    return found


def _columns(header: list[str]) -> dict[str, int]:
    return header_columns(header, COLUMNS, REQUIRED, "email ; nom ; organisation ; profil")


def parse_respondents(data: bytes, *, file_name: str) -> list[RespondentRow]:
    """Every row checked; raises ``PopulationRefused`` with every bad row and its line."""
    header, rows = read_rows(data, file_name=file_name)
    columns = _columns(header)
    profiles = profiles_by_key()

    def cell(cells: list[str], key: str) -> str:
        index = columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    problems: list[RowProblem] = []
    people: list[RespondentRow] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        email = cell(cells, "email").lower()
        row_problems = []
        try:
            validate_email(email)
        except ValidationError:
            row_problems.append(f"adresse électronique invalide « {email or '(vide)'} »")
        if email in seen:
            row_problems.append(f"adresse « {email} » déjà présente ligne {seen[email]}")
        profile = profiles.get(normalize(cell(cells, "profile")))
        if profile is None:
            row_problems.append(f"profil d'acteur inconnu « {cell(cells, 'profile') or '(vide)'} »")
        for key, (label, limit) in LIMITS.items():
            if len(cell(cells, key)) > limit:
                row_problems.append(f"{label} trop long ({limit} caractères au plus)")
        if row_problems or profile is None:
            problems.extend(RowProblem(line, message) for message in row_problems)
            continue
        seen[email] = line
        people.append(
            RespondentRow(
                line=line,
                email=email,
                name=cell(cells, "name"),
                organisation=cell(cells, "organisation"),
                profile=profile,
            )
        )
    if problems:
        raise PopulationRefused(problems)
    return people


def template_rows() -> list[list[str]]:
    """A header and two example lines: one by profile code, one by label."""
    profiles = list(ActorProfile.objects.order_by("order", "label").values_list("code", "label"))
    first = profiles[0] if profiles else ("", "")
    second = profiles[1] if len(profiles) > 1 else first
    return [
        TEMPLATE_HEADER,
        ["prenom.nom@exemple.fr", "Prénom Nom", "Mairie de …", first[0]],
        ["autre.personne@exemple.fr", "Autre Personne", "Association …", second[1]],
    ]
