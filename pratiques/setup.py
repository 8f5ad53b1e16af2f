"""Reference and demo data of this app, loaded by `manage.py setup_platform`."""

from __future__ import annotations

from typing import TextIO

from django.conf import settings
from django.core.management import call_command


def load_reference(*, stdout: TextIO) -> None:
    """Load the grid (versions 2023 and 2024, answer scales) into a database that has none.

    Once curated in the product, the grid is the network's data: never overwrite it.
    """
    from pratiques.curation.setup import load_resources
    from pratiques.models import GridVersion

    if GridVersion.objects.exists():
        stdout.write("  grille déjà présente : inchangée")
    else:
        call_command(
            "loaddata",
            str(settings.BASE_DIR / "fixtures" / "pratiques_grid.json"),
            stdout=stdout,
            verbosity=1,
        )
    load_resources(stdout=stdout)
    from pratiques.examples.services import examples_from_resources

    converted = examples_from_resources()
    if converted:
        stdout.write(f"  {converted} ressources « Exemples » reprises dans la base d'exemples")


def load_demo(*, stdout: TextIO) -> None:
    """Load this app's deterministic demo data (idempotent)."""
    from pratiques.demo import load_demo_assessments

    load_demo_assessments(stdout=stdout)
    from pratiques.curation.setup import load_demo_attachments

    load_demo_attachments(stdout=stdout)
    from pratiques.campaigns.demo import load_demo_campaigns

    load_demo_campaigns(stdout=stdout)
    from pratiques.examples.demo import load_demo_directory, load_demo_examples

    load_demo_directory(stdout=stdout)
    load_demo_examples(stdout=stdout)
    from config.refusals import Refused
    from pratiques.aggregates import release_aggregates

    try:
        release = release_aggregates(trigger="démonstration")
    except Refused as refusal:  # a demo reloaded within the month keeps that month's release
        stdout.write(f"  diffusion non relancée : {refusal.text}")
        return
    stdout.write(f"  {release} des agrégats de pratiques ({release.people} personnes)")
