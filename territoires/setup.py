"""Reference and demo data of this app, loaded by `manage.py setup_platform`."""

from __future__ import annotations

import time
from typing import TextIO

from django.core.management import call_command

from config.fixtures import reference_fixtures
from config.typography import french_seconds
from territoires.demo import demo_load
from territoires.geography import geography_load


def load_reference(*, stdout: TextIO) -> None:
    """Load this app's reference data and the geography (idempotent)."""
    call_command("loaddata", *reference_fixtures("territoires"), stdout=stdout, verbosity=1)
    start = time.perf_counter()
    report = geography_load()
    for line in report.lines():
        stdout.write(line)
    stdout.write(f"Géographie chargée en {french_seconds(time.perf_counter() - start)}.")


def load_demo(*, stdout: TextIO) -> None:
    """Load this app's deterministic demo data (idempotent)."""
    stdout.write(demo_load())
