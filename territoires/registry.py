"""Hooks other apps fill in: ``territoires`` never imports them.

The indicator catalogue belongs to ``observatoire``; a fragility reading sourced by an indicator
must name one of it, so observatoire registers how to list it (``AppConfig.ready``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class IndicatorChoice(NamedTuple):
    code: str
    label: str
    fragility_code: str
    fragility_label: str


_indicator_catalogue: Callable[[], list[IndicatorChoice]] | None = None


def register_indicator_catalogue(provider: Callable[[], list[IndicatorChoice]]) -> None:
    global _indicator_catalogue
    _indicator_catalogue = provider


def indicator_catalogue() -> list[IndicatorChoice] | None:
    """The indicators a fragility may cite, or None when no app provides a catalogue."""
    return _indicator_catalogue() if _indicator_catalogue else None
