"""The attacks of the suite, on territorial dialogues (issue 25), through the real pages.

The organiser is the attacker: they control the invite list (accomplices whose answers they
know), the open link (free padding) and read the live results while it runs. « Recovered »: one
respondent's perceived level guessed right on ≥ 13 of the 16 fragilities
(``attack.DIALOGUE_RECOVERED_AT``). Each attack has its control: the same guess on exact,
unprotected figures recovers the target, so the attacker's arithmetic works.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from observatoire.dialogues.models import DialogueStatus
from territoires.models import Fragility
from tests.conftest import logged_in
from tests.observatoire.dialogues.results_helpers import (
    freeze,
    make_dialogue,
    random_answer,
    respond,
)
from tests.privacy import attack

pytestmark = pytest.mark.django_db


def labels() -> dict[str, str]:
    return dict(Fragility.objects.values_list("code", "label"))


def truth(answer: dict[str, Any]) -> dict[str, Any]:
    names = labels()
    return {names[code]: level for code, level in answer["levels"].items()}


def from_page(html: str, known: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Published overall shares × published size − the attacker's own answers."""
    counts, size = attack.dialogue_shares(html)
    if size is None:
        return None
    return attack.level_guess(
        attack.subtract_levels(counts, attack.known_level_counts(known, labels()))
    )


def control(everyone: list[dict[str, Any]], known: list[dict[str, Any]]) -> dict[str, Any]:
    names = labels()
    exact = attack.exact_level_counts(everyone, names)
    return attack.level_guess(
        attack.subtract_levels(exact, attack.known_level_counts(known, names))
    )


def results(client: Client, dialogue: Any) -> str:
    return client.get(f"/dialogues/{dialogue.pk}/resultats/").content.decode()


def report(name: str, attempts: list[int], control_score: int) -> int:
    recovered = sum(1 for score in attempts if score >= attack.DIALOGUE_RECOVERED_AT)
    print(
        f"\n{name}: {len(attempts)} attempts, best {max(attempts, default=0)}/16, "
        f"{recovered} recovered; control (exact figures) {control_score}/16"
    )
    return recovered


def test_profile_cut_with_invited_accomplices(geo, elise) -> None:
    """Four accomplices invited in the target's profile make it a shown cell of five; the
    organiser subtracts them from the profile's column and from « ensemble » − the others."""
    dialogue = make_dialogue(geo.vincennes, organiser=elise)
    accomplices = [random_answer(100 + i) for i in range(4)]
    others = [random_answer(200 + i) for i in range(10)]
    target = random_answer(7)
    for answer in accomplices:
        respond(dialogue, profile="entreprises", answer=answer)
    for answer in others:
        respond(dialogue, profile="associations", answer=answer)
    respond(dialogue, profile="entreprises", answer=target)
    freeze(dialogue, status=DialogueStatus.PUBLISHED)
    html = results(Client(), dialogue)
    true = truth(target)
    attempts = []
    means = attack.dialogue_profile_means(html)
    names = labels()
    for head, column in means.items():
        if head.startswith("Ensemble"):
            continue
        size = 5 if head.startswith("Entreprises") else 15
        known = accomplices if head.startswith("Entreprises") else [*accomplices, *others]
        guessed = {}
        for label, mean in column.items():
            if mean is None:
                continue
            own = sum(
                a["levels"][code] or 0
                for a in known
                for code in a["levels"]
                if names[code] == label
            )
            guessed[label] = max(0, min(3, round(mean * size - own)))
        attempts.append(attack.level_matches(guessed, true))
    overall = from_page(html, [*accomplices, *others])
    if overall is not None:
        attempts.append(attack.level_matches(overall, true))
    exact = attack.level_matches(
        control([*accomplices, *others, target], [*accomplices, *others]), true
    )
    assert exact >= attack.DIALOGUE_RECOVERED_AT
    assert report("dialogue profile cut", attempts, exact) == 0


def test_padding_through_the_open_link(geo, elise) -> None:
    """The target's profile has 4 invited respondents (the target and 3 accomplices); 30 answers
    through the open link try to unlock it; the organiser then reads every published cell, and
    an admin the dataset."""
    dialogue = make_dialogue(geo.vincennes, organiser=elise)
    target = random_answer(7)
    colleagues = [random_answer(300 + i) for i in range(3)]
    padding = [random_answer(400 + i) for i in range(30)]
    others = [random_answer(500 + i) for i in range(8)]
    respond(dialogue, profile="entreprises", answer=target)
    for answer in colleagues:
        respond(dialogue, profile="entreprises", answer=answer)
    for answer in padding:
        respond(dialogue, profile="entreprises", answer=answer, via="ouvert")
    for answer in others:
        respond(dialogue, profile="associations", answer=answer)
    freeze(dialogue, status=DialogueStatus.PUBLISHED)
    html = results(Client(), dialogue)
    assert "Entreprises (" not in html  # never shown alone
    true = truth(target)
    attempts = []
    # Everything the attacker does not know is the target plus 3 colleagues plus 8 others.
    overall = from_page(html, [*colleagues, *padding])
    if overall is not None:
        attempts.append(attack.level_matches(overall, true))
    # The dataset (admins only): the rows that are not the padding's.
    from django.contrib.auth.models import Group, User

    admin = User.objects.create(username="admin-attaquant")
    admin.groups.add(Group.objects.get(name="administrateur"))
    csv = logged_in(admin).get(f"/dialogues/{dialogue.pk}/resultats/donnees-anonymisees.csv")
    rows = [line.split(";") for line in csv.content.decode().lstrip("\ufeff").splitlines()[2:]]
    codes = list(Fragility.objects.order_by("order", "pk").values_list("code", flat=True))
    names = labels()

    def row_levels(row: list[str]) -> dict[str, Any]:
        return {
            names[code]: (None if cell == "ne sait pas" else int(cell)) if cell else None
            for code, cell in zip(codes, row[2:18], strict=True)
        }

    own = [truth(a) for a in [*colleagues, *padding]]
    candidates = [row_levels(row) for row in rows if row_levels(row) not in own]
    if len(candidates) == 1:  # only a single unknown row would single the target out
        attempts.append(attack.level_matches(candidates[0], true))
    # Control: the profile's column published exactly once padded past k, minus what is known.
    exact = attack.level_matches(
        control([target, *colleagues, *padding], [*colleagues, *padding]), true
    )
    assert exact >= attack.DIALOGUE_RECOVERED_AT
    assert report("dialogue open-link padding", attempts, exact) == 0


def test_before_and_after_one_response_while_it_runs(geo, elise) -> None:
    """Nine accomplices answer; the target's answer makes ten (the first live checkpoint); the
    organiser reads the live results before and after, then pads through the open link to 30
    and 90 answers and averages every draw that contains the target, and the final one."""
    dialogue = make_dialogue(geo.vincennes, organiser=elise)
    organiser = logged_in(elise)
    known = [random_answer(600 + i) for i in range(9)]
    for answer in known:
        respond(dialogue, profile="associations", answer=answer)
    before = from_page(results(organiser, dialogue), known)
    assert before is None  # under the first checkpoint: nothing to subtract from
    target = random_answer(7)
    respond(dialogue, profile="associations", answer=target)
    true = truth(target)
    draws: list[attack.LevelCounts] = []
    attempts = []
    html = results(organiser, dialogue)
    counts, _size = attack.dialogue_shares(html)
    names = labels()
    draws.append(attack.subtract_levels(counts, attack.known_level_counts(known, names)))
    attempts.append(attack.level_matches(attack.level_guess(draws[-1]), true))
    for checkpoint in (30, 90):
        while len(known) + 1 < checkpoint:
            answer = random_answer(700 + len(known))
            known.append(answer)
            respond(dialogue, profile="associations", answer=answer, via="ouvert")
        counts, _size = attack.dialogue_shares(results(organiser, dialogue))
        draws.append(attack.subtract_levels(counts, attack.known_level_counts(known, names)))
        attempts.append(attack.level_matches(attack.level_guess(draws[-1]), true))
    freeze(dialogue, status=DialogueStatus.PUBLISHED)
    counts, _size = attack.dialogue_shares(results(Client(), dialogue))
    draws.append(attack.subtract_levels(counts, attack.known_level_counts(known, names)))
    averaged = {
        label: {
            c: sum(d.get(label, {}).get(c, 0) for d in draws) / len(draws)
            for c in attack.LEVEL_CELLS
        }
        for label in true
    }
    attempts.append(attack.level_matches(attack.level_guess(averaged), true))
    exact = attack.level_matches(control([*known, target], known), true)
    assert exact >= attack.DIALOGUE_RECOVERED_AT
    assert report("dialogue before/after and averaging", attempts, exact) == 0


def test_nested_territories_in_the_national_picture(geo, elise, nadia) -> None:
    """A région's figure minus the published dialogue inside it would give back a small
    dialogue of the same région (here: one respondent, the target)."""
    big = make_dialogue(geo.vincennes, organiser=elise)
    known = [random_answer(800 + i) for i in range(12)]
    for answer in known:
        respond(big, profile="associations", answer=answer)
    freeze(big, status=DialogueStatus.PUBLISHED)
    small = make_dialogue(geo.saint_mande, organiser=elise)
    target = random_answer(7)
    respond(small, profile="associations", answer=target)
    freeze(small, status=DialogueStatus.PUBLISHED)
    true = truth(target)
    from observatoire.dialogues.results_queries import national_picture, perceived_for_territory

    picture = national_picture()
    (region,) = picture.rows
    part = perceived_for_territory(geo.vincennes, with_rows=False)
    assert part is not None and region.figures is not None and part.results.overall is not None
    # The région is the one whole dialogue: the same figures, nothing left to subtract.
    assert [f.mean for f in region.figures.fragilities] == [
        f.mean for f in part.results.overall.fragilities
    ]
    # The page of the small dialogue shows nothing; its territory page neither.
    assert "environ" not in results(Client(), small).split("Initiatives")[0]
    names = labels()
    exact = attack.level_matches(
        control([*known, target], known), true
    )  # control: a région counting both dialogues, exactly
    attempts = [
        attack.level_matches(
            {
                names[a.code]: (
                    round(a.mean * 13 - sum(k["levels"][a.code] or 0 for k in known))
                    if a.mean is not None
                    else None
                )
                for a in region.figures.fragilities
            },
            true,
        )
    ]
    assert exact >= attack.DIALOGUE_RECOVERED_AT
    assert report("dialogue nested territories", attempts, exact) == 0
    page = logged_in(nadia).get("/observatoire/fragilites-percues/").content.decode()
    assert "1 dialogue publié avec moins de 5" in page
