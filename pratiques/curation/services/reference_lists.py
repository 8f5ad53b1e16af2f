"""History of the territoires reference lists edited from the curation pages: the rows are
written by `territoires.services`, the curation records who changed what."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import models, transaction

from pratiques.curation.services.elements import capitalize
from pratiques.curation.services.history import curation_record, snapshot
from territoires import services as territoires_services
from territoires.models import SizeSegment

SEGMENT_FIELDS = (
    "label",
    "min_population",
    "max_population",
    "priority_lever",
    "lever_description",
)


@transaction.atomic
def reference_item_update[Row: models.Model](
    *, actor: User, item: Row, changes: dict[str, Any]
) -> Row:
    """Reword a maturity profile, an actor profile, a fragility criterion; regroup a fragility."""
    change = territoires_services.reference_item_update(item=item, changes=changes)
    fields = tuple(changes)
    before, after = snapshot(change.before, fields), snapshot(change.after, fields)
    saved = change.after
    if before != after:
        curation_record(
            actor=actor,
            action=f"{saved._meta.model_name}.update",
            summary=f"{capitalize(str(saved._meta.verbose_name))} « {saved} » modifié·e",
            target=saved,
            before=before,
            after=after,
        )
    return saved


@transaction.atomic
def size_segment_update(
    *,
    actor: User,
    segment: SizeSegment,
    label: str,
    max_population: int | None,
    priority_lever: str,
    lever_description: str,
) -> SizeSegment:
    """Reword a segment or move its upper threshold; the next segment starts where it ends."""
    own, *following = territoires_services.size_segment_update(
        segment=segment,
        label=label,
        max_population=max_population,
        priority_lever=priority_lever,
        lever_description=lever_description,
    )
    saved = own.after
    for change in following:
        curation_record(
            actor=actor,
            action="sizesegment.update",
            summary=f"Segment « {change.after} » : nouveau seuil bas (suit « {saved} »)",
            target=change.after,
            before=snapshot(change.before, SEGMENT_FIELDS),
            after=snapshot(change.after, SEGMENT_FIELDS),
        )
    before, after = snapshot(own.before, SEGMENT_FIELDS), snapshot(own.after, SEGMENT_FIELDS)
    if before != after:
        curation_record(
            actor=actor,
            action="sizesegment.update",
            summary=f"Segment de taille « {saved} » modifié",
            target=saved,
            before=before,
            after=after,
        )
    return saved
