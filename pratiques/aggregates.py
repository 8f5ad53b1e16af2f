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

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from pratiques import disclosure
from pratiques.breakdowns import breakdown_aggregates, is_breakdown
from pratiques.figures import (
    CARRYING_FIELDS,
    LEVERS,
    Person,
    analytics_figures,
    consenting_people,
    group_digest,
    peer_figures,
    protected_figures,
    scope_name,
)
from pratiques.models import (
    GridVersion,
    Practice,
    PrivacySpend,
    Release,
    ReleasedAggregate,
    Situation,
)

__all__ = [
    "CARRYING_FIELDS",
    "LEVERS",
    "Person",
    "analytics_figures",
    "consenting_people",
    "group_digest",
    "peer_figures",
    "protected_figures",
    "release_aggregates",
    "scope_name",
]


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
        rows = PrivacySpend.objects.filter(year=year).values_list("user_id", "epsilon", "draws")
        self.spent: dict[int, float] = {}
        self.earlier_draws: dict[int, int] = {}
        for user_id, epsilon, draws in rows:
            self.spent[user_id], self.earlier_draws[user_id] = epsilon, draws
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
        """One upsert for everyone charged (a release charges up to every person)."""
        PrivacySpend.objects.bulk_create(
            [
                PrivacySpend(
                    user_id=user_id,
                    year=self.year,
                    epsilon=self.spent.get(user_id, 0.0) + epsilon,
                    draws=self.earlier_draws.get(user_id, 0) + self.draws[user_id],
                )
                for user_id, epsilon in self.charged.items()
            ],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["user", "year"],
            update_fields=["epsilon", "draws"],
        )


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
            previous={
                scope: row
                for scope, row in _last_published("analyses:").items()
                if not is_breakdown(scope)
            },
            figure_of=analytics_figures,
            epsilon=disclosure.epsilon_of(
                disclosure.ANALYTICS_SENSITIVITY, disclosure.ANALYTICS_NOISE_SCALE
            ),
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
    # The analytics by segment and by profile: post-processing of that export (no new draw).
    ReleasedAggregate.objects.bulk_create(
        breakdown_aggregates(release=release, version=version, people=people),
        batch_size=1000,
    )
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


def territory_release_stamp(territory: Any) -> list[Any]:
    """What a territory's released practice figures depend on (the report's cache key): the
    status, the keyed digest and the release that drew them — not the latest release's id, so a
    release that changes nothing for this territory regenerates nothing (2 queries)."""
    release = latest_release()
    if release is None:
        return []
    row = (
        ReleasedAggregate.objects.filter(release=release, scope=scope_name(territory))
        .values_list("status", "digest", "drawn_in_id")
        .first()
    )
    return list(row) if row is not None else [disclosure.BELOW]


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
    row = (
        ReleasedAggregate.objects.filter(release=result.release, scope=scope_name(territory))
        .defer("members")
        .select_related("drawn_in")
        .first()
    )
    if row is None or row.status != disclosure.PUBLISHED:
        result.status = row.status if row is not None else disclosure.BELOW
        return result
    # The figures are those of the release that drew them: unchanged since, the page, the PDF
    # and the CSV keep its date (and a cached PDF stays valid: nothing is regenerated).
    result.release = row.drawn_in
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
