"""Reference and demo data of this app, loaded by `manage.py setup_platform`."""

from __future__ import annotations

from typing import TextIO

from django.core.management import call_command

from config.fixtures import reference_fixtures


def load_reference(*, stdout: TextIO) -> None:
    """Load the grid (versions 2023 and 2024, answer scales) into a database that has none.

    Once curated in the product, the grid is the network's data: never overwrite it.
    """
    from pratiques.models import GridVersion

    if GridVersion.objects.exists():
        stdout.write("  grille déjà présente : inchangée")
        return
    call_command("loaddata", *reference_fixtures("pratiques"), stdout=stdout, verbosity=1)


def load_demo(*, stdout: TextIO) -> None:
    """Load this app's deterministic demo data (idempotent)."""
    from pratiques.demo import load_demo_assessments

    load_demo_assessments(stdout=stdout)
