"""The results computation under the disclosure rules (issue 25's « Done when »)."""

from __future__ import annotations

from typing import Any

import pytest

from observatoire.dialogues import results as computing
from observatoire.dialogues.models import DialogueStatus
from observatoire.dialogues.results_queries import results_for
from tests.observatoire.dialogues.results_helpers import (
    days_ago,
    freeze,
    populated,
    random_answer,
    respond,
)

pytestmark = pytest.mark.django_db


def record(profile: str, via: str = "invite", seed: int = 0) -> dict[str, Any]:
    levels = {f"f{i}": (seed + i) % 4 for i in range(3)}
    return {"via": via, "profile": profile, "levels": levels, "priorities": ["f0"], "acts_with": []}


FRAGILITIES = [["f0", "F0"], ["f1", "F1"], ["f2", "F2"]]
PROFILES = [["a", "A"], ["b", "B"], ["c", "C"], ["d", "D"]]


def test_a_profile_with_four_invited_respondents_is_never_shown_alone() -> None:
    records = [record("a", seed=i) for i in range(8)] + [record("b", seed=i) for i in range(4)]
    cells = computing.partition(records, PROFILES)
    # B (4 invited) cannot stand alone, and « autres profils » = B alone would give it back as
    # « ensemble » − A: the smallest shown profile joins it, nothing is shown by profile.
    assert cells == {}
    results = computing.dialogue_results(records, FRAGILITIES, PROFILES)
    assert results.overall is not None and results.groups == []


def test_others_are_completed_until_no_difference_gives_a_small_profile_back() -> None:
    records = (
        [record("a", seed=i) for i in range(9)]
        + [record("b", seed=i) for i in range(6)]
        + [record("c", seed=i) for i in range(4)]
    )
    cells = computing.partition(records, PROFILES)
    # C (4) is merged with B (the smallest shown): « autres profils » has 10, A 9.
    assert set(cells) == {"a", computing.OTHERS}
    assert len(cells[computing.OTHERS]) == 10
    for key, members in cells.items():
        assert len(computing.invited(records, members)) >= 5, key
    # Every difference of published cells (ensemble − one, ensemble − all) keeps ≥ k people.
    everyone = set(range(len(records)))
    for members in cells.values():
        assert len(everyone - set(members)) >= 5


def test_padding_through_the_open_link_does_not_unlock_a_profile() -> None:
    records = (
        [record("a", seed=i) for i in range(10)]
        + [record("b", seed=i) for i in range(4)]
        + [record("b", via="ouvert", seed=i) for i in range(30)]
        + [record("c", seed=i) for i in range(6)]
    )
    cells = computing.partition(records, PROFILES)
    assert "b" not in cells
    # Open-link answers are in the figures but never in the k: 4 invited in a dialogue of 44.
    alone = computing.dialogue_results(records[10:14] + records[14:44], FRAGILITIES, PROFILES)
    assert alone.overall is None


def test_the_same_records_give_the_same_figures_whatever_their_order() -> None:
    records = [record("a", seed=i) for i in range(12)]
    first = computing.dialogue_results(records, FRAGILITIES, PROFILES)
    second = computing.dialogue_results(list(reversed(records)), FRAGILITIES, PROFILES)
    assert first == second
    changed = [*records[:-1], record("a", seed=100)]
    assert computing.contributions_seed(changed) != computing.contributions_seed(records)


def test_frozen_results_do_not_move_with_later_answers(geo, elise) -> None:
    dialogue = populated(geo.vincennes, {"collectivites-territoriales": 8, "associations": 6})
    freeze(dialogue)
    before = results_for(dialogue)
    assert before.shown and not before.provisional
    # Rows written after closing (the collection side refuses them; written here directly).
    for seed in range(5):
        respond(dialogue, profile="associations", answer=random_answer(500 + seed))
    dialogue.refresh_from_db()
    assert results_for(dialogue) == before
    snapshot = dialogue.snapshot
    snapshot.refresh_from_db()
    recomputed = computing.dialogue_results(
        snapshot.records, snapshot.fragilities, snapshot.profiles
    )
    assert recomputed == before and recomputed is not before


def test_live_results_follow_checkpoints_and_ignore_edits(geo, elise) -> None:
    dialogue = populated(geo.vincennes, {"collectivites-territoriales": 6, "associations": 3})
    live = results_for(dialogue)
    assert live.provisional and live.based_on is None and not live.shown  # 9 answers < 10
    first = respond(dialogue, profile="associations", answer=random_answer(77))
    live = results_for(dialogue)
    assert live.based_on == 10 and live.next_checkpoint == 30 and live.shown
    # An answer after the checkpoint changes nothing until the next one.
    respond(dialogue, profile="associations", answer=random_answer(78))
    assert results_for(dialogue).overall == live.overall
    # Editing an answer inside the checkpoint: no new draw (the same noise), so nothing to average.
    first.perceptions.update(level=3)
    edited = results_for(dialogue)
    assert edited.overall is not None and edited.overall.people == live.overall.people


def test_an_answer_opened_early_and_sent_late_does_not_redraw_a_checkpoint(geo, elise) -> None:
    """Puppets opened before the target and sent one by one would otherwise each give a new
    draw of the first checkpoint (an averaging attack): they join the end instead."""
    from django.utils import timezone

    from observatoire.dialogues.results_queries import live_records

    dialogue = populated(geo.vincennes, {})
    early = respond(dialogue, profile="associations", answer=random_answer(1), submitted=False)
    for seed in range(10):
        respond(dialogue, profile="associations", answer=random_answer(10 + seed))
    first = results_for(dialogue)
    assert first.based_on == 10 and first.shown
    early.submitted_at = timezone.now()
    early.save()
    assert results_for(dialogue).overall == first.overall
    assert live_records(dialogue, 10)[1] == live_records(dialogue)[1][:10]
    assert early.pk not in live_records(dialogue, 10)[1]


def test_comparison_of_two_dialogues(geo, elise) -> None:
    profiles = {"collectivites-territoriales": 7, "associations": 6}
    first = populated(geo.vincennes, profiles, seed=1, status=DialogueStatus.OPEN)
    freeze(first, status=DialogueStatus.PUBLISHED, when=days_ago(400))
    second = populated(geo.vincennes, profiles, seed=2)
    freeze(second)
    from observatoire.dialogues.results_queries import evolution_since

    results = results_for(second)
    previous, rows = evolution_since(second, results)
    assert previous == first
    assert len(rows) == 16
    before = results_for(first)
    for row in rows:
        assert row.before == before.overall.fragility(row.code).mean
        assert row.after == results.overall.fragility(row.code).mean
        assert row.words in ("stable", "non comparable") or row.words.startswith(("en ", "en "))
    # The first dialogue has nothing before it.
    assert evolution_since(first, before) == (None, [])


def test_no_difference_of_published_cells_isolates_fewer_than_k_invited() -> None:
    """200 random dialogues (0–12 invited and 0–10 open-link answers per profile): every shown
    cell has k invited, and « ensemble » minus any union of shown cells is empty or holds k
    invited respondents."""
    import random
    from itertools import combinations

    rng = random.Random(25)
    for _ in range(200):
        records = []
        for code, _label in PROFILES:
            records += [record(code) for _ in range(rng.randint(0, 12))]
            records += [record(code, via="ouvert") for _ in range(rng.randint(0, 10))]
        records += [record("", via="ouvert") for _ in range(rng.randint(0, 2))]
        cells = computing.partition(records, PROFILES)
        everyone = set(range(len(records)))
        for members in cells.values():
            assert len(computing.invited(records, members)) >= 5
        for size in range(1, len(cells) + 1):
            for chosen in combinations(cells.values(), size):
                rest = everyone - {i for members in chosen for i in members}
                assert not rest or len(computing.invited(records, rest)) >= 5
