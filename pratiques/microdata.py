"""Microdata only at releases: the anonymised export is produced at a release, never live.

At each release (``records_release``): consenting established people only (the release's
people), their quasi-identifiers generalised then suppressed until k-anonymous
(``pratiques.curation.queries.export_classes``), rows shuffled, pseudonyms new at each release.
A newcomer (a person absent from the previous release's export, or whose assessment changed)
appears only together with at least k − 1 other newcomers of the same generalised class; until
then they are left out (or keep their previous assessment while it still consents). The
download reads the latest release's records and drops any whose consent was withdrawn since.
"""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from typing import Any

from pratiques import disclosure
from pratiques.models import (
    Assessment,
    AssessmentStatus,
    Release,
    ReleasedRecord,
    established,
)


def previous_records(release: Release) -> dict[int, int]:
    """user id → assessment id exported by the release before ``release``."""
    before = (
        Release.objects.filter(released_at__lte=release.released_at)
        .exclude(pk=release.pk)
        .order_by("-released_at", "-pk")
        .first()
    )
    if before is None:
        return {}
    return dict(
        ReleasedRecord.objects.filter(release=before).values_list(
            "assessment__user_id", "assessment_id"
        )
    )


def records_release(*, release: Release, people: list[Any]) -> int:
    """Write the export of ``release`` (people: ``aggregates.consenting_people()``)."""
    from pratiques.curation.queries import export_classes

    k = disclosure.threshold()
    current = {p.user_id: p.assessment_id for p in people}
    before = previous_records(release)
    # A newcomer whose data changed may keep their previous assessment while it still consents.
    still = set(
        Assessment.objects.filter(
            established(),
            pk__in=list(before.values()),
            status=AssessmentStatus.SUBMITTED,
            consent_statistics=True,
        ).values_list("pk", flat=True)
    )
    newcomers = {user for user, assessment in current.items() if before.get(user) != assessment}
    candidates = {user: current[user] for user in current}
    for user, assessment in before.items():
        if user not in candidates and assessment in still:
            candidates[user] = assessment  # e.g. consent kept, a newer one not consenting
    classes, _ = export_classes(list(candidates.values()))
    by_class: dict[Any, list[int]] = defaultdict(list)
    for user in newcomers:
        assessment = candidates[user]
        if assessment in classes:
            by_class[classes[assessment]].append(user)
    for users in by_class.values():
        if len(users) >= k:
            continue
        for user in users:  # too few newcomers alike: wait for others, or keep the old one
            old = before.get(user)
            if old is not None and old in still and old in classes:
                candidates[user] = old
            else:
                candidates.pop(user, None)
    kept = {a: classes[a] for a in candidates.values() if a in classes}
    sizes = Counter(kept.values())
    kept = {a: c for a, c in kept.items() if sizes[c] >= k}
    order = list(kept)
    secrets.SystemRandom().shuffle(order)
    ReleasedRecord.objects.bulk_create(
        [
            ReleasedRecord(
                release=release,
                assessment_id=assessment,
                pseudonym=f"p-{secrets.token_hex(6)}",
                position=position,
                classes=list(kept[assessment]),
            )
            for position, assessment in enumerate(order)
        ],
        batch_size=2000,
    )
    return len(order)
