"""Lineage of keys between versions, and carrying a draft assessment forward."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction

from config.refusals import Refused
from pratiques.curation.services.history import curation_record, snapshot
from pratiques.curation.services.versions import code_sort_key, lock_draft
from pratiques.models import (
    Answer,
    Assessment,
    ElementType,
    GridVersion,
    KeyLineage,
    LineageKind,
    Practice,
)

# --- lineage -------------------------------------------------------------------------------


@transaction.atomic
def lineage_record(
    *,
    actor: User,
    version: GridVersion,
    element_type: ElementType,
    kind: LineageKind,
    old_keys: list[uuid.UUID],
    new_keys: list[uuid.UUID],
    note: str = "",
) -> list[KeyLineage]:
    """A split (one old key → several new ones) or a merge (several old keys → one new one)."""
    version = lock_draft(version)
    old_keys, new_keys = list(dict.fromkeys(old_keys)), list(dict.fromkeys(new_keys))
    if kind == LineageKind.SPLIT and (len(old_keys) != 1 or len(new_keys) < 2):
        raise Refused(
            "Une scission relie un élément d'origine à au moins deux nouveaux éléments.",
            code="split_shape",
        )
    if kind == LineageKind.MERGE and (len(new_keys) != 1 or len(old_keys) < 2):
        raise Refused(
            "Une fusion relie au moins deux éléments d'origine à un nouvel élément.",
            code="merge_shape",
        )
    if set(old_keys) & set(new_keys):
        raise Refused(
            "Un élément ne peut pas être à la fois l'origine et le résultat.", code="lineage_loop"
        )
    rows = KeyLineage.objects.bulk_create(
        KeyLineage(
            version=version,
            element_type=element_type,
            kind=kind,
            old_key=old_key,
            new_key=new_key,
            note=note.strip(),
            recorded_by=actor,
        )
        for old_key in old_keys
        for new_key in new_keys
    )
    curation_record(
        actor=actor,
        action="key_lineage.add",
        summary=f"{LineageKind(kind).label} enregistrée ({ElementType(element_type).label.lower()}) : "
        f"{len(old_keys)} → {len(new_keys)}",
        target=version,
        after={
            "kind": kind,
            "element_type": element_type,
            "old_keys": [str(k) for k in old_keys],
            "new_keys": [str(k) for k in new_keys],
            "note": note,
        },
        version=version,
    )
    return rows


@transaction.atomic
def lineage_remove(*, actor: User, lineage: KeyLineage) -> None:
    version = lock_draft(lineage.version)
    before = snapshot(lineage, ("kind", "element_type", "old_key", "new_key", "note"))
    lineage.delete()
    curation_record(
        actor=actor,
        action="key_lineage.remove",
        summary="Filiation de clés retirée",
        target=version,
        before=before,
        version=version,
    )


# --- assessments on an archived version ----------------------------------------------------


@dataclass
class MoveReport:
    version: GridVersion
    carried: int = 0
    dropped: list[Practice] = field(default_factory=list)


@transaction.atomic
def assessment_move_forward(*, user: User, assessment: Assessment) -> MoveReport:
    """Move a draft on an archived version to the current one.

    Answers whose practice key persists are carried over; the others are removed and listed.
    """
    assessment = (
        Assessment.objects.select_for_update().select_related("version").get(pk=assessment.pk)
    )
    if assessment.user_id != user.pk:
        raise Refused("Cette auto-évaluation n'est pas la vôtre.", code="not_your_assessment")
    if not assessment.is_draft:
        raise Refused(
            "Une auto-évaluation validée reste sur sa version.", code="assessment_submitted"
        )
    target = GridVersion.objects.current()
    if target is None or target.pk == assessment.version_id:
        raise Refused(
            "Cette auto-évaluation est déjà sur la version courante.", code="already_current"
        )
    by_key = {p.key: p for p in Practice.objects.filter(version=target)}
    answers = list(Answer.objects.filter(assessment=assessment).select_related("practice"))
    carried, dropped = [], []
    for answer in answers:
        new_practice = by_key.get(answer.practice.key)
        if new_practice is None:
            dropped.append(answer)
        else:
            answer.practice = new_practice
            carried.append(answer)
    Answer.objects.filter(pk__in=[a.pk for a in dropped]).delete()
    Answer.objects.bulk_update(carried, ["practice"])
    assessment.version = target
    assessment.save(update_fields=["version", "updated_at"])
    return MoveReport(
        version=target,
        carried=len(carried),
        dropped=sorted((a.practice for a in dropped), key=lambda p: code_sort_key(p.code)),
    )
