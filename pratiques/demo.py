"""Deterministic demo assessments (« données de démonstration »)."""

from __future__ import annotations

from typing import TextIO


def load_demo_assessments(*, stdout: TextIO) -> None:
    """Filled in below by the journey work."""
