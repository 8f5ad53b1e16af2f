"""Reads of the curation: version comparison, resources of practices, analytics and exports."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.safestring import SafeString

from pratiques import disclosure
from pratiques.curation.diff import word_diff_sides
from pratiques.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Axis,
    Campaign,
    ElementType,
    GridVersion,
    KeyLineage,
    Lever,
    LineageKind,
    Practice,
    Release,
    ReleasedAggregate,
    ReleasedRecord,
    Scale,
    ScaleStep,
    Situation,
    established,
)
from pratiques.queries import scale_labels, step_label

# Text fields compared between versions, with their French name.
COMPARED_FIELDS: dict[ElementType, tuple[tuple[str, str], ...]] = {
    ElementType.AXIS: (("title", "intitulé"), ("description", "description"), ("lever", "levier")),
    ElementType.SITUATION: (("title", "intitulé"), ("scope_note", "précision")),
    ElementType.PRACTICE: (("label", "libellé"),),
}


@dataclass
class FieldDiff:
    label: str
    before: str
    after: str
    html: SafeString


@dataclass
class ElementChange:
    kind: ElementType
    key: uuid.UUID
    old: Any | None
    new: Any | None
    diffs: list[FieldDiff] = field(default_factory=list)
    moved_from: str = ""
    moved_to: str = ""
    lineage: list[str] = field(default_factory=list)

    @property
    def element(self) -> Any:
        return self.new or self.old

    @property
    def status(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"

    @property
    def renamed(self) -> bool:
        return bool(self.diffs)

    @property
    def title_changed(self) -> bool:
        return any(d.label in ("intitulé", "libellé") for d in self.diffs)

    @property
    def moved(self) -> bool:
        return bool(self.moved_from or self.moved_to)


@dataclass
class Comparison:
    old: GridVersion
    new: GridVersion
    changes: dict[ElementType, list[ElementChange]]
    unchanged: dict[ElementType, int]

    def of(self, kind: ElementType, status: str) -> list[ElementChange]:
        return [c for c in self.changes[kind] if c.status == status]

    def renamed(self, kind: ElementType) -> list[ElementChange]:
        return [c for c in self.changes[kind] if c.status == "changed" and c.renamed]

    def moved(self, kind: ElementType) -> list[ElementChange]:
        return [c for c in self.changes[kind] if c.status == "changed" and c.moved]

    @property
    def summary(self) -> list[dict[str, Any]]:
        return [
            {
                "kind": kind,
                "label": {"axis": "Axes", "situation": "Situations", "practice": "Pratiques"}[kind],
                "added": len(self.of(kind, "added")),
                "removed": len(self.of(kind, "removed")),
                "renamed": len(self.renamed(kind)),
                "moved": len(self.moved(kind)),
                "unchanged": self.unchanged[kind],
            }
            for kind in self.changes
        ]

    @property
    def is_empty(self) -> bool:
        return not any(self.changes.values())


def field_text(element: Any, name: str) -> str:
    value = getattr(element, name) or ""
    if name == "lever" and value:
        return str(Lever(value).label)
    return value


def parent_key(kind: ElementType, element: Any) -> uuid.UUID | None:
    if kind == ElementType.SITUATION:
        return element.axis.key
    if kind == ElementType.PRACTICE:
        return element.situation.key
    return None


def ranks(
    kind: ElementType, elements: dict[uuid.UUID, Any], common: set[uuid.UUID]
) -> dict[uuid.UUID, tuple[uuid.UUID | None, int]]:
    """(parent key, rank among the siblings present in both versions) of each common element.

    Comparing ranks, not codes: an insertion before an element renumbers it without moving it.
    """
    seen: dict[uuid.UUID | None, int] = defaultdict(int)
    result = {}
    for key, element in elements.items():
        if key in common:
            parent = parent_key(kind, element)
            result[key] = (parent, seen[parent])
            seen[parent] += 1
    return result


def describe_position(kind: ElementType, element: Any) -> str:
    if kind == ElementType.SITUATION:
        return f"{element.code} (axe {element.axis.code})"
    if kind == ElementType.PRACTICE:
        return f"{element.code} (situation {element.situation.code})"
    return element.code


def version_comparison(old: GridVersion, new: GridVersion) -> Comparison:
    """Added / removed / renamed / moved elements from ``old`` to ``new``, matched by key."""
    elements: dict[ElementType, tuple[dict, dict]] = {}
    versions = [old, new]
    querysets: dict[ElementType, Iterable[Axis | Situation | Practice]] = {
        ElementType.AXIS: Axis.objects.filter(version__in=versions).order_by("order", "code"),
        ElementType.SITUATION: Situation.objects.filter(version__in=versions)
        .select_related("axis")
        .order_by("axis__order", "order", "code"),
        ElementType.PRACTICE: Practice.objects.filter(version__in=versions)
        .select_related("situation")
        .order_by("situation__order", "order", "code"),
    }
    for kind, queryset in querysets.items():
        by_version: dict[int, dict[uuid.UUID, Any]] = {old.pk: {}, new.pk: {}}
        for element in queryset:
            by_version[element.version_id][element.key] = element
        elements[kind] = (by_version[old.pk], by_version[new.pk])

    lineage_labels = lineage_descriptions(old, new, elements)
    changes: dict[ElementType, list[ElementChange]] = {}
    unchanged: dict[ElementType, int] = {}
    for kind, (before, after) in elements.items():
        rows: list[ElementChange] = []
        unchanged[kind] = 0
        common = set(before) & set(after)
        old_ranks, new_ranks = ranks(kind, before, common), ranks(kind, after, common)
        for key in list(after) + [k for k in before if k not in after]:
            old_element, new_element = before.get(key), after.get(key)
            change = ElementChange(kind=kind, key=key, old=old_element, new=new_element)
            change.lineage = lineage_labels.get(key, [])
            if old_element is not None and new_element is not None:
                for name, label in COMPARED_FIELDS[kind]:
                    a, b = field_text(old_element, name), field_text(new_element, name)
                    if a != b:
                        change.diffs.append(FieldDiff(label, a, b, word_diff_sides(a, b)))
                if old_ranks[key] != new_ranks[key]:
                    change.moved_from = describe_position(kind, old_element)
                    change.moved_to = describe_position(kind, new_element)
                if not change.diffs and not change.moved:
                    unchanged[kind] += 1
                    continue
            rows.append(change)
        changes[kind] = rows
    return Comparison(old=old, new=new, changes=changes, unchanged=unchanged)


def lineage_descriptions(
    old: GridVersion, new: GridVersion, elements: dict[ElementType, tuple[dict, dict]]
) -> dict[uuid.UUID, list[str]]:
    """« issue de la scission de 1.2 » for the new keys recorded by admins between the versions."""
    versions = GridVersion.objects.filter(pk__in=[old.pk, new.pk])
    labels: dict[uuid.UUID, list[str]] = defaultdict(list)
    for row in KeyLineage.objects.filter(version__in=versions):
        before, after = elements[ElementType(row.element_type)]
        source = before.get(row.old_key) or after.get(row.old_key)
        target = after.get(row.new_key) or before.get(row.new_key)
        source_label = source.code if source is not None else "un élément d'une autre version"
        target_label = target.code if target is not None else "un élément d'une autre version"
        if row.kind == LineageKind.SPLIT:
            labels[row.new_key].append(f"issue de la scission de {source_label}")
            labels[row.old_key].append(f"scindée, notamment en {target_label}")
        else:
            labels[row.new_key].append(f"issue de la fusion de {source_label}")
            labels[row.old_key].append(f"fusionnée dans {target_label}")
    return labels


# --- resources -----------------------------------------------------------------------------


# --- analytics -----------------------------------------------------------------------------


def statistics_assessments(version: GridVersion | None = None) -> models.QuerySet[Assessment]:
    """Submitted assessments of established people who agreed they feed the anonymised
    statistics (who counts: ``pratiques.models.established``)."""
    queryset = Assessment.objects.filter(
        established(), status=AssessmentStatus.SUBMITTED, consent_statistics=True
    )
    return queryset.filter(version=version) if version is not None else queryset


@dataclass
class KeyChanges:
    """Stable keys of one kind of element, current version → draft."""

    kept: int = 0
    added: list[str] = field(default_factory=list)  # « 1.4 Nouvelle pratique »
    removed: list[str] = field(default_factory=list)


@dataclass
class PublicationEffects:
    """What publishing a draft changes for the peer groups of the results page and for the
    practice sections of territories (both compare across versions by stable key)."""

    situations: KeyChanges
    practices: KeyChanges
    assessments: int  # submitted, consenting assessments: they keep counting
    # Of those, how many have a score on a situation whose key persists / is removed.
    scored_on_kept: int
    scored_on_removed: int


def publication_effects(current: GridVersion, draft: GridVersion) -> PublicationEffects:
    """Five queries: situations and practices of both versions, consenting assessments, and
    those scored on persisting or removed situation keys."""
    effects = PublicationEffects(KeyChanges(), KeyChanges(), 0, 0, 0)
    keys: dict[str, tuple[set[uuid.UUID], set[uuid.UUID]]] = {}
    for model, text, changes in (
        (Situation, "title", effects.situations),
        (Practice, "label", effects.practices),
    ):
        rows = model.objects.filter(version__in=[current, draft]).values_list(
            "version_id", "key", "code", text
        )
        old = {
            key: f"{code} {label}" for version, key, code, label in rows if version == current.pk
        }
        new = {key: f"{code} {label}" for version, key, code, label in rows if version == draft.pk}
        changes.kept = len(old.keys() & new.keys())
        changes.added = sorted(new[key] for key in new.keys() - old.keys())
        changes.removed = sorted(old[key] for key in old.keys() - new.keys())
        keys[model.__name__] = (old.keys() & new.keys(), old.keys() - new.keys())
    kept, removed = keys["Situation"]
    effects.assessments = statistics_assessments().count()
    scored = statistics_assessments().filter(scores__kind="situation")
    effects.scored_on_kept = (
        scored.filter(scores__element_key__in=kept).distinct().count() if kept else 0
    )
    effects.scored_on_removed = (
        scored.filter(scores__element_key__in=removed).distinct().count() if removed else 0
    )
    return effects


@dataclass
class PublicationReach:
    """What else a publication touches, listed on the publish page before the click."""

    open_campaigns: list[Campaign]  # on the current grid, not closed: they keep their version
    drafts: int  # assessments in progress on the current grid: offered to move forward
    release: Release | None
    released_scopes: int  # territories whose practice figures the latest release publishes


def publication_reach(current: GridVersion) -> PublicationReach:
    """Three queries: open campaigns, drafts on the current grid, the latest release's scopes."""
    release = latest_release()
    return PublicationReach(
        open_campaigns=list(
            Campaign.objects.filter(version=current, closed_at__isnull=True).order_by("opens_on")
        ),
        drafts=Assessment.objects.filter(version=current, status=AssessmentStatus.DRAFT).count(),
        release=release,
        released_scopes=release.aggregates.filter(status=disclosure.PUBLISHED).count()
        if release
        else 0,
    )


@dataclass
class PracticeDistribution:
    practice: Practice
    total: int
    frequency: dict[int, int]
    not_concerned: int
    unanswered: int
    involvement: dict[int, int]
    carrying: dict[int, int]
    to_develop: int
    # Shown under the disclosure policy (set by the analytics page).
    frequency_cells: list[int | str] = field(default_factory=list)
    shown: dict[str, int | str] = field(default_factory=dict)


def released_distributions(
    version: GridVersion, release: Any
) -> tuple[int | None, list[PracticeDistribution]]:
    """The admins' answer distributions as the latest release published them (noisy counts of
    established consenting people, ``pratiques.aggregates.analytics_figures``): 2 queries."""
    practices = list(
        Practice.objects.filter(version=version)
        .select_related("situation")
        .order_by("situation__order", "order")
    )
    row = (
        ReleasedAggregate.objects.filter(
            release=release, scope=f"analyses:{version.pk}", status=disclosure.PUBLISHED
        )
        .defer("members")
        .first()
        if release is not None
        else None
    )
    figures = row.figures if row is not None else {}
    # None: below k (or no release yet); else the noisy total (at least k, as published).
    total = max(disclosure.threshold(), int(figures.get("total", 0))) if row is not None else None
    result = []
    for practice in practices:
        cells = figures.get("practices", {}).get(str(practice.key), {})
        result.append(
            PracticeDistribution(
                practice=practice,
                total=total or 0,
                frequency={
                    int(name[1:]): value for name, value in cells.items() if name.startswith("f")
                },
                not_concerned=cells.get("not_concerned", 0),
                unanswered=cells.get("unanswered", 0),
                involvement={},
                carrying={},
                to_develop=cells.get("develop", 0),
            )
        )
    return total, result


# --- anonymised export ---------------------------------------------------------------------

EXPORT_COLUMNS = [
    "pseudonyme",
    "version",
    "annee_ou_periode",
    "segment_taille",
    "profil_acteur",
    "ingenieries",
    "region",
    "axe",
    "situation",
    "pratique_code",
    "pratique_cle",
    "pratique",
    "non_concerne",
    "frequence",
    "frequence_libelle",
    "implication",
    "implication_libelle",
    "portage",
    "portage_libelle",
    "a_developper",
]


# Quasi-identifiers of the export, generalised step by step (global recoding) until few rows
# sit in classes smaller than k, then the rows of the remaining small classes are left out.
QUASI_IDENTIFIERS = ("version", "annee", "segment", "profil", "ingenieries", "region")
OVERSEAS_REGIONS = {"Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"}


def _period(row: tuple[Any, ...]) -> tuple[Any, ...]:
    version, year, segment, profile, engineerings, region = row
    period = f"{year - year % 3}–{year - year % 3 + 2}" if isinstance(year, int) else year
    return (version, period, segment, profile, engineerings, region)


def _zone(row: tuple[Any, ...]) -> tuple[Any, ...]:
    version, year, segment, profile, engineerings, region = row
    zone = "Outre-mer" if region in OVERSEAS_REGIONS else "France métropolitaine"
    return (version, year, segment, profile, engineerings, zone if region else "")


def _no_engineerings(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return (*row[:4], "(non diffusé)", row[5])


def _no_profile(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return (*row[:3], "(non diffusé)", *row[4:])


def _no_segment(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return (*row[:2], "(non diffusé)", *row[3:])


GENERALISATIONS = [_period, _zone, _no_engineerings, _no_profile, _no_segment]


def export_classes(assessment_ids: list[int]) -> tuple[dict[int, tuple[Any, ...]], int]:
    """Generalised quasi-identifiers of each of these assessments (k-anonymous, k =
    ANONYMITY_THRESHOLD) and the number of assessments left out (3 queries). Called at a release
    (``pratiques.microdata``): the download itself never computes anything."""
    assessments = Assessment.objects.filter(pk__in=assessment_ids)
    engineerings: dict[int, list[str]] = defaultdict(list)
    through = Assessment.engineerings.through
    for assessment_id, label in (
        through.objects.filter(assessment_id__in=assessment_ids)
        .order_by("engineering__order", "engineering__label")
        .values_list("assessment_id", "engineering__label")
    ):
        engineerings[assessment_id].append(label)
    rows = {
        pk: (
            version,
            submitted_at.year if submitted_at else "",
            segment or "",
            profile or "",
            " ; ".join(engineerings.get(pk, [])),
            region or "",
        )
        for pk, version, submitted_at, segment, profile, region in assessments.values_list(
            "pk",
            "version__label",
            "submitted_at",
            "size_segment__label",
            "actor_profile__label",
            "region__name",
        )
    }
    return disclosure.k_anonymise(rows, GENERALISATIONS)


def latest_release() -> Release | None:
    return Release.objects.order_by("-released_at", "-pk").first()


def released_records(release: Release | None) -> list[tuple[int, str, list[Any]]]:
    """(assessment id, pseudonym, classes) of a release's export (``pratiques.microdata``), in
    its shuffled order, without the people who withdrew their consent or standing since."""
    if release is None:
        return []
    return list(
        ReleasedRecord.objects.filter(
            release=release,
            assessment__consent_statistics=True,
            assessment__user__is_active=True,
            assessment__user__vouch__isnull=False,
        )
        .order_by("position")
        .values_list("assessment_id", "pseudonym", "classes")
    )


def _latest_records() -> list[tuple[int, str, list[Any]]]:
    return released_records(latest_release())


def export_smallest_class() -> tuple[int, int, int]:
    """(smallest equivalence class, assessments exported, people of the release left out) of
    the latest release's export."""
    release = latest_release()
    records = _latest_records()
    smallest = disclosure.smallest_class(tuple(classes) for _, _, classes in records)
    return smallest, len(records), max(0, (release.people if release else 0) - len(records))


def export_rows() -> Iterator[list[Any]]:
    """One row per answer of each consenting person's latest assessment, without any name,
    account id or comment; the context columns are generalised so that every combination of
    them is shared by at least k people (rows of smaller classes are left out). Reads the latest
    release's records (``pratiques.microdata``): rows in its shuffled order, its pseudonyms."""
    records = _latest_records()
    classes = {pk: tuple(c) for pk, _, c in records}
    pseudonyms = {pk: pseudonym for pk, pseudonym, _ in records}
    assessments = Assessment.objects.filter(pk__in=list(classes))
    version_of: dict[int, int] = dict(
        assessments.values_list("pk", "version_id").iterator(chunk_size=2000)
    )
    steps: dict[int, list[ScaleStep]] = defaultdict(list)
    for step in ScaleStep.objects.filter(version_id__in=set(version_of.values())):
        steps[step.version_id].append(step)
    labels = {
        version_id: scale_labels(version_steps) for version_id, version_steps in steps.items()
    }
    position = ReleasedRecord.objects.filter(
        release=latest_release(), assessment_id=models.OuterRef("assessment_id")
    ).values("position")
    answers = (
        Answer.objects.filter(assessment__in=assessments)
        .annotate(position=models.Subquery(position))
        # The release's shuffled order: never the order of submission (nor of ids).
        .order_by("position", "practice__situation__order", "practice__order")
        .values_list(
            "assessment_id",
            "practice__situation__axis__code",
            "practice__situation__code",
            "practice__code",
            "practice__key",
            "practice__label",
            "not_concerned",
            "frequency",
            "involvement",
            "carrying",
            "wants_to_develop",
        )
    )
    for (
        assessment_id,
        axis_code,
        situation_code,
        code,
        key,
        label,
        not_concerned,
        frequency,
        involvement,
        carrying,
        to_develop,
    ) in answers.iterator(chunk_size=5000):
        version_labels = labels.get(version_of[assessment_id], {})
        version, period, segment, profile, engineering_labels, region = classes[assessment_id]
        yield [
            pseudonyms[assessment_id] or "",
            version,
            period,
            segment,
            profile,
            engineering_labels,
            region,
            axis_code,
            situation_code,
            code,
            str(key),
            label,
            "oui" if not_concerned else "non",
            "" if frequency is None else frequency,
            step_label(version_labels, Scale.FREQUENCY, frequency),
            "" if involvement is None else involvement,
            step_label(version_labels, Scale.INVOLVEMENT, involvement),
            "" if carrying is None else carrying,
            step_label(version_labels, Scale.CARRYING, carrying),
            "oui" if to_develop else "non",
        ]
