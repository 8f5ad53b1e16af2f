"""Reference and demo data of the curation: the M.E.D.O.C. resources and demo attachments."""

from __future__ import annotations

from typing import TextIO

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

RESOURCES_FIXTURE = settings.BASE_DIR / "fixtures" / "pratiques_resources.json"

# Demo only: the publications do not say which resource serves which practice.
DEMO_ATTACHMENTS: dict[str, list[str]] = {
    "Référentiel « Co-construction territoriale »": ["7.1", "7.2"],
    "MOOC « Les alliances qui changent les territoires »": ["5.2", "7.1"],
    "Plateforme « L'innovation territoriale en Actions »": ["1.1", "1.3"],
    "Boîte à outils « Les coopérations territoriales dans tous leurs états »": ["2.1", "5.3"],
    "Étude d'impact 2018-2022 du faire alliance": ["6.2", "6.3", "8.3"],
    "Fiches Repères de l'Observatoire des partenariats": ["4.3", "8.3"],
    "Fiche Repère « L'engagement des ingénieries »": ["1.2"],
    "Base IMPACT-Alliances": ["5.2", "5.3", "6.3"],
    "Kit pratique « Réussir ensemble les transitions »": ["8.1"],
    "Vadémécums « Faire territoire » (ANPP-Territoires de projet)": ["7.1", "8.2"],
    "Programme « Chef de projet innovation territoriale »": ["3.1", "3.2", "3.3"],
    "Démarche PHARE": ["4.2"],
}


def load_resources(*, stdout: TextIO) -> None:
    """The resources named in the publications, into a database that has none (idempotent)."""
    from pratiques.models import Resource

    if Resource.objects.exists():
        stdout.write("  ressources M.E.D.O.C. déjà présentes : inchangées")
        return
    call_command("loaddata", str(RESOURCES_FIXTURE), stdout=stdout, verbosity=1)


@transaction.atomic
def load_demo_attachments(*, stdout: TextIO) -> None:
    """Attach some resources to practices of the current version, labelled as demo data."""
    from pratiques.models import GridStatus, Practice, Resource, ResourceAttachment

    if ResourceAttachment.objects.filter(is_demo=True).exists():
        stdout.write("  rattachements de démonstration déjà présents : inchangés")
        return
    practices = {
        p.code: p
        for p in Practice.objects.filter(version__status=GridStatus.PUBLISHED).only("code", "key")
    }
    resources = {r.title: r for r in Resource.objects.filter(title__in=DEMO_ATTACHMENTS)}
    rows = [
        ResourceAttachment(
            resource=resources[title], practice_key=practices[code].key, is_demo=True
        )
        for title, codes in DEMO_ATTACHMENTS.items()
        if title in resources
        for code in codes
        if code in practices
    ]
    ResourceAttachment.objects.bulk_create(rows, ignore_conflicts=True)
    stdout.write(f"  {len(rows)} rattachements ressource → pratique (données de démonstration)")
