"""Reads of the legal pages: the operator's current text, its versions, the accessibility
measures written by the browser test suite."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from accounts.legal.models import LegalPage, LegalText

# What a page says until network admins write the operator's text.
DEFAULTS = {
    LegalPage.MENTIONS: (
        "Éditeur : à compléter par l’administration du réseau (nom de l’organisme, adresse, "
        "numéro SIREN, directeur ou directrice de la publication).\n\n"
        "Hébergeur : à compléter (nom, adresse et téléphone de l’hébergeur)."
    ),
    LegalPage.PERSONAL_DATA: (
        "Responsable du traitement : à compléter par l’administration du réseau (organisme, "
        "adresse).\n\n"
        "Délégué ou déléguée à la protection des données : à compléter (adresse de contact)."
    ),
    LegalPage.ACCESSIBILITY: (
        "Pour signaler un défaut d’accessibilité ou obtenir un contenu sous une autre forme : "
        "à compléter par l’administration du réseau (adresse électronique ou formulaire)."
    ),
    LegalPage.CONTACT: (
        "Adresse de contact : à compléter par l’administration du réseau (adresse électronique, "
        "adresse postale)."
    ),
}

MEASURES_DIR = Path(__file__).resolve().parent / "accessibilite"


def legal_text(page: LegalPage) -> LegalText | None:
    return LegalText.objects.filter(page=page).order_by("-created_at", "-pk").first()


def legal_history(page: LegalPage) -> QuerySet[LegalText]:
    return (
        LegalText.objects.filter(page=page).select_related("author").order_by("-created_at", "-pk")
    )


@dataclass
class Journey:
    name: str
    pages: int
    widths: list[int]
    violations: int


@dataclass
class Measures:
    """The last automated accessibility run of the browser test suite (axe-core)."""

    measured_on: date
    axe_version: str
    rules: list[str]
    journeys: list[Journey]

    @property
    def checks(self) -> int:
        return sum(j.pages * len(j.widths) for j in self.journeys)

    @property
    def violations(self) -> int:
        return sum(j.violations for j in self.journeys)

    @property
    def widths(self) -> list[int]:
        return sorted({w for j in self.journeys for w in j.widths})


def accessibility_measures(folder: Path | None = None) -> Measures | None:
    """The JSON files the browser tests write (one per journey), merged; None when absent."""
    folder = folder or Path(getattr(settings, "ACCESSIBILITY_MEASURES_DIR", MEASURES_DIR))
    journeys, dates, versions, rules = [], [], set(), set()
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        journeys.append(
            Journey(data["journey"], len(data["pages"]), data["widths"], data["violations"])
        )
        dates.append(date.fromisoformat(data["measured_on"]))
        versions.add(data["axe"])
        rules.update(data["rules"])
    if not journeys:
        return None
    return Measures(min(dates), ", ".join(sorted(versions)), sorted(rules), journeys)
