"""How an assessment is scored (documented on the results page and in the README).

- A practice answered with a frequency gets a score from 0 to 100: the mean of its frequency and
  its involvement, each taken as a share of the top step (« Au quotidien », « Pilote »). « Jamais »
  scores 0 whatever the involvement; a frequency without involvement counts alone.
- « Non concerné·e » and unanswered practices are left out: they never count as 0.
- A situation scores the mean of its scored practices; an axis the mean of its scored situations.
  An element with nothing scored has no score (shown as « — »).
- The Gestion – Action – Vision position divides each axis score by the sum of the three.
- A comparison with a previous assessment compares like with like: per situation, only the
  practices scored both times (matched by stable key, so across grid versions too); the practices
  left out are counted and said (``compare_situations``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import fmean
from typing import TYPE_CHECKING, Any

from pratiques.models import PeerGroupKind

if TYPE_CHECKING:
    from pratiques.models import Answer, Assessment, Axis, Situation

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


# --- one assessment's scores and the histogram cells it feeds --------------------------------


@dataclass
class Scores:
    situations: dict[Any, tuple[float | None, int]]  # key → (score, answered practices)
    axes: dict[Any, tuple[float | None, int]]
    levers: dict[str, float | None]


def compute_scores(answers: list[Answer], situations: list[Situation]) -> Scores:
    """Scores of one assessment (see pratiques.scoring); ``answers`` carry their practice."""
    by_situation: dict[int, list[float | None]] = defaultdict(list)
    for answer in answers:
        by_situation[answer.practice.situation_id].append(
            practice_score(answer.frequency, answer.involvement, not_concerned=answer.not_concerned)
        )
    situation_scores: dict[Any, tuple[float | None, int]] = {}
    by_axis: dict[int, list[float | None]] = defaultdict(list)
    axes: dict[int, Axis] = {}
    for situation in situations:
        values = by_situation.get(situation.pk, [])
        score = mean_or_none(values)
        situation_scores[situation.key] = (score, sum(v is not None for v in values))
        by_axis[situation.axis_id].append(score)
        axes[situation.axis_id] = situation.axis
    axis_scores = {}
    levers: dict[str, float | None] = {}
    for axis_id, values in by_axis.items():
        score = mean_or_none(values)
        axis_scores[axes[axis_id].key] = (score, sum(v is not None for v in values))
        levers[axes[axis_id].lever] = score
    return Scores(situation_scores, axis_scores, levers)


def peer_groups_of(assessment: Assessment, engineering_ids: list[int]) -> list[tuple[str, int]]:
    groups = [
        (PeerGroupKind.ALL.value, 0),
        (PeerGroupKind.PROFILE.value, assessment.actor_profile_id),
    ]
    if assessment.size_segment_id:
        groups.append((PeerGroupKind.SEGMENT.value, assessment.size_segment_id))
    if assessment.region_id:
        groups.append((PeerGroupKind.REGION.value, assessment.region_id))
    groups += [(PeerGroupKind.ENGINEERING.value, e) for e in sorted(engineering_ids)]
    return groups


def assessment_dimensions(
    scores: list[tuple[str, Any, float]], levers: dict[Any, str]
) -> dict[tuple[str, int], int]:
    """The histogram cells one assessment adds to each of its groups: (dimension, bucket) → count."""
    cells: dict[tuple[str, int], int] = {("n", 0): 1}
    lever_scores: dict[str, float] = {}
    for kind, key, score in scores:
        prefix = "s:" if kind == "situation" else "a:"
        cells[(f"{prefix}{key}", score_bucket(score))] = 1
        if kind == "axis" and key in levers:
            lever_scores[levers[key]] = score
    shares = ternary(
        lever_scores.get("gestion"), lever_scores.get("action"), lever_scores.get("vision")
    )
    if shares is not None:
        cells[("t", ternary_cell(shares[0], shares[1]))] = 1
        for lever, share in zip(("gestion", "action", "vision"), shares, strict=True):
            cells[(f"sum:{lever}", 0)] = round_half_up(share * 1_000_000)
    return cells


# --- comparison with a previous assessment -----------------------------------------------------


@dataclass
class SituationChange:
    """Per situation: the change on the practices scored both times, and what was left out."""

    delta: float | None = None
    compared: int = 0
    # Scored now, not the last time (unanswered, « non concerné·e » or absent from its grid).
    new_now: list[str] = field(default_factory=list)
    # Scored the last time, not now.
    dropped_now: list[str] = field(default_factory=list)


def compare_situations(
    now: dict[Any, tuple[Any, str, float | None]], before: dict[Any, float | None]
) -> dict[Any, SituationChange]:
    """``now``: practice key → (situation key, practice code, score) of the current assessment;
    ``before``: practice key → score of the previous one (keys of practices that do not persist
    are simply absent). Returns situation key → SituationChange."""
    pairs: dict[Any, list[tuple[float, float]]] = defaultdict(list)
    changes: dict[Any, SituationChange] = defaultdict(SituationChange)
    for key, (situation_key, code, score) in now.items():
        change = changes[situation_key]
        previous = before.get(key)
        if score is not None and previous is not None:
            pairs[situation_key].append((score, previous))
        elif score is not None:
            change.new_now.append(code)
        elif previous is not None:
            change.dropped_now.append(code)
    for situation_key, change in changes.items():
        compared = pairs.get(situation_key, [])
        change.compared = len(compared)
        if compared:
            change.delta = fmean(a for a, _ in compared) - fmean(b for _, b in compared)
    return dict(changes)
