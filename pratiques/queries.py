"""Reads of the pratiques app: the grid, an assessment's form, its results and peer statistics."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Prefetch

from pratiques import disclosure, scoring
from pratiques.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Axis,
    GridStatus,
    GridVersion,
    PeerGroupKind,
    Practice,
    Release,
    ReleasedAggregate,
    Resource,
    ResourceAttachment,
    ScaleStep,
    Situation,
    established,
)
from pratiques.scoring import compute_scores, peer_groups_of


@dataclass(frozen=True)
class SituationNode:
    """A situation of the grid tree and its practices in order. The pages read it as they read
    the model (``code``, ``title``…); ``situation`` is the model itself."""

    situation: Situation
    practice_list: list[Practice]

    @property
    def pk(self) -> int:
        return self.situation.pk

    @property
    def key(self) -> uuid.UUID:
        return self.situation.key

    @property
    def code(self) -> str:
        return self.situation.code

    @property
    def title(self) -> str:
        return self.situation.title

    @property
    def scope_note(self) -> str:
        return self.situation.scope_note


@dataclass(frozen=True)
class AxisNode:
    """An axis of the grid tree and its situations in order; ``axis`` is the model itself."""

    axis: Axis
    situation_list: list[SituationNode]

    @property
    def pk(self) -> int:
        return self.axis.pk

    @property
    def key(self) -> uuid.UUID:
        return self.axis.key

    @property
    def code(self) -> str:
        return self.axis.code

    @property
    def title(self) -> str:
        return self.axis.title

    @property
    def description(self) -> str:
        return self.axis.description

    @property
    def lever(self) -> str:
        return self.axis.lever

    def get_lever_display(self) -> str:
        return self.axis.get_lever_display()


@dataclass(frozen=True)
class GridTree:
    """A version's axes → situations → practices (read models, see ``grid_tree``) and scales."""

    version: GridVersion
    axes: list[AxisNode]
    steps: dict[str, list[ScaleStep]]

    @property
    def situation_nodes(self) -> list[SituationNode]:
        return [s for a in self.axes for s in a.situation_list]

    @property
    def situations(self) -> list[Situation]:
        return [s.situation for s in self.situation_nodes]

    @property
    def practices(self) -> list[Practice]:
        return [p for s in self.situation_nodes for p in s.practice_list]

    @property
    def scale_steps(self) -> list[ScaleStep]:
        return [step for steps in self.steps.values() for step in steps]


def public_version(slug: str | None) -> GridVersion | None:
    """The current version (no slug) or a published / archived one; drafts are not public."""
    qs = GridVersion.objects.exclude(status=GridStatus.DRAFT)
    if slug is None:
        return qs.current()
    return qs.filter(slug=slug).first()


def grid_tree(version: GridVersion, *, with_empty_axes: bool = False) -> GridTree:
    """Axes → situations → practices of a version and its scales, in 3 queries (4 when the
    editor asks for the axes without any situation yet, which a draft may have)."""
    situations = (
        Situation.objects.filter(version=version)
        .select_related("axis")
        .prefetch_related(
            Prefetch("practices", queryset=Practice.objects.order_by("order", "code"))
        )
        .order_by("axis__order", "order", "code")
    )
    axes: dict[int, Axis] = {}
    by_axis: dict[int, list[SituationNode]] = defaultdict(list)
    for situation in situations:
        axes.setdefault(situation.axis_id, situation.axis)
        by_axis[situation.axis_id].append(SituationNode(situation, list(situation.practices.all())))
    if with_empty_axes:
        for axis in Axis.objects.filter(version=version).exclude(pk__in=list(axes)):
            axes[axis.pk] = axis
    steps: dict[str, list[ScaleStep]] = defaultdict(list)
    for step in ScaleStep.objects.filter(version=version).order_by("scale", "value"):
        steps[step.scale].append(step)
    nodes = [
        AxisNode(axis, by_axis[axis.pk])
        for axis in sorted(axes.values(), key=lambda a: (a.order, a.code))
    ]
    return GridTree(version, nodes, dict(steps))


def published_versions() -> list[GridVersion]:
    """Every version a person can open (published or archived), newest first."""
    return list(GridVersion.objects.exclude(status=GridStatus.DRAFT).order_by("-published_at"))


def own_assessment(user: User, pk: int) -> Assessment | None:
    """An assessment of this user, or None (others' assessments are simply not found)."""
    return (
        Assessment.objects.filter(pk=pk, user=user)
        .select_related(
            "version", "territory", "actor_profile", "organisation", "size_segment", "region"
        )
        .first()
    )


def answers_by_practice(assessment: Assessment) -> dict[int, Answer]:
    return {a.practice_id: a for a in Answer.objects.filter(assessment=assessment)}


# --- results -----------------------------------------------------------------------------------


@dataclass
class Distribution:
    """A peer distribution (histogram of scores) and where one score falls in it."""

    n: int
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    below: float | None = None  # share of peers strictly below, 0–100
    quartile: int | None = None  # 1 (lowest quarter) … 4


@dataclass
class PeerGroup:
    kind: str
    value: int
    label: str
    n: int = 0
    shown: bool = False
    situations: dict[Any, Distribution] = field(default_factory=dict)
    axes: dict[Any, Distribution] = field(default_factory=dict)
    barycentre: tuple[float, float, float] | None = None
    spread: list[tuple[float, float, float, int]] = field(default_factory=list)
    people: int = 0  # distinct other people (the unit of the threshold)

    @property
    def people_label(self) -> str:
        return disclosure.count_label(disclosure.round_to(self.people, disclosure.COUNT_STEP))

    @property
    def has_distribution(self) -> bool:
        return bool(self.situations)


def group_label(
    kind: str, assessment: Assessment, engineering_names: dict[int, str], value: int
) -> str:
    if kind == PeerGroupKind.ALL:
        return "Tous les catalyseurs"
    # A group of a kind exists only when the assessment has its segment, profile or region
    # (``peer_groups_of``).
    if kind == PeerGroupKind.SEGMENT and assessment.size_segment is not None:
        return f"Territoires de même taille ({assessment.size_segment.label})"
    if kind == PeerGroupKind.PROFILE:
        return f"Même profil d'acteur ({assessment.actor_profile.label})"
    if kind == PeerGroupKind.REGION and assessment.region is not None:
        return f"Même région ({assessment.region.name})"
    return f"Même ingénierie ({engineering_names.get(value, '?')})"


@dataclass
class Results:
    assessment: Assessment
    tree: GridTree
    situation_scores: dict[uuid.UUID, float]
    axis_scores: dict[uuid.UUID, float]
    ternary: tuple[float, float, float] | None
    groups: list[PeerGroup]
    selected: PeerGroup | None
    to_develop: list[tuple[Practice, Answer]]
    previous: Assessment | None
    comparison: Comparison | None
    answered: int
    not_concerned: int
    threshold: int
    release: Any = None  # the release the peers are read from
    counted: bool = False  # the author is established: the assessment enters others' figures

    @property
    def pending(self) -> bool:
        """Validated after the last release: « votre position sera mise à jour à la prochaine
        diffusion »."""
        submitted = self.assessment.submitted_at
        return self.release is None or (
            submitted is not None and submitted > self.release.released_at
        )


def counted(assessment: Assessment) -> bool:
    """Whether this assessment can enter figures about others (who counts)."""
    return Assessment.objects.filter(
        established(), pk=assessment.pk, consent_statistics=True
    ).exists()


def released_distribution(
    cell: dict[str, int] | None, own: float | None, people: int
) -> Distribution:
    """A released peer distribution (noised quartiles) and the quarter one's score falls in."""
    if not cell:
        return Distribution(n=0)
    result = Distribution(n=people, q1=cell.get("q1"), median=cell.get("median"), q3=cell.get("q3"))
    bounds = [bound for bound in (result.q1, result.median, result.q3) if bound is not None]
    if own is not None and len(bounds) == 3:
        result.quartile = 1 + sum(1 for bound in bounds if own >= bound)
    return result


def results(assessment: Assessment, group_key: str | None = None) -> Results:
    """Everything the results page shows, in a constant number of queries."""
    tree = grid_tree(assessment.version)  # 2 queries
    engineerings = list(assessment.engineerings.all())  # 1
    own_scores = list(assessment.scores.values_list("kind", "element_key", "score"))  # 1
    situation_scores = {k: s for kind, k, s in own_scores if kind == "situation"}
    axis_scores = {k: s for kind, k, s in own_scores if kind == "axis"}
    levers = {a.key: a.lever for a in tree.axes}
    by_lever = {levers[k]: s for k, s in axis_scores.items() if k in levers}
    ternary = scoring.ternary(
        by_lever.get("gestion"), by_lever.get("action"), by_lever.get("vision")
    )

    # Peers: the last release's noised distributions of established people (never live figures,
    # so that nothing moves between two releases and no probe can read a newcomer).
    keys = peer_groups_of(assessment, [e.pk for e in engineerings])
    selected_key = next((k for k in keys if f"{k[0]}-{k[1]}" == group_key), keys[0])
    release = Release.objects.order_by("-released_at", "-pk").first()  # 1: the latest
    released = (
        {
            row.scope: row
            # ``members`` (the people behind a figure, for the release's differencing checks)
            # is never shown: a group of 90 000 people made it the page's heaviest read.
            for row in ReleasedAggregate.objects.filter(
                release=release, scope__in=[f"pairs:{kind}:{value}" for kind, value in keys]
            ).defer("members")
        }
        if release is not None
        else {}
    )  # 1
    threshold = settings.ANONYMITY_THRESHOLD
    names = {e.pk: e.label for e in engineerings}
    groups = []
    selected = None
    for kind, value in keys:
        group = PeerGroup(kind, value, group_label(kind, assessment, names, value))
        row = released.get(f"pairs:{kind}:{value}")
        if row is not None and row.status == disclosure.PUBLISHED and row.figures:
            group.people = group.n = int(row.figures.get("people", 0))
            group.shown = True
        groups.append(group)
        if (kind, value) != selected_key:
            continue
        selected = group
        if not group.shown or row is None:
            continue
        figures = row.figures
        released_situations = figures.get("situations", {})
        released_axes = figures.get("axes", {})
        if not released_situations and not released_axes:
            continue  # fewer than DISTRIBUTION_MIN people: the size only
        for situation in tree.situations:
            group.situations[situation.key] = released_distribution(
                released_situations.get(str(situation.key)),
                situation_scores.get(situation.key),
                group.people,
            )
        for axis in tree.axes:
            group.axes[axis.key] = released_distribution(
                released_axes.get(str(axis.key)), axis_scores.get(axis.key), group.people
            )
        barycentre = figures.get("barycentre")
        if barycentre:
            gestion, action, vision = (v / 100 for v in barycentre)
            group.barycentre = (gestion, action, vision)

    answers = list(Answer.objects.filter(assessment=assessment))  # 1
    practices = {p.pk: p for p in tree.practices}
    to_develop = [
        (practices[a.practice_id], a)
        for a in answers
        if a.wants_to_develop and a.practice_id in practices
    ]
    to_develop.sort(key=lambda pa: (pa[0].situation.order, pa[0].order))
    previous, comparison = over_time(assessment, tree)
    for change in comparison.changes if comparison else []:
        change["score"] = situation_scores.get(change["situation"].key)  # the one score shown
    return Results(
        assessment=assessment,
        tree=tree,
        situation_scores=situation_scores,
        axis_scores=axis_scores,
        ternary=ternary,
        groups=groups,
        selected=selected,
        to_develop=to_develop,
        previous=previous,
        comparison=comparison,
        answered=sum(a.is_answered for a in answers),
        not_concerned=sum(a.not_concerned for a in answers),
        threshold=threshold,
        release=release,
        counted=counted(assessment),  # 1
    )


@dataclass
class Comparison:
    """Like-with-like comparison with the person's previous submitted assessment."""

    changes: list[dict[str, Any]]
    compared: int = 0
    # Practices scored now but not the last time, and the reverse: never compared.
    new_now: int = 0
    dropped_now: int = 0
    # Practices scored the last time whose key is absent from this grid version.
    not_in_grid: int = 0

    @property
    def left_out(self) -> list[str]:
        """« 3 pratiques sans réponse la dernière fois ne sont pas comparées »…"""
        sentences = []
        for count, what in (
            (self.new_now, "sans réponse la dernière fois"),
            (self.dropped_now, "sans réponse cette fois"),
            (self.not_in_grid, "absente{s} de cette version de la grille"),
        ):
            if count:
                plural = "s" if count > 1 else ""
                subject = f"{count} pratique{plural} {what.format(s=plural)}"
                verb = "ne sont pas comparées" if count > 1 else "n’est pas comparée"
                sentences.append(f"{subject} {verb}")
        return sentences


def over_time(
    assessment: Assessment, tree: GridTree
) -> tuple[Assessment | None, Comparison | None]:
    """What moved per situation since the person's previous submitted assessment.

    Like with like: per situation, only the practices scored both times, matched by stable key
    (so across grid versions too); what is left out is counted. The page shows one score per
    situation (the stored one) and this change beside it, never a second score.
    """
    previous = (
        Assessment.objects.filter(
            user_id=assessment.user_id,
            status=AssessmentStatus.SUBMITTED,
            submitted_at__lt=assessment.submitted_at,
        )
        .select_related("version")
        .order_by("-submitted_at")
        .first()
        if assessment.submitted_at
        else None
    )
    if previous is None:
        return None, None
    answers = list(
        Answer.objects.filter(assessment__in=[assessment.pk, previous.pk]).select_related(
            "practice"
        )
    )

    def score(a: Answer) -> float | None:
        return scoring.practice_score(a.frequency, a.involvement, not_concerned=a.not_concerned)

    mine = {a.practice.key: score(a) for a in answers if a.assessment_id == assessment.pk}
    before = {a.practice.key: score(a) for a in answers if a.assessment_id == previous.pk}
    now = {
        p.key: (s.key, p.code, mine.get(p.key))
        for s in tree.situation_nodes
        for p in s.practice_list
    }
    by_situation = scoring.compare_situations(now, before)
    comparison = Comparison(changes=[])
    comparison.not_in_grid = sum(
        1 for key, value in before.items() if value is not None and key not in now
    )
    for situation in tree.situations:
        change = by_situation.get(situation.key, scoring.SituationChange())
        comparison.compared += change.compared
        comparison.new_now += len(change.new_now)
        comparison.dropped_now += len(change.dropped_now)
        comparison.changes.append(
            {
                "situation": situation,
                "delta": change.delta,
                "compared": change.compared,
                "left_out": change.new_now + change.dropped_now,
            }
        )
    return previous, comparison


def rescore(assessment: Assessment) -> Any:
    """Scores of a draft, computed on the fly (the preview before submitting)."""
    answers = list(Answer.objects.filter(assessment=assessment).select_related("practice"))
    situations = list(
        Situation.objects.filter(version_id=assessment.version_id).select_related("axis")
    )
    return compute_scores(answers, situations)


def scale_labels(source: GridTree | Iterable[ScaleStep]) -> dict[str, dict[int, str]]:
    """{scale: {value: label}} of one version's steps: a tree's, or steps read for an export."""
    steps = source.scale_steps if isinstance(source, GridTree) else source
    labels: dict[str, dict[int, str]] = {}
    for step in steps:
        labels.setdefault(step.scale, {})[step.value] = step.label
    return labels


def step_label(labels: dict[str, dict[int, str]], scale: str, value: int | None) -> str:
    """The label of a step in ``scale_labels``; "" for no answer on that scale."""
    return "" if value is None else labels.get(scale, {}).get(value, "")


@dataclass
class PracticeDialogue:
    practice: Practice
    frequency: list[tuple[str, int]]  # (label, count) per step, then « Non concerné·e »
    involvement: list[tuple[str, int]]
    carrying: dict[str, list[str]]  # label → names
    to_develop: list[str]
    answered: int


@dataclass
class Dialogue:
    version: GridVersion | None
    assessments: list[Assessment]
    practices: list[PracticeDialogue]
    tree: GridTree | None


def organisation_dialogue(organisation: Any) -> Dialogue:
    """Per practice, the spread of the shared answers of an organisation's members (latest each)."""
    version = GridVersion.objects.current()
    if version is None:
        return Dialogue(None, [], [], None)
    assessments = list(
        Assessment.objects.filter(
            organisation=organisation,
            shared_with_organisation=True,
            status=AssessmentStatus.SUBMITTED,
            version=version,
            user__pratiques_memberships__organisation=organisation,
        )
        .select_related("user")
        .order_by("user_id", "-submitted_at")
        .distinct("user_id")
    )
    tree = grid_tree(version)
    labels = scale_labels(tree)
    by_practice: dict[int, list[tuple[str, Answer]]] = defaultdict(list)
    names = {a.pk: a.user.get_full_name() or a.user.username for a in assessments}
    for answer in Answer.objects.filter(assessment__in=[a.pk for a in assessments]):
        by_practice[answer.practice_id].append((names[answer.assessment_id], answer))
    rows = []
    for practice in tree.practices:
        items = by_practice.get(practice.pk, [])
        frequency = [
            (label, sum(1 for _, a in items if a.frequency == value))
            for value, label in labels.get("frequency", {}).items()
        ] + [("Non concerné·e", sum(1 for _, a in items if a.not_concerned))]
        involvement = [
            (label, sum(1 for _, a in items if a.involvement == value))
            for value, label in labels.get("involvement", {}).items()
        ]
        carrying = {
            label: sorted(name for name, a in items if a.carrying == value)
            for value, label in labels.get("carrying", {}).items()
        }
        rows.append(
            PracticeDialogue(
                practice=practice,
                frequency=frequency,
                involvement=involvement,
                carrying=carrying,
                to_develop=sorted(name for name, a in items if a.wants_to_develop),
                answered=sum(1 for _, a in items if a.is_answered),
            )
        )
    return Dialogue(version, assessments, rows, tree)


# --- resources (M.E.D.O.C.) ------------------------------------------------------------------


def attachments_for_practice_keys(
    keys: Iterable[uuid.UUID | str],
) -> dict[uuid.UUID, list[ResourceAttachment]]:
    """The resource attachments of each practice key, resources read along (one query); keys
    without any are absent. An attachment says whether it is demo data (``is_demo``)."""
    keys = [k if isinstance(k, uuid.UUID) else uuid.UUID(str(k)) for k in keys]
    if not keys:
        return {}
    result: dict[uuid.UUID, list[ResourceAttachment]] = defaultdict(list)
    attachments = (
        ResourceAttachment.objects.filter(practice_key__in=keys)
        .select_related("resource")
        .order_by("resource__kind", "resource__title")
    )
    for attachment in attachments:
        result[attachment.practice_key].append(attachment)
    return dict(result)


def resources_for_practice_keys(keys: Iterable[uuid.UUID | str]) -> dict[uuid.UUID, list[Resource]]:
    """Resources attached to each practice key (one query); keys without any are absent."""
    return {
        key: [attachment.resource for attachment in attachments]
        for key, attachments in attachments_for_practice_keys(keys).items()
    }
