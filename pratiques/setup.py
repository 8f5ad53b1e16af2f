"""Reference and demo data of this app, loaded by `manage.py setup_platform`."""

from __future__ import annotations

from typing import TextIO


def load_reference(*, stdout: TextIO) -> None:
    """Load this app's reference data (idempotent)."""


def load_demo(*, stdout: TextIO) -> None:
    """Load this app's deterministic demo data (idempotent)."""
