"""What a territorial dialogue's results may show, computed from its records only.

Pure computation (no database): the records are those of the frozen ``DialogueSnapshot`` once
the dialogue is closed, or the live submitted rows turned into the same shape while it runs
(``observatoire.dialogues.results_queries``). The platform's disclosure rules
(``pratiques.disclosure``, docs/secret-statistique.md) apply as follows:

- **who counts**: a group is shown only with k distinct *invited* respondents (``via =
  "invite"``); the open link is free to pad, so its answers enter the figures but never the k;
- **groups**: the whole dialogue, each actor profile with k invited respondents, and « autres
  profils » (every smaller profile merged); when « autres profils » is not empty and under k, the
  smallest shown profile joins it until it reaches k, so that « ensemble » minus the shown cells
  never isolates fewer than k people; ``disclosure.suppress_differences`` then checks every pair
  and family of the cells (anything it holds back is merged too);
- **keyed noise**: every count (respondents, each level of each fragility, priorities, the
  profiles one acts with) gets discrete Laplace noise drawn from a keyed digest of the exact
  contributions (``disclosure.digest`` / ``keyed_noisy``): the same records give the same figures,
  whoever asks and however often, and a région made of one dialogue carries its figures;
- **while it runs** the organiser (who controls the invite list: an adversary too) sees the same
  figures computed on the first 10, 30, 90, 270 or 810 answers (``LIVE_CHECKPOINTS``), with noise
  keyed on which answers they are: at most five draws before the final one, the platform's
  budget of six draws per person, and no new draw by editing one's own answers;
- **rounding**: respondents to the nearest 5 (never under k), shares by steps of 10 %, mean
  levels to one decimal, all from the noisy counts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pratiques import disclosure

LEVELS = (0, 1, 2, 3)
LEVEL_WORDS = {0: "non observée", 1: "faible", 2: "marquée", 3: "forte"}
OTHERS = "autres-profils"
OTHERS_LABEL = "autres profils"
OVERALL = "ensemble"
# The live results follow the first answers in steps (×3): five draws at most before closing.
LIVE_CHECKPOINTS = tuple(10 * 3**i for i in range(disclosure.YEARLY_BUDGET_DRAWS - 1))
# A change of mean perceived level under this is called stable between two dialogues.
STABLE_WITHIN = 0.3

Record = dict[str, Any]
Pair = Sequence[str]  # [code, label]


# --- shapes ----------------------------------------------------------------------------------


@dataclass
class FragilityFigure:
    code: str
    label: str
    mean: float | None  # mean perceived level 0–3, one decimal, from the noisy counts
    shares: list[int | None] = field(default_factory=list)  # % of 0, 1, 2, 3, « je ne sais pas »
    priority: int | None = None  # % of respondents citing it among their priorities

    @property
    def level(self) -> int | None:
        """The perceived level on the curated scale (halves up)."""
        return None if self.mean is None else math.floor(self.mean + 0.5)

    @property
    def words(self) -> str:
        return "" if self.level is None else LEVEL_WORDS[self.level]

    @property
    def mean_text(self) -> str:
        return "" if self.mean is None else f"{self.mean:.1f}".replace(".", ",")


@dataclass
class GroupFigures:
    key: str  # OVERALL, a profile code or OTHERS
    label: str
    people: int  # noisy, to the nearest 5, never under k
    fragilities: list[FragilityFigure]
    acts_with: dict[str, int | None]  # profile code → % of the group acting with it
    profiles: list[str] = field(default_factory=list)  # labels merged in « autres profils »

    @property
    def people_label(self) -> str:
        return disclosure.count_label(self.people)

    def fragility(self, code: str) -> FragilityFigure | None:
        return next((f for f in self.fragilities if f.code == code), None)


@dataclass
class DialogueResults:
    fragilities: Sequence[Pair]
    profiles: Sequence[Pair]
    k: int
    overall: GroupFigures | None = None  # None: fewer than k invited respondents
    groups: list[GroupFigures] = field(default_factory=list)  # shown profiles, then OTHERS
    provisional: bool = False
    based_on: int | None = None  # live: the first N answers the figures are computed on
    next_checkpoint: int | None = None
    submitted: int = 0  # live only (the organiser sees how many have answered)

    @property
    def shown(self) -> bool:
        return self.overall is not None

    @property
    def profiles_represented(self) -> list[str]:
        """Labels of the groups shown, « autres profils » last (the territory page, the PDF)."""
        return [g.label for g in self.groups]

    @property
    def by_profile(self) -> bool:
        """More than one group: a table by profile means something."""
        return len(self.groups) > 1

    @property
    def priorities(self) -> list[FragilityFigure]:
        if self.overall is None:
            return []
        cited = [f for f in self.overall.fragilities if f.priority]
        return sorted(cited, key=lambda f: (-(f.priority or 0), f.label))


# --- who is in which group -------------------------------------------------------------------


def invited(records: Sequence[Record], members: Sequence[int]) -> frozenset[int]:
    return frozenset(i for i in members if records[i].get("via") == "invite")


def partition(records: Sequence[Record], profiles: Sequence[Pair]) -> dict[str, list[int]]:
    """Record indices of each shown profile and of « autres profils » (key OTHERS), under the
    rules of the module's docstring; an empty OTHERS is left out."""
    k = disclosure.threshold()
    known = [code for code, _label in profiles]
    by_profile: dict[str, list[int]] = {code: [] for code in known}
    others: list[int] = []
    for index, record in enumerate(records):
        by_profile.get(str(record.get("profile") or ""), others).append(index)
    shown = {code: m for code, m in by_profile.items() if len(invited(records, m)) >= k}
    others += [i for code, m in by_profile.items() if code not in shown for i in m]

    def smallest() -> str:
        return min(shown, key=lambda c: (len(invited(records, shown[c])), len(shown[c]), c))

    while True:
        while others and len(invited(records, others)) < k and shown:
            others += shown.pop(smallest())
        cells = {**shown, **({OTHERS: others} if others else {})}
        members = {key: invited(records, m) for key, m in cells.items()}
        members[OVERALL] = invited(records, range(len(records)))
        status = disclosure.suppress_differences(members)
        held = [c for c in shown if status[c] != disclosure.PUBLISHED]
        if not held:
            break
        for code in held:  # never expected: the merge above already leaves k in every cell
            others += shown.pop(code)
    if not shown:
        return {}  # « autres profils » would be everyone: the whole dialogue says it already
    result = {code: sorted(shown[code]) for code in known if code in shown}
    if others:
        result[OTHERS] = sorted(others)
    return result


# --- figures of one group --------------------------------------------------------------------


def contribution(record: Record) -> list[Any]:
    """What one record brings to the figures, canonically (the noise's seed reads it)."""
    return [
        record.get("profile") or "",
        sorted((record.get("levels") or {}).items(), key=lambda item: item[0]),
        sorted(record.get("priorities") or []),
        sorted(record.get("acts_with") or []),
    ]


def canonical(record: Record) -> str:
    return json.dumps(contribution(record), separators=(",", ":"), default=str)


def contributions_seed(records: Sequence[Record], texts: Sequence[str] | None = None) -> str:
    """The keyed digest of the exact contributions (order-free): the seed of their noise
    (``texts``: the records' ``canonical`` forms when already known)."""
    return disclosure.digest(["dialogue", sorted(texts or [canonical(r) for r in records])])


def counts(
    records: Sequence[Record], fragilities: Sequence[Pair], profiles: Sequence[Pair]
) -> list[int]:
    """[respondents, per fragility: levels 0–3 and « je ne sais pas », per fragility: cited as
    a priority, per profile: acted with] — the vector one draw of noise covers."""
    codes = [code for code, _ in fragilities]
    position = {code: i for i, code in enumerate(codes)}
    levels = [[0] * 5 for _ in codes]
    cited = [0] * len(codes)
    acts = dict.fromkeys((code for code, _ in profiles), 0)
    for record in records:
        for code, level in (record.get("levels") or {}).items():
            if code in position:
                levels[position[code]][4 if level is None else int(level)] += 1
        for code in record.get("priorities") or []:
            if code in position:
                cited[position[code]] += 1
        for code in record.get("acts_with") or []:
            if code in acts:
                acts[code] += 1
    return [len(records), *(c for row in levels for c in row), *cited, *acts.values()]


def group_figures(
    key: str,
    label: str,
    records: Sequence[Record],
    fragilities: Sequence[Pair],
    profiles: Sequence[Pair],
    seed: str,
) -> GroupFigures:
    k = disclosure.threshold()
    noisy = [
        max(v, 0) for v in disclosure.keyed_noisy(seed, counts(records, fragilities, profiles))
    ]
    people = max(noisy[0], 1)
    cursor = 1
    result = []
    for code, fragility_label in fragilities:
        cells = noisy[cursor : cursor + 5]
        cursor += 5
        answered = sum(cells[:4])
        mean = (
            round(sum(level * cells[level] for level in LEVELS) / answered, 1) if answered else None
        )
        total = sum(cells)
        shares = [disclosure.share(c, total) for c in cells]
        result.append(FragilityFigure(code, fragility_label, mean, shares))
    for figure in result:
        figure.priority = disclosure.share(noisy[cursor], people)
        cursor += 1
    acts_with = {}
    for code, _ in profiles:
        acts_with[code] = disclosure.share(noisy[cursor], people)
        cursor += 1
    shown_people = max(k, disclosure.round_to(noisy[0], disclosure.COUNT_STEP))
    return GroupFigures(key, label, shown_people, result, acts_with)


# --- a dialogue's results --------------------------------------------------------------------


def dialogue_results(
    records: Sequence[Record],
    fragilities: Sequence[Pair],
    profiles: Sequence[Pair],
    *,
    live_seed: Any = None,
) -> DialogueResults:
    """Every figure the results page, the PDF and the territory page may show.

    ``live_seed``: while the dialogue runs, what identifies the answers the figures are computed
    on (the dialogue and its checkpoint's response ids): the noise is keyed on it and on each
    group's name instead of the contributions, so that editing an answer never redraws it."""
    k = disclosure.threshold()
    fragilities = [list(pair) for pair in fragilities]
    profiles = [list(pair) for pair in profiles]
    results = DialogueResults(fragilities, profiles, k)
    if len(invited(records, range(len(records)))) < k:
        return results

    texts = [canonical(r) for r in records] if live_seed is None else []

    def seed(key: str, members: Sequence[int]) -> str:
        if live_seed is not None:
            return disclosure.digest(["dialogue-provisoire", live_seed, key])
        return contributions_seed([], [texts[i] for i in members])

    everyone = range(len(records))
    results.overall = group_figures(
        OVERALL, "ensemble des répondants", records, fragilities, profiles, seed(OVERALL, everyone)
    )
    labels = {code: label for code, label in profiles}
    cells = partition(records, profiles)
    for key, members in cells.items():
        chosen = [records[i] for i in members]
        label = OTHERS_LABEL if key == OTHERS else labels[key]
        group = group_figures(key, label, chosen, fragilities, profiles, seed(key, members))
        if key == OTHERS:
            present = {r.get("profile") for r in chosen}
            group.profiles = [label for code, label in profiles if code in present]
        results.groups.append(group)
    return results


def live_checkpoint(submitted: int) -> tuple[int | None, int | None]:
    """(answers the live figures are computed on, the next step) for ``submitted`` answers."""
    reached = [c for c in LIVE_CHECKPOINTS if c <= submitted]
    ahead = [c for c in LIVE_CHECKPOINTS if c > submitted]
    return (reached[-1] if reached else None), (ahead[0] if ahead else None)


# --- comparisons -----------------------------------------------------------------------------


@dataclass
class Evolution:
    code: str
    label: str
    before: float | None
    after: float | None

    @property
    def words(self) -> str:
        if self.before is None or self.after is None:
            return "non comparable"
        delta = self.after - self.before
        if abs(delta) < STABLE_WITHIN:
            return "stable"
        amount = f"{abs(delta):.1f}".replace(".", ",")
        return f"en hausse (+{amount})" if delta > 0 else f"en baisse (−{amount})"


def evolution(before: DialogueResults, after: DialogueResults) -> list[Evolution]:
    """Per fragility of the later dialogue, the mean perceived level of both (published
    figures only: noisy, so a small change is called stable)."""
    if before.overall is None or after.overall is None:
        return []
    rows = []
    for figure in after.overall.fragilities:
        old = before.overall.fragility(figure.code)
        rows.append(Evolution(figure.code, figure.label, old.mean if old else None, figure.mean))
    return rows


def perceived_sentence(figure: FragilityFigure, domain: Any) -> tuple[str, bool]:
    """The perception beside the curated level and the indicators' ranks of the same territory
    (``domain``: an ``observatoire.queries.FragilityProfile`` or None), in the words of the
    « À examiner » sentence: (sentence, whether it is to be examined)."""
    from observatoire.queries import DIVERGE_HIGH, DIVERGE_LOW

    if figure.level is None:
        return "Aucun niveau perçu publié pour ce domaine.", False
    level = figure.level
    parts = [f"Niveau perçu par les acteurs : {figure.words} (moyenne {figure.mean_text} sur 3)"]
    curated = getattr(domain, "curated", None)
    if curated is not None:
        if curated.level == level:
            parts.append(f"le même que le niveau retenu par le réseau ({curated.label})")
        elif (curated.level >= 2) == (level >= 2):
            parts.append(f"proche du niveau retenu par le réseau ({curated.label})")
        else:
            parts.append(f"à l’écart du niveau retenu par le réseau ({curated.label})")
    ranks = list(getattr(domain, "ranks", []) or [])
    if not ranks:
        return " ; ".join(parts) + " ; aucun indicateur de ce domaine n’est classé.", False
    diverges = max(ranks) >= DIVERGE_HIGH if level <= 1 else max(ranks) < DIVERGE_LOW
    position = domain.position
    sentence = " ; ".join(parts) + "."
    if diverges:
        return (
            f"{sentence} La perception et les indicateurs divergent : les acteurs jugent la "
            f"fragilité {figure.words}, les indicateurs situent le territoire "
            f"{domain.indicator_reading}.",
            True,
        )
    if (level >= 2) != (position >= 50):
        return (
            f"{sentence} Écart entre la perception et les indicateurs, qui situent le territoire "
            f"{domain.indicator_reading}.",
            False,
        )
    return f"{sentence} La perception et les indicateurs concordent.", False
