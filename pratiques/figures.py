"""The figures of one group of people, computed at a release (``pratiques.aggregates``).

Who counts (``consenting_people``: established people only), what each person contributes (the
seed of the keyed noise) and the protected figures of a territory, a peer group and the admins'
analytics, under the policy of ``pratiques.disclosure``.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pratiques import disclosure, scoring
from pratiques.models import (
    Answer,
    Assessment,
    AssessmentScore,
    AssessmentStatus,
    Axis,
    PeerGroupKind,
    established,
)

LEVERS = ("gestion", "action", "vision")
# pratiques' « portage » scale: 1 en interne, 2 en partenariat, 3 les deux.
CARRYING_FIELDS = {1: "in_house", 2: "partnership", 3: "both"}


# --- the people behind a release -----------------------------------------------------------


@dataclass
class Person:
    """One distinct consenting person, reduced to what the aggregates use."""

    user_id: int
    assessment_id: int
    demo: bool = False
    scopes: set[str] = field(default_factory=set)
    # practice key → (answered, carrying 1/2/3 or None, wants to develop)
    practices: dict[str, tuple[bool, int | None, bool]] = field(default_factory=dict)
    situations: dict[str, float] = field(default_factory=dict)
    levers: dict[str, float] = field(default_factory=dict)
    axes: dict[str, float] = field(default_factory=dict)
    # practice key → (not concerned, frequency): what the admins' analytics count
    frequencies: dict[str, tuple[bool, int | None]] = field(default_factory=dict)
    # practice key → involvement (0–3) of an answered practice: the analytics' second scale
    involvements: dict[str, int] = field(default_factory=dict)
    version_id: int | None = None
    peer_groups: list[str] = field(default_factory=list)  # « pairs:region:12 »…
    _fingerprint: str = ""

    def fingerprint(self) -> str:
        """A digest of ``contribution()``, computed once (a person is in a dozen groups)."""
        if not self._fingerprint:
            self._fingerprint = disclosure.digest(self.contribution())
        return self._fingerprint

    def contribution(self) -> list[Any]:
        """Exactly what this person brings to any figure (the noise's seed is a keyed digest of
        the contributions of a group: same people, same data → same noise)."""
        return [
            self.user_id,
            sorted((k, list(v)) for k, v in self.practices.items()),
            sorted((k, list(v)) for k, v in self.frequencies.items()),
            sorted((k, round(v, 6)) for k, v in self.situations.items()),
            sorted((k, round(v, 6)) for k, v in self.axes.items()),
            sorted((k, round(v, 6)) for k, v in self.levers.items()),
            sorted(self.involvements.items()),
        ]


def scope_name(territory: Any) -> str:
    return f"{territory.level}:{territory.code}"


def consenting_people() -> list[Person]:
    """Each established person's latest consenting submitted assessment, with every scope it
    falls in (its territory of action, that territory's EPCI, département, région, projects and
    France) and its peer groups. Six queries whatever the number of people.

    Who counts: only established people (active account + a Vouch) enter figures about others."""
    from territoires.models import ProjectMember

    latest = list(
        Assessment.objects.filter(
            established(), status=AssessmentStatus.SUBMITTED, consent_statistics=True
        )
        .order_by("user_id", "-submitted_at", "-pk")
        .distinct("user_id")
        .values(
            "pk",
            "user_id",
            "territory_id",
            "territory__level",
            "territory__code",
            "territory__epci_id",
            "territory__epci__code",
            "territory__commune__code",
            "territory__departement__code",
            "territory__region__code",
            "is_demo",
            "version_id",
            "actor_profile_id",
            "size_segment_id",
            "region_id",
        )
    )
    projects: dict[int, set[str]] = defaultdict(set)
    for member_id, code in ProjectMember.objects.values_list("member_id", "project__code"):
        projects[member_id].add(f"projet:{code}")
    people = {}
    for row in latest:
        person = Person(row["user_id"], row["pk"], row["is_demo"], version_id=row["version_id"])
        person.peer_groups = [f"pairs:{PeerGroupKind.ALL.value}:0"]
        for group_kind, group_value in (
            (PeerGroupKind.PROFILE, row["actor_profile_id"]),
            (PeerGroupKind.SEGMENT, row["size_segment_id"]),
            (PeerGroupKind.REGION, row["region_id"]),
        ):
            if group_value:
                person.peer_groups.append(f"pairs:{group_kind.value}:{group_value}")
        person.scopes.add("pays:FR")
        if row["territory__level"] and row["territory__level"] != "pays":
            person.scopes.add(f"{row['territory__level']}:{row['territory__code']}")
        for level, code in (
            ("epci", row["territory__epci__code"]),
            ("commune", row["territory__commune__code"]),  # Paris, Lyon, Marseille: arrondissements
            ("departement", row["territory__departement__code"]),
            ("region", row["territory__region__code"]),
        ):
            if code:
                person.scopes.add(f"{level}:{code}")
        person.scopes |= projects.get(row["territory_id"], set())
        if row["territory__epci_id"] is not None:
            person.scopes |= projects.get(row["territory__epci_id"], set())
        people[row["pk"]] = person
    for (
        assessment_id,
        key,
        not_concerned,
        frequency,
        involvement,
        carrying,
        develop,
    ) in Answer.objects.filter(assessment_id__in=list(people)).values_list(
        "assessment_id",
        "practice__key",
        "not_concerned",
        "frequency",
        "involvement",
        "carrying",
        "wants_to_develop",
    ):
        answered = not not_concerned and frequency is not None
        people[assessment_id].practices[str(key)] = (answered, carrying, bool(develop))
        people[assessment_id].frequencies[str(key)] = (bool(not_concerned), frequency)
        if answered and involvement is not None:
            people[assessment_id].involvements[str(key)] = involvement
    for assessment_id, engineering_id in Assessment.engineerings.through.objects.filter(
        assessment_id__in=list(people)
    ).values_list("assessment_id", "engineering_id"):
        people[assessment_id].peer_groups.append(
            f"pairs:{PeerGroupKind.ENGINEERING.value}:{engineering_id}"
        )
    levers = {str(k): lever for k, lever in Axis.objects.values_list("key", "lever")}
    for assessment_id, kind, key, value in AssessmentScore.objects.filter(
        assessment_id__in=list(people)
    ).values_list("assessment_id", "kind", "element_key", "score"):
        if kind == AssessmentScore.Kind.SITUATION:
            people[assessment_id].situations[str(key)] = value
        else:
            people[assessment_id].axes[str(key)] = value
            if str(key) in levers:
                people[assessment_id].levers[levers[str(key)]] = value
    return list(people.values())


# --- protected figures of one group of people ----------------------------------------------


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def group_digest(kind: str, group: list[Person]) -> str:
    """The seed of a group's noise: a keyed digest of the kind of figures and of its people's
    exact contributions (never the scope's name nor the date)."""
    return disclosure.digest([kind, sorted(p.fingerprint() for p in group)])


def protected_figures(group: list[Person], seed: str | None = None) -> dict[str, Any]:
    """The released figures of a group of ≥ k people: noisy counts (keyed discrete Laplace)
    turned into rounded shares; score distributions only from DISTRIBUTION_MIN people, noised and
    rounded. The same group (same people, same answers) always gets the same figures."""
    seed = seed or group_digest("territoire", group)
    keys = sorted({key for person in group for key in person.practices})
    true_counts = [len(group)]
    for key in keys:
        cells = [person.practices.get(key) for person in group]
        true_counts.append(sum(1 for c in cells if c and c[0]))
        for value in CARRYING_FIELDS:
            true_counts.append(sum(1 for c in cells if c and c[0] and c[1] == value))
        true_counts.append(sum(1 for c in cells if c and c[0] and c[2]))
    counts = disclosure.keyed_noisy(seed, true_counts)
    people = max(disclosure.threshold(), disclosure.round_to(counts[0], disclosure.COUNT_STEP))
    practices = {}
    for i, key in enumerate(keys):
        answered, in_house, partnership, both, develop = counts[1 + 5 * i : 6 + 5 * i]
        # The three ways of carrying a practice are shares of one whole: taken over the sum of
        # their own noisy counts (post-processing, no privacy cost) they add up to about 100 %.
        carried = max(in_house, 0) + max(partnership, 0) + max(both, 0)
        practices[key] = {
            "in_house": disclosure.share(in_house, carried),
            "partnership": disclosure.share(partnership, carried),
            "both": disclosure.share(both, carried),
            "develop": disclosure.share(develop, answered),
        }
    figures: dict[str, Any] = {
        "people": people,
        "practices": practices,
        "situations": {},
        "levers": {},
        "barycentre": None,
        "demo": any(p.demo for p in group),
    }
    if not disclosure.shows_distribution(len(group)):
        return figures
    situation_keys = sorted({key for person in group for key in person.situations})
    stats: list[tuple[str, str, float]] = []
    for key in situation_keys:
        values = [p.situations[key] for p in group if key in p.situations]
        if len(values) >= disclosure.DISTRIBUTION_MIN:
            q1, median, q3 = _quartiles(values)
            stats += [(key, "q1", q1), (key, "median", median), (key, "q3", q3)]
    for lever in LEVERS:
        values = [p.levers[lever] for p in group if lever in p.levers]
        if len(values) >= disclosure.DISTRIBUTION_MIN:
            stats.append((f"lever:{lever}", "median", statistics.median(values)))
    positions = [
        position
        for p in group
        if (position := scoring.ternary(*(p.levers.get(lever) for lever in LEVERS)))
    ]
    if len(positions) >= disclosure.DISTRIBUTION_MIN:
        for i, lever in enumerate(LEVERS[:2]):
            stats.append(("barycentre", lever, 100 * statistics.fmean(p[i] for p in positions)))
    noise = disclosure.keyed_noise(f"{seed}:scores", len(stats), scale=disclosure.SCORE_NOISE_SCALE)
    barycentre: dict[str, int] = {}
    for (key, name, statistic), delta in zip(stats, noise, strict=True):
        released = disclosure.score(statistic, delta)
        if key == "barycentre":
            barycentre[name] = released  # type: ignore[assignment]
        elif key.startswith("lever:"):
            figures["levers"][key.removeprefix("lever:")] = released
        else:
            figures["situations"].setdefault(key, {})[name] = released
    for cell in figures["situations"].values():  # noise must not invert the quartiles
        cell["q1"], cell["median"], cell["q3"] = sorted((cell["q1"], cell["median"], cell["q3"]))
    if barycentre:
        gestion, action = barycentre["gestion"], barycentre["action"]
        figures["barycentre"] = [gestion, action, max(0, 100 - gestion - action)]
    return figures


# --- peer groups and the admins' analytics -------------------------------------------------


def _distribution_stats(values: list[float]) -> list[tuple[str, float]]:
    q1, median, q3 = _quartiles(values)
    return [("q1", q1), ("median", median), ("q3", q3)]


def peer_figures(group: list[Person], seed: str | None = None) -> dict[str, Any]:
    """A peer group as the results page shows it: its size (noisy, rounded) and, from
    DISTRIBUTION_MIN people, noised quartiles of every situation and axis and the barycentre."""
    seed = seed or group_digest("pairs", group)
    (count,) = disclosure.keyed_noisy(seed, [len(group)])
    figures: dict[str, Any] = {
        "people": max(disclosure.threshold(), disclosure.round_to(count, disclosure.COUNT_STEP)),
        "situations": {},
        "axes": {},
        "barycentre": None,
    }
    if not disclosure.shows_distribution(len(group)):
        return figures
    stats: list[tuple[str, str, str, float]] = []
    for family, attribute in (("situations", "situations"), ("axes", "axes")):
        keys = sorted({key for p in group for key in getattr(p, attribute)})
        for key in keys:
            values = [getattr(p, attribute)[key] for p in group if key in getattr(p, attribute)]
            if len(values) >= disclosure.DISTRIBUTION_MIN:
                stats += [(family, key, name, v) for name, v in _distribution_stats(values)]
    positions = [
        position
        for p in group
        if (position := scoring.ternary(*(p.levers.get(lever) for lever in LEVERS)))
    ]
    # The group has DISTRIBUTION_MIN people: its barycentre needs k placed among them.
    if len(positions) >= disclosure.threshold():
        for i, lever in enumerate(LEVERS[:2]):
            stats.append(("barycentre", "", lever, 100 * statistics.fmean(p[i] for p in positions)))
    noise = disclosure.keyed_noise(f"{seed}:scores", len(stats), scale=disclosure.SCORE_NOISE_SCALE)
    barycentre: dict[str, int] = {}
    for (family, key, name, statistic), delta in zip(stats, noise, strict=True):
        released = disclosure.score(statistic, delta)
        if family == "barycentre":
            barycentre[name] = released  # type: ignore[assignment]
        else:
            figures[family].setdefault(key, {})[name] = released
    for family in ("situations", "axes"):
        for cell in figures[family].values():  # noise must not invert the quartiles
            cell["q1"], cell["median"], cell["q3"] = sorted(
                (cell["q1"], cell["median"], cell["q3"])
            )
    if barycentre:
        gestion, action = barycentre["gestion"], barycentre["action"]
        figures["barycentre"] = [gestion, action, max(0, 100 - gestion - action)]
    return figures


def analytics_figures(group: list[Person], seed: str | None = None) -> dict[str, Any]:
    """The admins' answer distributions on the grid's three scales: per practice key, noisy
    counts of each frequency (« f0 »…), « non concerné·e », no answer, « à développer », each
    involvement (« i0 »…) and each way of carrying (« c1 »…) of the answered practices (shown
    « < k » between 1 and k − 1). Noise of scale ANALYTICS_NOISE_SCALE: one person moves
    ANALYTICS_SENSITIVITY cells."""
    seed = seed or group_digest("analyses", group)
    keys = sorted({key for p in group for key in p.frequencies})
    cells: list[tuple[str, str]] = [("", "total")]
    values = [len(group)]
    for key in keys:
        answers = [p.frequencies.get(key) for p in group]
        frequencies: dict[int, int] = defaultdict(int)
        not_concerned = unanswered = 0
        for answer in answers:
            if answer is None or (not answer[0] and answer[1] is None):
                unanswered += 1
            elif answer[0]:
                not_concerned += 1
            else:
                frequencies[int(answer[1])] += 1  # type: ignore[arg-type]
        develop = sum(1 for p in group if p.practices.get(key, (False, None, False))[2])
        for value in range(0, 4):
            cells.append((key, f"f{value}"))
            values.append(frequencies.get(value, 0))
        cells += [(key, "not_concerned"), (key, "unanswered"), (key, "develop")]
        values += [not_concerned, unanswered, develop]
        for value in range(0, 4):
            cells.append((key, f"i{value}"))
            values.append(sum(1 for p in group if p.involvements.get(key) == value))
        for value in CARRYING_FIELDS:
            cells.append((key, f"c{value}"))
            values.append(
                sum(1 for p in group if (c := p.practices.get(key)) and c[0] and c[1] == value)
            )
    noisy = disclosure.keyed_noisy(seed, values, scale=disclosure.ANALYTICS_NOISE_SCALE)
    figures: dict[str, Any] = {"total": max(0, noisy[0]), "practices": {}}
    for (key, name), value in zip(cells[1:], noisy[1:], strict=True):
        figures["practices"].setdefault(key, {})[name] = max(0, value)
    return figures
