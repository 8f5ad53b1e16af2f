"""Reference lists of territoires edited from the curation pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import models, transaction

from config.refusals import Refused
from pratiques.curation.services.elements import capitalize
from pratiques.curation.services.history import curation_record, snapshot
from territoires.models import SizeSegment

# --- reference lists (territoires) ---------------------------------------------------------


@transaction.atomic
def reference_item_update(
    *, actor: User, item: models.Model, changes: dict[str, Any]
) -> models.Model:
    """Reword a maturity profile, an actor profile, a fragility criterion; regroup a fragility."""
    item = type(item).objects.select_for_update().get(pk=item.pk)
    fields = tuple(changes)
    before = snapshot(item, fields)
    for name, value in changes.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    item.full_clean()
    item.save()
    after = snapshot(item, fields)
    if before != after:
        curation_record(
            actor=actor,
            action=f"{item._meta.model_name}.update",
            summary=f"{capitalize(str(item._meta.verbose_name))} « {item} » modifié·e",
            target=item,
            before=before,
            after=after,
        )
    return item


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
    segments = list(SizeSegment.objects.select_for_update().order_by("min_population"))
    index = next(i for i, s in enumerate(segments) if s.pk == segment.pk)
    segment, following = segments[index], segments[index + 1] if index + 1 < len(segments) else None
    fields = ("label", "min_population", "max_population", "priority_lever", "lever_description")
    before = snapshot(segment, fields)
    if following is None and max_population is not None:
        raise Refused(
            {"max_population": "Le dernier segment n'a pas de borne supérieure."},
            code="last_segment_bound",
        )
    if following is not None:
        if max_population is None:
            raise Refused(
                {"max_population": "Indiquez la borne supérieure (exclue)."}, code="bound_missing"
            )
        if max_population <= segment.min_population:
            raise Refused(
                {
                    "max_population": f"La borne doit dépasser {segment.min_population:,} habitants.".replace(
                        ",", " "
                    )
                },
                code="bound_too_low",
            )
        if following.max_population is not None and max_population >= following.max_population:
            raise Refused(
                {
                    "max_population": f"La borne doit rester sous celle du segment suivant "
                    f"({following.max_population:,} habitants).".replace(",", " ")
                },
                code="bound_too_high",
            )
    segment.label = label.strip()
    segment.priority_lever = priority_lever.strip()
    segment.lever_description = lever_description.strip()
    segment.max_population = max_population
    segment.full_clean()
    segment.save()
    if following is not None and following.min_population != max_population:
        following_before = snapshot(following, fields)
        following.min_population = max_population
        following.save(update_fields=["min_population"])
        curation_record(
            actor=actor,
            action="sizesegment.update",
            summary=f"Segment « {following} » : nouveau seuil bas (suit « {segment} »)",
            target=following,
            before=following_before,
            after=snapshot(following, fields),
        )
    after = snapshot(segment, fields)
    if before != after:
        curation_record(
            actor=actor,
            action="sizesegment.update",
            summary=f"Segment de taille « {segment} » modifié",
            target=segment,
            before=before,
            after=after,
        )
    return segment
