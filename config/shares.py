"""Released shares as a reader sees them: together they add up to 100 %, and a share that noise or
rounding could have pushed to 0 % or 100 % says « environ ».

The disclosure policy rounds each share on its own (parts by steps of 10 %, the Gestion – Action
– Vision barycentre by steps of 5): three shares of one whole can then read 30 / 30 / 30 % or
35 / 35 / 35 %. Every medium (page, CSV, PDF) shows them through ``largest_remainder`` so that they
add up to 100 again, at the same step, and through ``share_text``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from config.typography import NNBSP, french_number


def largest_remainder(
    values: Sequence[float | None], *, total: int = 100, step: int = 1
) -> list[int | None]:
    """The values scaled to ``total`` and rounded to multiples of ``step`` by the largest
    remainder method (Hare): their sum is exactly ``total``. Missing values stay missing; when
    nothing is known, or all is 0, the values are only rounded to the step."""
    known = [value for value in values if value is not None]
    whole = sum(known)
    if not known or whole <= 0:
        return [None if v is None else int(round(v / step) * step) for v in values]
    units = total // step
    exact = [value * units / whole for value in known]
    floors = [math.floor(share) for share in exact]
    # Largest remainders first; a tie goes to the first share (a stable, documented order).
    order = sorted(range(len(exact)), key=lambda i: (floors[i] - exact[i], i))
    for i in order[: units - sum(floors)]:
        floors[i] += 1
    rounded = iter(floor * step for floor in floors)
    return [None if value is None else next(rounded) for value in values]


def near_bound(value: float) -> bool:
    """A released share at 0 or 100: noise and rounding may have put it there."""
    return value <= 0 or value >= 100


def share_text(value: float | None, *, released: bool = True) -> str:
    """« 40 % », « environ 0 % », « environ 100 % »; « — » when not published."""
    if value is None:
        return "—"
    text = f"{french_number(value)}{NNBSP}%"
    return f"environ {text}" if released and near_bound(value) else text


def carried(
    in_house: int | None, partnership: int | None, both: int | None, *, step: int = 10
) -> tuple[int | None, int | None, int | None]:
    """The three ways a practice is carried (shares of those who say how): 100 % together."""
    a, b, c = largest_remainder([in_house, partnership, both], step=step)
    return a, b, c
