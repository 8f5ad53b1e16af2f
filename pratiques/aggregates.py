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
    PeerGroupKind,
    Practice,
    PrivacySpend,
    Release,
    ReleasedAggregate,
    Situation,
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
    version_id: int | None = None
    peer_groups: list[str] = field(default_factory=list)  # « pairs:region:12 »…

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
        people[assessment_id].frequencies[str(key)] = (bool(not_concerned), frequency)
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
    return disclosure.digest([kind, sorted(p.contribution() for p in group)])


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
    """The admins' answer distributions: per practice key, noisy counts of each frequency,
    « non concerné·e », no answer and « à développer » (shown « < k » between 1 and k − 1)."""
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
    noisy = disclosure.keyed_noisy(seed, values)
    figures: dict[str, Any] = {"total": max(0, noisy[0]), "practices": {}}
    for (key, name), value in zip(cells[1:], noisy[1:], strict=True):
        figures["practices"].setdefault(key, {})[name] = max(0, value)
    return figures


# --- a release -----------------------------------------------------------------------------


@dataclass
class Drawn:
    """Figures as a scope will carry them in this release."""

    figures: dict[str, Any]
    members: frozenset[int]
    digest: str
    drawn_in: int


class Budget:
    """Each person's ε spent this calendar year (``PrivacySpend``), charged at new draws."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.limit = disclosure.yearly_budget()
        self.spent: dict[int, float] = dict(
            PrivacySpend.objects.filter(year=year).values_list("user_id", "epsilon")
        )
        self.draws: dict[int, int] = defaultdict(int)
        self.charged: dict[int, float] = defaultdict(float)

    def allows(self, person: Person, epsilon: float) -> bool:
        spent = self.spent.get(person.user_id, 0.0) + self.charged[person.user_id]
        return spent + epsilon <= self.limit + 1e-9

    def charge(self, group: list[Person], epsilon: float) -> None:
        for person in group:
            self.charged[person.user_id] += epsilon
            self.draws[person.user_id] += 1

    def save(self) -> None:
        for user_id, epsilon in self.charged.items():
            row, _ = PrivacySpend.objects.get_or_create(user_id=user_id, year=self.year)
            row.epsilon += epsilon
            row.draws += self.draws[user_id]
            row.save(update_fields=["epsilon", "draws"])


def _draw_family(
    *,
    release: Release,
    kind: str,
    groups: dict[str, list[Person]],
    previous: dict[str, ReleasedAggregate],
    figure_of: Any,
    epsilon: float,
    budget: Budget,
    known: set[str],
) -> dict[str, Drawn]:
    """Figures of every scope of one kind: kept from an earlier release when the scope's people
    are « the same scope » as its last published figures (or any scope's), else drawn with keyed
    noise, the people whose yearly budget is spent being left out of a new draw."""
    k = disclosure.threshold()
    pool: list[Drawn] = [
        Drawn(row.figures, frozenset(row.members), row.digest, row.drawn_in_id)
        for row in previous.values()
        if row.status == disclosure.PUBLISHED and row.figures
    ]
    index: dict[int, list[int]] = defaultdict(list)  # person → positions in the pool

    def remember(drawn: Drawn) -> None:
        pool.append(drawn)
        for person in drawn.members:
            index[person].append(len(pool) - 1)

    for position, drawn in enumerate(pool):
        for person in drawn.members:
            index[person].append(position)
    drawn_now: dict[str, Drawn] = {}
    result: dict[str, Drawn] = {}
    for scope in sorted(groups, key=lambda s: (len(groups[s]), s)):
        group = groups[scope]
        ids = frozenset(p.user_id for p in group)
        if len(ids) < k:
            result[scope] = Drawn({}, ids, "", release.pk)
            continue
        earlier = previous.get(scope)
        if (
            earlier is not None
            and earlier.status == disclosure.PUBLISHED
            and earlier.figures
            and disclosure.same_scope(ids, frozenset(earlier.members))
        ):
            result[scope] = Drawn(
                earlier.figures, frozenset(earlier.members), earlier.digest, earlier.drawn_in_id
            )
            continue
        tolerance = disclosure.same_scope_tolerance(len(ids))
        candidates = {c for person in sorted(ids)[:tolerance] for c in index.get(person, [])}
        same = next(
            (pool[c] for c in sorted(candidates) if disclosure.same_scope(ids, pool[c].members)),
            None,
        )
        if same is not None:
            result[scope] = same
            continue
        seed = group_digest(kind, group)
        if seed not in known and seed not in drawn_now:
            eligible = [p for p in group if budget.allows(p, epsilon)]
            if len(eligible) < len(group):
                group = eligible
                ids = frozenset(p.user_id for p in group)
                seed = group_digest(kind, group)
                if len(ids) < k:
                    result[scope] = Drawn({}, ids, "", release.pk)
                    continue
        if seed in drawn_now:
            result[scope] = drawn_now[seed]
            continue
        if seed not in known:
            budget.charge(group, epsilon)
        drawn = Drawn(figure_of(group, seed), ids, seed, release.pk)
        drawn_now[seed] = drawn
        remember(drawn)
        result[scope] = drawn
    return result


def _last_published(prefix: str | None) -> dict[str, ReleasedAggregate]:
    rows = ReleasedAggregate.objects.filter(status=disclosure.PUBLISHED)
    if prefix is None:
        rows = rows.exclude(scope__startswith="pairs:").exclude(scope__startswith="analyses:")
    else:
        rows = rows.filter(scope__startswith=prefix)
    return {
        row.scope: row
        for row in rows.order_by("scope", "-release__released_at", "-release_id").distinct("scope")
    }


@transaction.atomic
def release_aggregates(*, trigger: str = "commande", now: Any = None) -> Release:
    """Compute, protect and store every figure about others at once (a « diffusion »):
    territories, peer groups, the admins' analytics and the anonymised export.

    At most one release per calendar month (refused with a French message). A scope whose people
    are « the same scope » as figures already published keeps them; a new draw's noise is a
    keyed function of its exact contributions, so unchanged data gives byte-identical figures;
    complementary suppression then runs over the member sets behind the figures as read.
    """
    now = now or timezone.now()
    # One release at a time: a second request waits here, then finds this month taken.
    Release.objects.select_for_update().order_by().values_list("pk").first()
    previous = latest_release()
    refusal = disclosure.release_refusal(previous.released_at if previous else None, now)
    if refusal is not None:
        raise refusal
    people = consenting_people()
    release = Release.objects.create(
        released_at=now,
        trigger=trigger,
        people=len(people),
        parameters=disclosure.parameters(),
    )
    known = set(
        ReleasedAggregate.objects.exclude(digest="").values_list("digest", flat=True).distinct()
    )
    budget = Budget(timezone.localtime(now).year)
    groups: dict[str, list[Person]] = defaultdict(list)
    peers: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        for scope in person.scopes:
            groups[scope].append(person)
        for scope in person.peer_groups:
            peers[scope].append(person)
    version = GridVersion.objects.current()
    analytics: dict[str, list[Person]] = {}
    if version is not None:
        analytics[f"analyses:{version.pk}"] = [p for p in people if p.version_id == version.pk]
    common: dict[str, Any] = {"release": release, "budget": budget, "known": known}
    territories = _draw_family(
        kind="territoire",
        groups=groups,
        previous=_last_published(None),
        figure_of=protected_figures,
        epsilon=disclosure.epsilon_of(disclosure.TERRITORY_SENSITIVITY),
        **common,
    )
    # A scope everyone left keeps its last figures until k people left.
    for scope, row in _last_published(None).items():
        if scope not in territories and disclosure.same_scope(frozenset(), frozenset(row.members)):
            territories[scope] = Drawn(
                row.figures, frozenset(row.members), row.digest, row.drawn_in_id
            )
    status = disclosure.suppress_differences({s: d.members for s, d in territories.items()})
    others = {
        **_draw_family(
            kind="pairs",
            groups=peers,
            previous=_last_published("pairs:"),
            figure_of=peer_figures,
            epsilon=disclosure.epsilon_of(disclosure.PEER_SENSITIVITY),
            **common,
        ),
        **_draw_family(
            kind="analyses",
            groups=analytics,
            previous=_last_published("analyses:"),
            figure_of=analytics_figures,
            epsilon=disclosure.epsilon_of(disclosure.ANALYTICS_SENSITIVITY),
            **common,
        ),
    }
    for scope, drawn in others.items():
        status[scope] = (
            disclosure.PUBLISHED
            if len(drawn.members) >= disclosure.threshold()
            else disclosure.BELOW
        )
    rows = [
        ReleasedAggregate(
            release=release,
            scope=scope,
            status=status[scope],
            figures=drawn.figures if status[scope] == disclosure.PUBLISHED else {},
            members=sorted(drawn.members),
            drawn_in_id=drawn.drawn_in,
            digest=drawn.digest,
        )
        for scope, drawn in {**territories, **others}.items()
    ]
    ReleasedAggregate.objects.bulk_create(rows, batch_size=1000)
    budget.save()
    from pratiques.microdata import records_release

    records_release(release=release, people=people)
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
