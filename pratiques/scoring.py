"""How an assessment is scored (documented on the results page and in the README).

- A practice answered with a frequency gets a score from 0 to 100: the mean of its frequency and
  its involvement, each taken as a share of the top step (« Au quotidien », « Pilote »). « Jamais »
  scores 0 whatever the involvement; a frequency without involvement counts alone.
- « Non concerné·e » and unanswered practices are left out: they never count as 0.
- A situation scores the mean of its scored practices; an axis the mean of its scored situations.
  An element with nothing scored has no score (shown as « — »).
- The Gestion – Action – Vision position divides each axis score by the sum of the three.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from statistics import fmean

FREQUENCY_VALUES = (0, 1, 2, 3)
INVOLVEMENT_VALUES = (0, 1, 2, 3)
CARRYING_VALUES = (1, 2, 3)
FREQUENCY_TOP = 3
INVOLVEMENT_TOP = 3
TERNARY_STEPS = 20  # peers' spread is drawn on a 5 % grid


def practice_score(
    frequency: int | None, involvement: int | None, *, not_concerned: bool = False
) -> float | None:
    if not_concerned or frequency is None:
        return None
    if frequency == 0:
        return 0.0
    share = frequency / FREQUENCY_TOP
    if involvement is None:
        return 100 * share
    return 100 * (share + involvement / INVOLVEMENT_TOP) / 2


def mean_or_none(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return fmean(kept) if kept else None


def ternary(
    gestion: float | None, action: float | None, vision: float | None
) -> tuple[float, float, float] | None:
    """Shares of the three levers, or None when they are missing or all zero."""
    if gestion is None or action is None or vision is None:
        return None
    total = gestion + action + vision
    if total <= 0:
        return None
    return gestion / total, action / total, vision / total


def round_half_up(value: float) -> int:
    """Same rounding as PostgreSQL's floor(x + 0.5), used by the SQL rebuild."""
    return math.floor(value + 0.5)


def score_bucket(score: float) -> int:
    return round_half_up(score * 10)


def ternary_cell(gestion_share: float, action_share: float) -> int:
    return round_half_up(gestion_share * TERNARY_STEPS) * 100 + round_half_up(
        action_share * TERNARY_STEPS
    )


def cell_shares(cell: int) -> tuple[float, float, float]:
    g, a = divmod(cell, 100)
    g_share, a_share = g / TERNARY_STEPS, a / TERNARY_STEPS
    return g_share, a_share, max(0.0, 1 - g_share - a_share)
