"""The admins' analytics broken down by size segment and by actor profile, written at a release.

Computed from the release's anonymised export (``ReleasedRecord``, k-anonymous, generalised
context): post-processing of microdata the admins already receive, so no new noise draw and no
privacy budget. Each group is one ``ReleasedAggregate`` « analyses:<version>:<dimension>:<id> »
with the counts of the grid's three scales per practice (the names of ``analytics_figures``),
below k or suppressed like any scope (``disclosure.suppress_differences``: no group that the
others, subtracted from the export, would give back). Pages read them; nothing is live."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

from pratiques import disclosure
from pratiques.figures import CARRYING_FIELDS, Person
from pratiques.models import Answer, GridVersion, Release, ReleasedAggregate, ReleasedRecord

# dimension → position of its generalised value in ``ReleasedRecord.classes``
DIMENSIONS = {"segment": 2, "profile": 3}
NOT_RELEASED = "non diffusé"


def scope(version_id: int, dimension: str, label: str) -> str:
    """« analyses:<version>:segment:<digest of the label> » (a label may be long; the digest
    is the same at every release, so a group's trend can be followed)."""
    digest = hashlib.sha256(label.encode()).hexdigest()[:16]
    return f"analyses:{version_id}:{dimension}:{digest}"


def is_breakdown(scope_name: str) -> bool:
    return scope_name.startswith("analyses:") and scope_name.count(":") > 1


def counts(answers: list[tuple[bool, int | None, int | None, int | None, bool]]) -> dict:
    """The analytics cells of one practice from its answers (exact: post-processing)."""
    cells: dict[str, int] = {f"f{v}": 0 for v in range(4)}
    cells |= {"not_concerned": 0, "unanswered": 0, "develop": 0}
    cells |= {f"i{v}": 0 for v in range(4)} | {f"c{v}": 0 for v in CARRYING_FIELDS}
    for not_concerned, frequency, involvement, carrying, develop in answers:
        if not_concerned:
            cells["not_concerned"] += 1
        elif frequency is None:
            cells["unanswered"] += 1
        else:
            # The steps a version defines (a test's answers may go beyond the fixture's 0–3).
            cells[f"f{frequency}"] = cells.get(f"f{frequency}", 0) + 1
            if involvement is not None:
                cells[f"i{involvement}"] = cells.get(f"i{involvement}", 0) + 1
            if carrying is not None:
                cells[f"c{carrying}"] = cells.get(f"c{carrying}", 0) + 1
        cells["develop"] += bool(develop)
    return cells


def breakdown_aggregates(
    *, release: Release, version: GridVersion | None, people: list[Person] | None = None
) -> list[ReleasedAggregate]:
    """The groups of the release's export on the current version, by segment and by profile.
    The answers are those ``people`` (the release's, ``consenting_people``) already hold; only
    an exported assessment that is not a person's latest (kept while a newer one waits) is read
    again (at most 4 queries)."""
    if version is None:
        return []
    records = list(
        ReleasedRecord.objects.filter(release=release, assessment__version=version)
        .order_by("assessment_id")
        .values_list("assessment_id", "assessment__user_id", "classes")
    )
    if not records:
        return []
    answers: dict[int, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    keys: set[str] = set()
    known = {p.assessment_id: p for p in people or []}
    for assessment_id, _, _ in records:
        person = known.get(assessment_id)
        if person is None:
            continue
        for key, (not_concerned, frequency) in person.frequencies.items():
            _, carrying, develop = person.practices.get(key, (False, None, False))
            answer = (not_concerned, frequency, person.involvements.get(key), carrying, develop)
            answers[assessment_id][key].append(answer)
            keys.add(key)
    missing = [r[0] for r in records if r[0] not in known]
    for assessment_id, practice_key, *stored in (
        Answer.objects.filter(assessment_id__in=missing).values_list(
            "assessment_id",
            "practice__key",
            "not_concerned",
            "frequency",
            "involvement",
            "carrying",
            "wants_to_develop",
        )
        if missing
        else []
    ):
        answers[assessment_id][str(practice_key)].append(tuple(stored))
        keys.add(str(practice_key))
    everyone = frozenset(user for _, user, _ in records)
    # Unchanged figures keep the release that first published them (as the drawn scopes do).
    earlier = {
        row.scope: row
        for row in ReleasedAggregate.objects.filter(scope__startswith=f"analyses:{version.pk}:")
        .exclude(release=release)
        .order_by("scope", "-release__released_at", "-release_id")
        .distinct("scope")
    }
    rows = []
    for dimension, index in DIMENSIONS.items():
        groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for assessment_id, user_id, classes in records:
            label = str(classes[index]) if index < len(classes) and classes[index] else ""
            groups[label or NOT_RELEASED].append((assessment_id, user_id))
        members = {
            scope(version.pk, dimension, label): frozenset(u for _, u in group)
            for label, group in groups.items()
        }
        status = disclosure.suppress_differences({**members, "": everyone})
        for label, group in sorted(groups.items()):
            name = scope(version.pk, dimension, label)
            figures: dict[str, Any] = {}
            if status[name] == disclosure.PUBLISHED:
                figures = {
                    "label": label,
                    "total": len(group),
                    "practices": {
                        key: counts(
                            [a for assessment_id, _ in group for a in answers[assessment_id][key]]
                            + [(False, None, None, None, False)]
                            * sum(1 for a, _ in group if key not in answers[a])
                        )
                        for key in sorted(keys)
                    },
                }
            figures = figures or {"label": label}
            before = earlier.get(name)
            same = before is not None and (before.status, before.figures) == (status[name], figures)
            rows.append(
                ReleasedAggregate(
                    release=release,
                    scope=name,
                    status=status[name],
                    figures=figures,
                    members=sorted(members[name]),
                    drawn_in_id=before.drawn_in_id if same and before else release.pk,
                    digest="",
                )
            )
    return rows
