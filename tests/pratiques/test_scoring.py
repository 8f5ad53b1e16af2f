from __future__ import annotations

import pytest

from pratiques import scoring


def test_practice_score() -> None:
    assert scoring.practice_score(None, None) is None
    assert scoring.practice_score(3, 3, not_concerned=True) is None
    assert scoring.practice_score(0, 3) == 0
    assert scoring.practice_score(3, 3) == 100
    assert scoring.practice_score(3, None) == 100
    assert scoring.practice_score(3, 0) == 50
    assert scoring.practice_score(1, 2) == pytest.approx(50)


def test_unanswered_and_not_concerned_are_left_out_not_zero() -> None:
    assert scoring.mean_or_none([100, None, None]) == 100
    assert scoring.mean_or_none([None]) is None


def test_ternary() -> None:
    assert scoring.ternary(50, 25, 25) == (0.5, 0.25, 0.25)
    assert scoring.ternary(0, 0, 0) is None
    assert scoring.ternary(None, 10, 10) is None
    g, a, v = scoring.cell_shares(scoring.ternary_cell(0.5, 0.25))
    assert (g, a, v) == (0.5, 0.25, 0.25)
