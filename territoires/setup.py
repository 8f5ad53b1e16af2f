"""Reference and demo data of this app, loaded by `manage.py setup_platform`."""

from __future__ import annotations

from typing import TextIO

from django.core.management import call_command

from config.fixtures import reference_fixtures


def load_reference(*, stdout: TextIO) -> None:
    """Load this app's reference data (idempotent)."""
    call_command("loaddata", *reference_fixtures("territoires"), stdout=stdout, verbosity=1)


def load_demo(*, stdout: TextIO) -> None:
    """Load this app's deterministic demo data (idempotent)."""
