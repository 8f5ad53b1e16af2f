"""The attacker's tools: read published practice figures as anyone can, rebuild one person.

« Recovered » (issue 10): the attacker's reconstruction of one person's carrying (en interne / en
partenariat / les deux / none) and « à développer » equals the truth on ≥ 20 of 24 practices.
"""

from __future__ import annotations

import re
from typing import Any

from pratiques.models import Answer, Assessment, Practice

RECOVERED_AT = 20
CELLS = ("in_house", "partnership", "both", "develop")
CARRYING = {1: "in_house", 2: "partnership", 3: "both"}

# One row of the practice table of the territory page: code, then four shares (or « — »).
PAGE_ROW = re.compile(
    r'<th scope="row">(\d+\.\d+) [^<]*</th>'
    + r'<td class="num">(?:environ )?(—|\d+)(?:[ \u202f]%)?</td>' * 4
)
PAGE_PEOPLE = re.compile(r"pris en compte : environ (\d+)")
# The same table in the PDF's text (spaces normalised): « 1.1 Financer les projets 40 % 20 % — 10 % ».
PDF_ROW = re.compile(r"(\d\.\d) [^%—]*? ((?:(?:environ )?\d+ %|—)(?: (?:(?:environ )?\d+ %|—)){3})")
PDF_PEOPLE = re.compile(r"Catalyseurs pris en compte : environ (\d+)")

Figures = dict[str, dict[str, float | None]]  # practice code → cell → share (0–100)


def figures_from_page(html: str) -> tuple[Figures, int | None]:
    people = PAGE_PEOPLE.search(html)
    rows = {
        code: {c: None if v == "—" else float(v) for c, v in zip(CELLS, values, strict=True)}
        for code, *values in PAGE_ROW.findall(html)
    }
    return rows, int(people.group(1)) if people else None


def figures_from_pdf(text: str) -> tuple[Figures, int | None]:
    people = PDF_PEOPLE.search(text)
    rows = {}
    for code, cells in PDF_ROW.findall(text):
        parts = re.findall(r"\d+ %|—", cells)
        shares = [None if p == "—" else float(p.split()[0]) for p in parts]
        rows[code] = dict(zip(CELLS, shares, strict=True))
    return rows, int(people.group(1)) if people else None


def counts(figures: Figures, people: float) -> dict[str, dict[str, float]]:
    """Shares × the published size: the attacker's estimate of each count."""
    return {
        code: {c: (v or 0) * people / 100 for c, v in cells.items()}
        for code, cells in figures.items()
    }


def guess(residual: dict[str, dict[str, float]], codes: list[str]) -> dict[str, tuple[Any, bool]]:
    """One person's answers from residual counts (group with them minus group without them)."""
    result = {}
    for code in codes:
        cells = residual.get(code, {})
        best = max(("in_house", "partnership", "both"), key=lambda c: cells.get(c, 0))
        carrying = best if cells.get(best, 0) >= 0.5 else None
        result[code] = (carrying, cells.get("develop", 0) >= 0.5)
    return result


def subtract(
    a: dict[str, dict[str, float]], b: dict[str, dict[str, float]]
) -> dict[str, dict[str, float]]:
    return {
        code: {c: a.get(code, {}).get(c, 0) - b.get(code, {}).get(c, 0) for c in CELLS}
        for code in set(a) | set(b)
    }


def truth(user_id: int) -> dict[str, tuple[Any, bool]]:
    """A person's answers in the latest consenting submitted assessment, by current practice code."""
    assessment = (
        Assessment.objects.filter(user_id=user_id, status="submitted", consent_statistics=True)
        .order_by("-submitted_at", "-pk")
        .first()
    )
    codes = dict(Practice.objects.filter(version__status="published").values_list("key", "code"))
    result: dict[str, tuple[Any, bool]] = {code: (None, False) for code in codes.values()}
    for key, not_concerned, frequency, carrying, develop in Answer.objects.filter(
        assessment=assessment
    ).values_list("practice__key", "not_concerned", "frequency", "carrying", "wants_to_develop"):
        if key in codes and not not_concerned and frequency is not None:
            result[codes[key]] = (CARRYING.get(carrying), bool(develop))
    return result


def matches(guessed: dict[str, tuple[Any, bool]], true: dict[str, tuple[Any, bool]]) -> int:
    return sum(1 for code, value in true.items() if guessed.get(code) == value)


def recovered(guessed: dict[str, tuple[Any, bool]], true: dict[str, tuple[Any, bool]]) -> bool:
    return matches(guessed, true) >= RECOVERED_AT


def exact_figures(user_ids: list[int]) -> tuple[Figures, int]:
    """What an unprotected aggregate would publish (exact shares): the attacks' control."""
    people = [truth(u) for u in user_ids]
    codes = sorted({code for p in people for code in p})
    figures: Figures = {}
    for code in codes:
        figures[code] = {
            c: 100 * sum(1 for p in people if p[code][0] == c) / len(people)
            for c in ("in_house", "partnership", "both")
        } | {"develop": 100 * sum(1 for p in people if p[code][1]) / len(people)}
    return figures, len(people)


def person(username: str, *, vouched: bool = True) -> Any:
    """A catalyst account. ``vouched``: a real person the network vouched for (invited, imported
    by a campaign, approved); ``vouched=False`` is what anyone gets by signing up (a sybil)."""
    from django.contrib.auth.models import Group, User

    from config.roles import Role
    from pratiques.models import Vouch

    user = User.objects.create(username=username)  # no password: hashing is slow
    user.groups.add(Group.objects.get(name=Role.CATALYST.value))
    if vouched:
        Vouch.objects.create(user=user, source="invitation")
    return user


def sybil(username: str) -> Any:
    """An account anyone can create in minutes: signed up, e-mail confirmed, never vouched."""
    return person(username, vouched=False)


def submit_random(user: Any, territory: Any, seed: int, *, consent: bool = True) -> Any:
    """A submitted assessment whose carrying and « à développer » vary by practice."""
    import random

    from pratiques.services import AnswerData
    from tests.factories import submitted_assessment

    rng = random.Random(seed)
    return submitted_assessment(
        user,
        territory,
        lambda _index, _practice: AnswerData(
            frequency=rng.randint(1, 4),
            involvement=rng.randint(1, 4),
            carrying=rng.choice([1, 2, 3, None]),
            wants_to_develop=rng.random() < 0.4,
        ),
        consent=consent,
    )


def known_counts(user_ids: list[int]) -> dict[str, dict[str, float]]:
    """What the attacker knows of their own accounts, as counts per practice."""
    result: dict[str, dict[str, float]] = {}
    for user_id in user_ids:
        for code, (carrying, develop) in truth(user_id).items():
            cells = result.setdefault(code, dict.fromkeys(CELLS, 0.0))
            if carrying:
                cells[carrying] += 1
            cells["develop"] += develop
    return result
