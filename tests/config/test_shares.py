"""Released shares: together they add up to 100 % (largest remainder), « environ » at 0 and 100."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from config.shares import carried, largest_remainder, near_bound, share_text


def test_shares_that_belong_together_add_up_to_100() -> None:
    # The barycentre: 35 / 35 / 35 (105 %) at steps of 5.
    assert largest_remainder([35, 35, 35], step=5) == [35, 35, 30]
    assert carried(30, 30, 30) == (40, 30, 30)  # 90 % at steps of 10
    assert carried(20, 50, 30) == (20, 50, 30)  # already 100: unchanged
    assert largest_remainder([1, 1, 1]) == [34, 33, 33]
    assert largest_remainder([2, 1, 1]) == [50, 25, 25]


def test_missing_and_empty_shares() -> None:
    assert carried(None, 60, 50) == (None, 50, 50)
    assert carried(None, None, None) == (None, None, None)
    assert carried(0, 0, 0) == (0, 0, 0)  # nobody said how: nothing to share out


@given(
    st.lists(st.integers(min_value=0, max_value=100), min_size=2, max_size=6),
    st.sampled_from([1, 5, 10]),
)
def test_the_sum_is_always_the_total_at_the_step(values: list[int], step: int) -> None:
    shares = largest_remainder(values, step=step)
    if sum(values) > 0:
        assert sum(s or 0 for s in shares) == 100
        assert all((s or 0) % step == 0 for s in shares)
        # Never more than one step away from the exact share.
        whole = sum(values)
        assert all(
            abs((s or 0) - v * 100 / whole) < step for s, v in zip(shares, values, strict=True)
        )


def test_environ_near_0_and_100() -> None:
    assert share_text(0) == "environ 0\u202f%"
    assert share_text(100) == "environ 100\u202f%"
    assert share_text(40) == "40\u202f%"
    assert share_text(None) == "—"
    assert share_text(0, released=False) == "0\u202f%"
    assert near_bound(0) and near_bound(100) and not near_bound(10) and not near_bound(90)
