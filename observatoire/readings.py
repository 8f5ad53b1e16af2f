"""Words for the Observatoire's figures: a domain's reading from its indicators' ranks, the
French ordinal of a centile, the name of a peer group (used by the page, the CSV and the report
through ``observatoire.queries``)."""

from __future__ import annotations

import math

from config.typography import french_number
from territoires.models import Level, SizeSegment

# A domain whose median rank is at or above STANDS_OUT (at or below BETTER_PLACED) is named in
# the summary « Ce qui ressort », on the page and in the report, at most STANDING_SHOWN of them.
STANDS_OUT = 75
BETTER_PLACED = 25
STANDING_SHOWN = 4

# What the median rank of a domain's indicators says, by band (« lecture des indicateurs »).
READING_BANDS = (
    (75, "parmi le quart le plus fragile de ses pairs"),
    (50, "plus fragile que la moitié de ses pairs"),
    (25, "moins fragile que la moitié de ses pairs"),
    (0, "parmi le quart le moins fragile de ses pairs"),
)


def indicator_reading(position: float | None) -> str:
    """« plus fragile que la moitié de ses pairs » for a median rank of 58; "" without rank."""
    if position is None:
        return ""
    return next(words for low, words in READING_BANDS if position >= low)


def centile(rank: float) -> str:
    """« 1er centile », « 58e centile » (French ordinals: 1er, then e)."""
    whole = math.floor(rank + 0.5)  # halves up, as queries.round_rank
    return f"{whole}{'er' if whole == 1 else 'e'} centile"


def population_band(segment: SizeSegment) -> str:
    """« de 20 000 à 50 000 habitants »: what a size segment really holds."""
    low, high = segment.min_population, segment.max_population
    if high is None:
        return f"de plus de {french_number(low)} habitants"
    if low <= 0:
        return f"de moins de {french_number(high)} habitants"
    return f"de {french_number(low)} à {french_number(high)} habitants"


def peer_group_name(level: str, segment: SizeSegment | None, *, whole_level: bool = False) -> str:
    """« communes de 20 000 à 50 000 habitants (segment « moins de 50 000 habitants » des
    publications) »; « régions » when every territory of the level is in the one segment."""
    noun = PEER_NOUNS.get(Level(level), "territoires")
    if segment is None:
        return f"{noun} (taille inconnue)"
    if whole_level:
        return noun
    name = f"{noun} {population_band(segment)}"
    if segment.min_population > 0 and segment.max_population is not None:
        # The publications name the band by its upper bound only.
        name += f" (segment « {segment.label} » des publications)"
    return name


PEER_NOUNS = {
    Level.COMMUNE: "communes",
    Level.ARRONDISSEMENT: "arrondissements municipaux",
    Level.EPCI: "intercommunalités",
    Level.DEPARTEMENT: "départements",
    Level.REGION: "régions",
    Level.PROJECT: "territoires de projet",
    Level.COUNTRY: "pays",
}
