"""Elements of a draft: update, add, remove and move axes, situations, practices."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from django.contrib.auth.models import User
from django.db import models, transaction

from config.refusals import Refused, full_clean_or_refuse
from pratiques.curation.services.history import (
    EDITABLE_FIELDS,
    GridElement,
    curation_record,
    snapshot,
    target_type,
)
from pratiques.curation.services.versions import code_sort_key, lock_draft
from pratiques.models import (
    Axis,
    CurationEvent,
    ElementType,
    GridVersion,
    Practice,
    ScaleStep,
    Situation,
)

# --- elements of a draft -------------------------------------------------------------------


def renumber(version: GridVersion) -> None:
    """Codes follow the order: axes 1…n, situations 1…m across axes, practices « s.1 »…"""
    axes = list(Axis.objects.filter(version=version).order_by("order", "code", "pk"))
    situations = list(Situation.objects.filter(version=version).order_by("order", "code", "pk"))
    practices = list(Practice.objects.filter(version=version).order_by("order", "code", "pk"))
    axis_rank = {axis.pk: i for i, axis in enumerate(axes)}
    situations.sort(key=lambda s: (axis_rank[s.axis_id], s.order, code_sort_key(s.code), s.pk))
    situation_rank = {s.pk: i for i, s in enumerate(situations)}
    practices.sort(
        key=lambda p: (situation_rank[p.situation_id], p.order, code_sort_key(p.code), p.pk)
    )
    wanted: list[tuple[models.Model, str, int]] = []
    wanted += [(axis, str(i), i) for i, axis in enumerate(axes, 1)]
    wanted += [(s, str(i), i) for i, s in enumerate(situations, 1)]
    codes = {s.pk: str(i) for i, s in enumerate(situations, 1)}
    position: dict[int, int] = {}
    for practice in practices:
        position[practice.situation_id] = position.get(practice.situation_id, 0) + 1
        n = position[practice.situation_id]
        wanted.append((practice, f"{codes[practice.situation_id]}.{n}", n))
    for model in (Axis, Situation, Practice):
        changed = [
            (obj, code, order)
            for obj, code, order in wanted
            if type(obj) is model and (obj.code != code or obj.order != order)
        ]
        if not changed:
            continue
        # Two passes: (version, code) is unique, and two elements may swap their codes.
        for obj, _code, _order in changed:
            obj.code = f"~{obj.pk}"
        manager: models.Manager[Any] = model.objects  # of whichever of the three models
        manager.bulk_update([c[0] for c in changed], ["code"])
        for obj, code, order in changed:
            obj.code, obj.order = code, order
        manager.bulk_update([c[0] for c in changed], ["code", "order"])


def element_label(element: models.Model) -> str:
    if isinstance(element, Axis):
        return f"l'axe {element.code} « {element.title} »"
    if isinstance(element, Situation):
        return f"la situation {element.code} « {element.title} »"
    if isinstance(element, Practice):
        return f"la pratique {element.code} « {element.label} »"
    if isinstance(element, ScaleStep):
        return f"l'échelon « {element.label} » ({element.get_scale_display()})"
    return str(element)


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


@transaction.atomic
def element_update(*, actor: User, element: GridElement, changes: dict[str, Any]) -> GridElement:
    """Reword or move one element of a draft."""
    lock_draft(element.version)
    fields = EDITABLE_FIELDS[type(element)]
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValueError(f"Champs non modifiables : {sorted(unknown)}")
    before = snapshot(element, fields)
    label_before = element_label(element)
    moved = False
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        if name in ("axis", "situation") and isinstance(element, Situation | Practice):
            if value.version_id != element.version_id:
                raise Refused(
                    {name: "Choisissez un élément de la même version."}, code="other_version"
                )
            if getattr(element, f"{name}_id") != value.pk:
                moved = True
                # A moved element goes to the end of its new parent.
                siblings = type(element).objects.filter(**{name: value})
                element.order = (siblings.aggregate(m=models.Max("order"))["m"] or 0) + 1
        setattr(element, name, value)
    full_clean_or_refuse(
        element,
        code="invalid_element",
        exclude=["version", "key", "code", "order"],
        validate_unique=False,
    )
    element.save()
    if moved:
        renumber(element.version)
        element.refresh_from_db()
    after = snapshot(element, fields)
    if before != after:
        verb = "déplacé·e" if moved else "modifié·e"
        curation_record(
            actor=actor,
            action=f"{target_type(element)}.{'move' if moved else 'update'}",
            summary=f"{capitalize(label_before)} {verb} → {element_label(element)}",
            target=element,
            before=before,
            after=after,
            version=element.version,
        )
    return element


@transaction.atomic
def element_add(
    *, actor: User, version: GridVersion, kind: ElementType, fields: dict[str, Any]
) -> GridElement:
    """A new axis, situation or practice at the end of its parent, with a new key."""
    version = lock_draft(version)
    fields = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    models_by_kind: dict[ElementType, type[Axis | Situation | Practice]] = {
        ElementType.AXIS: Axis,
        ElementType.SITUATION: Situation,
        ElementType.PRACTICE: Practice,
    }
    model = models_by_kind[ElementType(kind)]
    parent_field = {Situation: "axis", Practice: "situation"}.get(model)
    siblings = model.objects.filter(version=version)
    if parent_field:
        parent = fields[parent_field]
        if parent.version_id != version.pk:
            raise Refused(
                {parent_field: "Choisissez un élément de la même version."}, code="other_version"
            )
        siblings = siblings.filter(**{parent_field: parent})
    element = model(
        version=version,
        key=uuid.uuid4(),
        code=f"~new-{uuid.uuid4().hex[:6]}",
        order=(siblings.aggregate(m=models.Max("order"))["m"] or 0) + 1,
        **fields,
    )
    full_clean_or_refuse(
        element,
        code="invalid_element",
        exclude=["version", "key", "code", "order"],
        validate_unique=False,
    )
    element.save()
    renumber(version)
    element.refresh_from_db()
    curation_record(
        actor=actor,
        action=f"{target_type(element)}.add",
        summary=f"{capitalize(element_label(element))} ajouté(e)",
        target=element,
        after=snapshot(element, EDITABLE_FIELDS[model]),
        version=version,
    )
    return element


@transaction.atomic
def element_remove(*, actor: User, element: Axis | Situation | Practice) -> None:
    """Remove an element of a draft (with what it contains)."""
    version = lock_draft(element.version)
    before = snapshot(element, EDITABLE_FIELDS[type(element)])
    if isinstance(element, Axis):
        before["situations"] = list(
            Situation.objects.filter(axis=element).values_list("title", flat=True)
        )
        Practice.objects.filter(situation__axis=element).delete()
        Situation.objects.filter(axis=element).delete()
    elif isinstance(element, Situation):
        before["practices"] = list(
            Practice.objects.filter(situation=element).values_list("label", flat=True)
        )
        Practice.objects.filter(situation=element).delete()
    label = element_label(element)
    event_target_type, event_id = target_type(element), str(element.pk)
    element.delete()
    renumber(version)
    event = curation_record(
        actor=actor,
        action=f"{event_target_type}.remove",
        summary=f"{capitalize(label)} retiré(e)",
        target=version,
        before=before,
        version=version,
    )
    CurationEvent.objects.filter(pk=event.pk).update(
        target_type=event_target_type, target_id=event_id
    )


@transaction.atomic
def element_move(
    *, actor: User, element: Axis | Situation | Practice, direction: Literal["up", "down"]
) -> None:
    """Swap an element with its previous or next sibling."""
    version = lock_draft(element.version)
    manager: models.Manager[Any] = type(element).objects  # of whichever of the three models
    siblings = manager.filter(version=version)
    if isinstance(element, Situation):
        siblings = siblings.filter(axis_id=element.axis_id)
    elif isinstance(element, Practice):
        siblings = siblings.filter(situation_id=element.situation_id)
    ordered = list(siblings.order_by("order", "code", "pk"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == element.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return
    before_code = element.code
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, sibling in enumerate(ordered, 1):
        sibling.order = position
    manager.bulk_update(ordered, ["order"])
    renumber(version)
    element.refresh_from_db()
    curation_record(
        actor=actor,
        action=f"{target_type(element)}.reorder",
        summary=f"{capitalize(element_label(element))} déplacé·e ({before_code} → {element.code})",
        target=element,
        before={"code": before_code},
        after={"code": element.code},
        version=version,
    )
