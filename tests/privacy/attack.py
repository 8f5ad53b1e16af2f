"""The attacker's tools: read published practice figures as anyone can, rebuild one person.

« Recovered » (issue 10): the attacker's reconstruction of one person's carrying (en interne / en
partenariat / les deux / none) and « à développer » equals the truth on ≥ 20 of 24 practices.
"""

from __future__ import annotations

import html as html_text
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


# --- territorial dialogues (issue 25) --------------------------------------------------------
# « Recovered »: the attacker's guess of one respondent's perceived level (0–3 or « je ne sais
# pas ») equals the truth on ≥ 13 of the 16 fragilities (as 20 of 24 practices above).

DIALOGUE_RECOVERED_AT = 13
LEVEL_CELLS = (0, 1, 2, 3, None)
SHARES_ROW = re.compile(
    r'<tr><th scope="row">([^<]+)</th>'
    + r'<td class="num">(?:(\d+)[ \u202f]%|—)</td>' * 5
    + r"</tr>"
)
DIALOGUE_PEOPLE = re.compile(r"<strong>environ (\d+) réponses</strong>")
PROFILE_HEAD = re.compile(r'<th scope="col" class="num">([^<]+?) <span class="muted small">')
PROFILE_ROW = re.compile(r'<tr><th scope="row">([^<]+)</th>((?:<td class="num">[^<]*</td>)+)</tr>')

LevelCounts = dict[str, dict[Any, float]]  # fragility label → level (or None) → count


def dialogue_shares(html: str) -> tuple[LevelCounts, int | None]:
    """The overall « Répartition des réponses » table × the published number of answers."""
    people = DIALOGUE_PEOPLE.search(html)
    if people is None:
        return {}, None
    size = int(people.group(1))
    section = html.split('id="shares-title"', 1)[-1].split("</table>", 1)[0]
    result: LevelCounts = {}
    for label, *shares in SHARES_ROW.findall(section):
        result[html_text.unescape(label)] = {
            level: (float(share) if share else 0.0) * size / 100
            for level, share in zip(LEVEL_CELLS, shares, strict=True)
        }
    return result, size


def dialogue_profile_means(html: str) -> dict[str, dict[str, float | None]]:
    """The « par profil » table: group heading → fragility label → mean level."""
    section = html.split('id="profiles-title"', 1)[-1].split("</table>", 1)[0]
    if "<table" not in section:
        return {}
    heads = [html_text.unescape(head) for head in PROFILE_HEAD.findall(section)]
    result: dict[str, dict[str, float | None]] = {head: {} for head in heads}
    for label, cells in PROFILE_ROW.findall(section):
        values = re.findall(r'<td class="num">([^<]*)</td>', cells)
        for head, value in zip(heads, values, strict=True):
            result[head][html_text.unescape(label)] = (
                None if value in ("", "—") else float(value.replace(",", "."))
            )
    return result


def known_level_counts(answers: list[dict[str, Any]], labels: dict[str, str]) -> LevelCounts:
    result: LevelCounts = {}
    for answer in answers:
        for code, level in answer["levels"].items():
            cells = result.setdefault(labels[code], dict.fromkeys(LEVEL_CELLS, 0.0))
            cells[level] += 1
    return result


def level_guess(residual: LevelCounts) -> dict[str, Any]:
    """The level the residual counts point to, per fragility label."""
    return {
        label: max(LEVEL_CELLS, key=lambda c: cells.get(c, 0)) for label, cells in residual.items()
    }


def subtract_levels(a: LevelCounts, b: LevelCounts) -> LevelCounts:
    return {
        label: {c: a.get(label, {}).get(c, 0) - b.get(label, {}).get(c, 0) for c in LEVEL_CELLS}
        for label in set(a) | set(b)
    }


def level_matches(guessed: dict[str, Any], true: dict[str, Any]) -> int:
    return sum(1 for label, level in true.items() if label in guessed and guessed[label] == level)


def exact_level_counts(answers: list[dict[str, Any]], labels: dict[str, str]) -> LevelCounts:
    """What an unprotected page would publish: the control of the dialogue attacks."""
    return known_level_counts(answers, labels)
