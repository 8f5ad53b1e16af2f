"""The practice figures the report formats come from pratiques.aggregates (the one owner)."""

from __future__ import annotations

import random

from pratiques import disclosure
from pratiques.aggregates import Person, protected_figures

KEYS = [f"practice-{i}" for i in range(24)]
SITUATIONS = [f"situation-{i}" for i in range(8)]


def people(count: int, seed: int = 7) -> list[Person]:
    rng = random.Random(seed)
    result = []
    for i in range(count):
        person = Person(user_id=i, assessment_id=i)
        person.practices = {
            k: (True, rng.choice([1, 2, 3, None]), rng.random() < 0.3) for k in KEYS
        }
        person.situations = {s: float(rng.randint(10, 95)) for s in SITUATIONS}
        person.levers = {
            lever: float(rng.randint(20, 90)) for lever in ("gestion", "action", "vision")
        }
        result.append(person)
    return result


def test_a_small_group_gets_rounded_noisy_shares_and_no_distribution() -> None:
    figures = protected_figures(people(5))
    assert figures["people"] >= 5 and figures["people"] % disclosure.COUNT_STEP == 0
    assert set(figures["practices"]) == set(KEYS)
    for cells in figures["practices"].values():
        assert all(
            v is None or (0 <= v <= 100 and v % disclosure.SHARE_STEP == 0) for v in cells.values()
        )
    # Medians, quartiles and barycentre only from 10 people.
    assert figures["situations"] == {} and figures["barycentre"] is None


def test_from_ten_people_quartiles_and_barycentre_in_steps_of_five() -> None:
    figures = protected_figures(people(12))
    assert set(figures["situations"]) == set(SITUATIONS)
    for cell in figures["situations"].values():
        assert cell["q1"] <= cell["median"] <= cell["q3"]
        assert all(v % disclosure.SCORE_STEP == 0 for v in cell.values())
    assert sum(figures["barycentre"]) == 100
    assert set(figures["levers"]) == {"gestion", "action", "vision"}


def test_unanswered_practices_are_left_out_not_zero() -> None:
    group = people(6)
    for person in group:
        person.practices[KEYS[0]] = (False, None, False)  # « non concerné·e »
    figures = protected_figures(group)
    # Nobody answered: the shares rest on noise only, never on a zero counted as an answer.
    cells = figures["practices"][KEYS[0]]
    assert all(v is None or v % disclosure.SHARE_STEP == 0 for v in cells.values())
