"""The disclosure policy's own rules (pure functions, no database)."""

from __future__ import annotations

from pratiques import disclosure


def people(*ranges: range) -> frozenset[int]:
    return frozenset(i for r in ranges for i in r)


def test_nested_scopes_differing_by_fewer_than_k_people_lose_the_smaller() -> None:
    status = disclosure.suppress_differences(
        {
            "departement": people(range(6)),
            "epci": people(range(5)),  # the département minus it is one person
            "region": people(range(20)),  # minus the département: 14 people, fine
            "commune": people(range(2)),  # below k
        }
    )
    assert status == {
        "departement": "published",
        "epci": "suppressed",
        "region": "published",
        "commune": "below",
    }


def test_the_same_people_are_not_a_difference() -> None:
    status = disclosure.suppress_differences({"a": people(range(7)), "b": people(range(7))})
    assert status == {"a": "published", "b": "published"}


def test_a_family_of_disjoint_scopes_that_leaves_one_person_loses_its_smallest() -> None:
    status = disclosure.suppress_differences(
        {
            "region": people(range(13)),
            "dep-1": people(range(6)),
            "dep-2": people(range(6, 12)),  # region − dep-1 − dep-2 = person 12
        }
    )
    assert list(status.values()).count("suppressed") == 1 and status["region"] == "published"


def test_counts_and_shares_are_banded() -> None:
    assert disclosure.count_label(None) == "moins de 5"
    assert disclosure.count_label(25) == "environ 25"
    assert disclosure.share(1, 3) == 30 and disclosure.share(5, 0) is None
    assert disclosure.small_cell(3) == "< 5" and disclosure.small_cell(0) == 0
    noisy = disclosure.noisy([5, 5, 5, 5])
    assert len(noisy) == 4 and all(isinstance(v, int) for v in noisy)
