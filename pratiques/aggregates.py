"""The one owner of every published practice aggregate (territories, projects, France).

Aggregates are computed only at a dated release (``release_aggregates``), protected by the policy
of ``pratiques.disclosure`` and stored as plain JSON keyed by the grid's STABLE keys (practice,
situation, lever), so that a new grid version does not blank them. The territory page, the PDF
report and the CSV download only read and format ``territory_practices``.

Rule across grid versions: a person counts with their latest consenting submitted assessment,
whatever its grid version; each answer counts for its practice's stable key and each score for
its situation's key; a published figure is shown for the practices and situations of the
current version whose key persists, the others are left out and said so.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from pratiques import disclosure, scoring
from pratiques.models import (
    Answer,
    Assessment,
    AssessmentScore,
    AssessmentStatus,
    Axis,
    GridVersion,
    Practice,
    Release,
    ReleasedAggregate,
    Situation,
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


def scope_name(territory: Any) -> str:
    return f"{territory.level}:{territory.code}"


def consenting_people() -> list[Person]:
    """Each person's latest consenting submitted assessment, with every scope it falls in
    (its territory of action, that territory's EPCI, département, région, projects and France).
    Five queries whatever the number of people."""
    from territoires.models import ProjectMember

    latest = list(
        Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, consent_statistics=True)
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
        )
    )
    projects: dict[int, set[str]] = defaultdict(set)
    for member_id, code in ProjectMember.objects.values_list("member_id", "project__code"):
        projects[member_id].add(f"projet:{code}")
    people = {}
    for row in latest:
        person = Person(row["user_id"], row["pk"], row["is_demo"])
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
    for assessment_id, key, not_concerned, frequency, carrying, develop in Answer.objects.filter(
        assessment_id__in=list(people)
    ).values_list(
        "assessment_id",
        "practice__key",
        "not_concerned",
        "frequency",
        "carrying",
        "wants_to_develop",
    ):
        answered = not not_concerned and frequency is not None
        people[assessment_id].practices[str(key)] = (answered, carrying, bool(develop))
    levers = {str(k): lever for k, lever in Axis.objects.values_list("key", "lever")}
    for assessment_id, kind, key, value in AssessmentScore.objects.filter(
        assessment_id__in=list(people)
    ).values_list("assessment_id", "kind", "element_key", "score"):
        if kind == AssessmentScore.Kind.SITUATION:
            people[assessment_id].situations[str(key)] = value
        elif str(key) in levers:
            people[assessment_id].levers[levers[str(key)]] = value
    return list(people.values())


# --- protected figures of one group of people ----------------------------------------------


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def protected_figures(group: list[Person]) -> dict[str, Any]:
    """The released figures of a group of ≥ k people: noisy counts (OpenDP) turned into rounded
    shares; score distributions only from DISTRIBUTION_MIN people, noised and rounded."""
    keys = sorted({key for person in group for key in person.practices})
    true_counts = [len(group)]
    for key in keys:
        cells = [person.practices.get(key) for person in group]
        true_counts.append(sum(1 for c in cells if c and c[0]))
        for value in CARRYING_FIELDS:
            true_counts.append(sum(1 for c in cells if c and c[0] and c[1] == value))
        true_counts.append(sum(1 for c in cells if c and c[0] and c[2]))
    counts = disclosure.noisy(true_counts)
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
    noise = disclosure.noisy([0] * len(stats), scale=disclosure.SCORE_NOISE_SCALE)
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


# --- a release -----------------------------------------------------------------------------


@transaction.atomic
def release_aggregates(*, trigger: str = "commande", now: Any = None) -> Release:
    """Compute, protect and store every territory aggregate at once (a « diffusion »).

    A scope whose people changed by fewer than ``release_change_min`` since its last published
    figures keeps those figures (no before/after subtraction); complementary suppression then runs
    over the member sets behind the figures as they will be read.
    """
    people = consenting_people()
    previous = latest_release()
    release = Release.objects.create(
        released_at=now or timezone.now(),
        trigger=trigger,
        people=len(people),
        parameters=disclosure.parameters(),
    )
    groups: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        for scope in person.scopes:
            groups[scope].append(person)
    kept: dict[str, ReleasedAggregate] = {}
    if previous is not None:
        change_min = disclosure.release_change_min()
        # Only figures that went out can be subtracted: compare with the last ones published
        # for the scope (in any earlier release); a scope never published is drawn afresh.
        last_published = (
            ReleasedAggregate.objects.filter(status=disclosure.PUBLISHED)
            .order_by("scope", "-release__released_at", "-release_id")
            .distinct("scope")
        )
        for row in last_published:
            now_members = {p.user_id for p in groups.get(row.scope, [])}
            if len(now_members ^ set(row.members)) < change_min:
                kept[row.scope] = row
    members: dict[str, frozenset[int]] = {}
    for scope, group in groups.items():
        earlier = kept.get(scope)
        members[scope] = frozenset(earlier.members if earlier else (p.user_id for p in group))
    for scope, row in kept.items():  # a scope everyone left keeps its last figures until k left
        members.setdefault(scope, frozenset(row.members))
    status = disclosure.suppress_differences(members)
    drawn: dict[frozenset[int], dict[str, Any]] = {}  # the same people, the same figures
    rows = []
    for scope, people_ids in members.items():
        earlier = kept.get(scope)
        if earlier is not None:
            figures, drawn_in = earlier.figures, earlier.drawn_in_id
        else:
            figures, drawn_in = {}, release.pk
            if len(people_ids) >= disclosure.threshold():
                if people_ids not in drawn:
                    drawn[people_ids] = protected_figures(groups[scope])
                figures = drawn[people_ids]
        rows.append(
            ReleasedAggregate(
                release=release,
                scope=scope,
                status=status[scope],
                figures=figures,
                members=sorted(people_ids),
                drawn_in_id=drawn_in,
            )
        )
    ReleasedAggregate.objects.bulk_create(rows, batch_size=1000)
    return release


def latest_release() -> Release | None:
    return Release.objects.order_by("-released_at", "-pk").first()


# --- what the page, the PDF and the CSV read -----------------------------------------------


@dataclass
class SituationFigure:
    situation: Situation
    q1: int | None
    median: int | None
    q3: int | None


@dataclass
class PracticeFigure:
    practice: Practice
    in_house: int | None  # shares in %, steps of 10
    partnership: int | None
    both: int | None
    develop: int | None


@dataclass
class TerritoryPractices:
    """The released practice figures of one territory, mapped onto the current grid."""

    version: GridVersion | None
    threshold: int
    release: Release | None = None
    status: str = disclosure.BELOW
    people: int | None = None  # rounded noisy count; None = « moins de k »
    situations: list[SituationFigure] = field(default_factory=list)
    practices: list[PracticeFigure] = field(default_factory=list)
    levers: dict[str, int | None] = field(default_factory=dict)
    barycentre: tuple[int, int, int] | None = None
    left_out: int = 0  # practices of the current grid without a released figure
    demo: bool = False  # « données de démonstration » among the people

    @property
    def shown(self) -> bool:
        return self.status == disclosure.PUBLISHED

    @property
    def suppressed(self) -> bool:
        return self.status == disclosure.SUPPRESSED

    @property
    def people_label(self) -> str:
        return disclosure.count_label(self.people)

    @property
    def has_distribution(self) -> bool:
        return any(s.median is not None for s in self.situations)

    @property
    def most_to_develop(self) -> list[PracticeFigure]:
        ranked = sorted(
            (p for p in self.practices if p.develop),
            key=lambda p: (-(p.develop or 0), p.practice.code),
        )
        return ranked[:5]


def territory_released(territory: Any) -> bool:
    """Whether the latest release publishes figures for this territory (2 queries)."""
    release = latest_release()
    if release is None:
        return False
    return ReleasedAggregate.objects.filter(
        release=release, scope=scope_name(territory), status=disclosure.PUBLISHED
    ).exists()


def territory_practices(territory: Any) -> TerritoryPractices:
    """The latest release's figures for a territory, on the current grid (4 queries)."""
    from pratiques.queries import grid_tree

    version = GridVersion.objects.current()
    result = TerritoryPractices(version, disclosure.threshold(), latest_release())
    if version is None or result.release is None:
        return result
    row = ReleasedAggregate.objects.filter(
        release=result.release, scope=scope_name(territory)
    ).first()
    if row is None or row.status != disclosure.PUBLISHED:
        result.status = row.status if row is not None else disclosure.BELOW
        return result
    result.status = row.status
    figures = row.figures
    result.people = figures.get("people")
    result.demo = bool(figures.get("demo"))
    tree = grid_tree(version)
    situations = figures.get("situations", {})
    for situation in tree.situations:
        cell = situations.get(str(situation.key), {})
        result.situations.append(
            SituationFigure(situation, cell.get("q1"), cell.get("median"), cell.get("q3"))
        )
    practices = figures.get("practices", {})
    for practice in tree.practices:
        cell = practices.get(str(practice.key))
        if cell is None:
            result.left_out += 1
            continue
        result.practices.append(
            PracticeFigure(
                practice, cell["in_house"], cell["partnership"], cell["both"], cell["develop"]
            )
        )
    result.levers = figures.get("levers", {})
    barycentre = figures.get("barycentre")
    result.barycentre = tuple(barycentre) if barycentre else None
    return result


CSV_HEADER = [
    "territoire",
    "diffusion",
    "personnes",
    "pratique_code",
    "pratique",
    "en_interne_pct",
    "en_partenariat_pct",
    "les_deux_pct",
    "a_developper_pct",
]


def csv_rows(territory: Any, data: TerritoryPractices) -> list[list[Any]]:
    """The released figures as CSV lines (the same values as the page and the PDF)."""
    released = f"{timezone.localtime(data.release.released_at):%Y-%m-%d}" if data.release else ""
    rows: list[list[Any]] = [CSV_HEADER]
    if not data.shown:
        rows.append([scope_name(territory), released, data.people_label, "", "", "", "", "", ""])
        return rows
    for p in data.practices:
        rows.append(
            [
                scope_name(territory),
                released,
                data.people_label,
                p.practice.code,
                p.practice.label,
                *("" if v is None else v for v in (p.in_house, p.partnership, p.both, p.develop)),
            ]
        )
    return rows
