"""Writes of the curation: grid versions (copy, edit, publish), lineage, reference lists,
resources, and carrying a draft assessment forward. Every admin change is recorded in the history.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.text import slugify

from pratiques.models import (
    Answer,
    Assessment,
    Axis,
    CurationEvent,
    ElementType,
    GridStatus,
    GridVersion,
    KeyLineage,
    LineageKind,
    Practice,
    Resource,
    ResourceAttachment,
    ScaleStep,
    Situation,
)
from territoires.models import SizeSegment

GridElement = Axis | Situation | Practice | ScaleStep

# The fields an admin may edit on each grid element (the parent is the « move » field).
EDITABLE_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Axis: ("title", "description", "lever"),
    Situation: ("title", "scope_note", "axis"),
    Practice: ("label", "situation"),
    ScaleStep: ("label", "description"),
}
TARGET_TYPES: dict[type[models.Model], str] = {
    GridVersion: "grid_version",
    Axis: "axis",
    Situation: "situation",
    Practice: "practice",
    ScaleStep: "scale_step",
    KeyLineage: "key_lineage",
    Resource: "resource",
    ResourceAttachment: "resource_attachment",
}


# --- history -------------------------------------------------------------------------------


def snapshot(obj: models.Model, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The object's editable fields as plain JSON values (UUIDs, dates as strings)."""
    data = model_to_dict(obj, fields=fields)
    if hasattr(obj, "key"):
        data["key"] = obj.key
    if hasattr(obj, "code") and "code" not in data:
        data["code"] = obj.code
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def target_type(obj: models.Model) -> str:
    return TARGET_TYPES.get(type(obj), obj._meta.model_name)


def curation_record(
    *,
    actor: User,
    action: str,
    summary: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    version: GridVersion | None = None,
) -> CurationEvent:
    return CurationEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor else "",
        action=action,
        summary=summary[:300],
        version=version,
        version_label=version.label if version else "",
        target_type=target_type(target),
        target_id=str(target.pk or ""),
        before=before,
        after=after,
    )


# --- versions ------------------------------------------------------------------------------


def locked_error(version: GridVersion) -> ValidationError:
    return ValidationError(
        f"La version « {version.label} » est {version.get_status_display().lower()} : "
        "elle ne peut plus changer. Corrigez-la dans une nouvelle version (copie de la version "
        "courante).",
        code="locked",
    )


def lock_draft(version: GridVersion) -> GridVersion:
    """The version row locked for this transaction; only a draft may change."""
    locked = GridVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != GridStatus.DRAFT:
        raise locked_error(locked)
    return locked


@transaction.atomic
def version_copy(
    *, actor: User, label: str, source: GridVersion | None = None, notes: str = ""
) -> GridVersion:
    """A new draft holding a copy of ``source`` (the current version by default), keys kept."""
    label = label.strip()
    if not label:
        raise ValidationError(
            {"label": "Donnez un libellé à la nouvelle version (par ex. « 2025 »)."}
        )
    slug = slugify(label)
    if not slug:
        raise ValidationError(
            {"label": "Le libellé doit contenir au moins une lettre ou un chiffre."}
        )
    draft = GridVersion.objects.filter(status=GridStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            f"Un brouillon existe déjà (« {draft.label} ») : publiez-le ou supprimez-le avant "
            "d'en créer un autre."
        )
    if GridVersion.objects.filter(models.Q(label=label) | models.Q(slug=slug)).exists():
        raise ValidationError({"label": f"Une version « {label} » existe déjà."})
    source = source or GridVersion.objects.current()
    if source is None:
        raise ValidationError("Aucune version publiée à copier.")
    version = GridVersion.objects.create(
        label=label,
        slug=slug,
        status=GridStatus.DRAFT,
        notes=notes or f"Brouillon copié de la version {source.label}.",
        scale_note=source.scale_note,
        source="",
    )
    axes = list(Axis.objects.filter(version=source).order_by("order", "code"))
    situations = list(Situation.objects.filter(version=source).order_by("order", "code"))
    practices = list(Practice.objects.filter(version=source).order_by("order", "code"))
    new_axes = {
        axis.pk: Axis(
            version=version,
            key=axis.key,
            code=axis.code,
            order=axis.order,
            title=axis.title,
            description=axis.description,
            lever=axis.lever,
        )
        for axis in axes
    }
    Axis.objects.bulk_create(new_axes.values())
    new_situations = {
        s.pk: Situation(
            version=version,
            key=s.key,
            code=s.code,
            order=s.order,
            axis=new_axes[s.axis_id],
            title=s.title,
            scope_note=s.scope_note,
        )
        for s in situations
    }
    Situation.objects.bulk_create(new_situations.values())
    Practice.objects.bulk_create(
        Practice(
            version=version,
            key=p.key,
            code=p.code,
            order=p.order,
            situation=new_situations[p.situation_id],
            label=p.label,
        )
        for p in practices
    )
    ScaleStep.objects.bulk_create(
        ScaleStep(
            version=version,
            scale=step.scale,
            value=step.value,
            label=step.label,
            description=step.description,
        )
        for step in ScaleStep.objects.filter(version=source)
    )
    curation_record(
        actor=actor,
        action="version.copy",
        summary=f"Brouillon « {label} » créé par copie de la version {source.label}",
        target=version,
        after={**snapshot(version, ("label", "slug", "notes")), "copied_from": source.label},
        version=version,
    )
    return version


@transaction.atomic
def version_update(*, actor: User, version: GridVersion, notes: str) -> GridVersion:
    version = lock_draft(version)
    before = snapshot(version, ("notes",))
    version.notes = notes
    version.save(update_fields=["notes"])
    curation_record(
        actor=actor,
        action="version.update",
        summary=f"Notes du brouillon « {version.label} » modifiées",
        target=version,
        before=before,
        after=snapshot(version, ("notes",)),
        version=version,
    )
    return version


@transaction.atomic
def version_delete(*, actor: User, version: GridVersion) -> None:
    version = lock_draft(version)
    if Assessment.objects.filter(version=version).exists():
        raise ValidationError(
            "Des auto-évaluations utilisent ce brouillon : il ne peut pas être supprimé."
        )
    curation_record(
        actor=actor,
        action="version.delete",
        summary=f"Brouillon « {version.label} » supprimé",
        target=version,
        before=snapshot(version, ("label", "slug", "notes")),
        version=None,
    )
    KeyLineage.objects.filter(version=version).delete()
    Practice.objects.filter(version=version).delete()
    Situation.objects.filter(version=version).delete()
    Axis.objects.filter(version=version).delete()
    ScaleStep.objects.filter(version=version).delete()
    version.delete()


def version_errors(version: GridVersion) -> list[str]:
    """Why the version cannot be published, one French sentence per problem (empty: it can)."""
    errors: list[str] = []
    axes = list(Axis.objects.filter(version=version).order_by("order", "code"))
    situations = list(Situation.objects.filter(version=version).order_by("order", "code"))
    practices = list(Practice.objects.filter(version=version).order_by("order", "code"))
    steps = list(ScaleStep.objects.filter(version=version).order_by("scale", "value"))
    if not axes:
        errors.append("La version n'a aucun axe.")

    def check_codes(kind: str, codes: list[str], expected: list[str]) -> None:
        seen: set[str] = set()
        for code in codes:
            if code in seen:
                errors.append(f"Le code {code} est utilisé par plusieurs {kind}.")
            seen.add(code)
        if sorted(codes, key=code_sort_key) != expected:
            errors.append(
                f"Les codes des {kind} ne se suivent pas : {', '.join(sorted(codes, key=code_sort_key))}"
                f" (attendu : {', '.join(expected)})."
            )

    situations_of: dict[int, list[Situation]] = {}
    for situation in situations:
        situations_of.setdefault(situation.axis_id, []).append(situation)
    practices_of: dict[int, list[Practice]] = {}
    for practice in practices:
        practices_of.setdefault(practice.situation_id, []).append(practice)

    check_codes("axes", [a.code for a in axes], [str(i) for i in range(1, len(axes) + 1)])
    check_codes(
        "situations", [s.code for s in situations], [str(i) for i in range(1, len(situations) + 1)]
    )
    for axis in axes:
        if not axis.title.strip():
            errors.append(f"L'axe {axis.code} n'a pas d'intitulé.")
        if not situations_of.get(axis.pk):
            errors.append(f"L'axe {axis.code} « {axis.title} » n'a aucune situation.")
    for situation in situations:
        if not situation.title.strip():
            errors.append(f"La situation {situation.code} n'a pas d'intitulé.")
        own = practices_of.get(situation.pk, [])
        if not own:
            errors.append(
                f"La situation {situation.code} « {situation.title} » n'a aucune pratique."
            )
            continue
        check_codes(
            f"pratiques de la situation {situation.code}",
            [p.code for p in own],
            [f"{situation.code}.{i}" for i in range(1, len(own) + 1)],
        )
    for practice in practices:
        if not practice.label.strip():
            errors.append(f"La pratique {practice.code} n'a pas de libellé.")
    for step in steps:
        if not step.label.strip():
            errors.append(
                f"L'échelon {step.value} de l'échelle « {step.get_scale_display()} » n'a pas de libellé."
            )
    if not steps:
        errors.append("La version n'a pas d'échelles de réponse.")
    return errors


def code_sort_key(code: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in code.split("."))
    except ValueError:
        return (10**6,)


@transaction.atomic
def version_publish(*, actor: User, version: GridVersion) -> GridVersion:
    """Validate the draft, archive the current version, publish the draft."""
    version = lock_draft(version)
    errors = version_errors(version)
    if errors:
        raise ValidationError(errors, code="invalid_grid")
    today = timezone.localdate()
    previous = GridVersion.objects.select_for_update().filter(status=GridStatus.PUBLISHED).first()
    if previous is not None:
        previous.status = GridStatus.ARCHIVED
        previous.archived_at = today
        previous.save(update_fields=["status", "archived_at"])
        curation_record(
            actor=actor,
            action="version.archive",
            summary=f"Version {previous.label} archivée (remplacée par {version.label})",
            target=previous,
            before={"status": GridStatus.PUBLISHED},
            after={"status": GridStatus.ARCHIVED, "archived_at": today.isoformat()},
            version=previous,
        )
    version.status = GridStatus.PUBLISHED
    version.published_at = today
    version.save(update_fields=["status", "published_at"])
    curation_record(
        actor=actor,
        action="version.publish",
        summary=f"Version {version.label} publiée : elle devient la version courante",
        target=version,
        before={"status": GridStatus.DRAFT},
        after={"status": GridStatus.PUBLISHED, "published_at": today.isoformat()},
        version=version,
    )
    return version


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
        model.objects.bulk_update([c[0] for c in changed], ["code"])
        for obj, code, order in changed:
            obj.code, obj.order = code, order
        model.objects.bulk_update([c[0] for c in changed], ["code", "order"])


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
        if name in ("axis", "situation"):
            if value.version_id != element.version_id:
                raise ValidationError({name: "Choisissez un élément de la même version."})
            if getattr(element, f"{name}_id") != value.pk:
                moved = True
                # A moved element goes to the end of its new parent.
                siblings = type(element).objects.filter(**{name: value})
                element.order = (siblings.aggregate(m=models.Max("order"))["m"] or 0) + 1
        setattr(element, name, value)
    element.full_clean(exclude=["version", "key", "code", "order"], validate_unique=False)
    element.save()
    if moved:
        renumber(element.version)
        element.refresh_from_db()
    after = snapshot(element, fields)
    if before != after:
        verb = "déplacé(e)" if moved else "modifié(e)"
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
    model: type[Axis | Situation | Practice] = {
        ElementType.AXIS: Axis,
        ElementType.SITUATION: Situation,
        ElementType.PRACTICE: Practice,
    }[ElementType(kind)]
    parent_field = {Situation: "axis", Practice: "situation"}.get(model)
    siblings = model.objects.filter(version=version)
    if parent_field:
        parent = fields[parent_field]
        if parent.version_id != version.pk:
            raise ValidationError({parent_field: "Choisissez un élément de la même version."})
        siblings = siblings.filter(**{parent_field: parent})
    element = model(
        version=version,
        key=uuid.uuid4(),
        code=f"~new-{uuid.uuid4().hex[:6]}",
        order=(siblings.aggregate(m=models.Max("order"))["m"] or 0) + 1,
        **fields,
    )
    element.full_clean(exclude=["version", "key", "code", "order"], validate_unique=False)
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
    model = type(element)
    siblings = model.objects.filter(version=version)
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
    model.objects.bulk_update(ordered, ["order"])
    renumber(version)
    element.refresh_from_db()
    curation_record(
        actor=actor,
        action=f"{target_type(element)}.reorder",
        summary=f"{capitalize(element_label(element))} déplacé(e) ({before_code} → {element.code})",
        target=element,
        before={"code": before_code},
        after={"code": element.code},
        version=version,
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
        raise ValidationError(
            "Une scission relie un élément d'origine à au moins deux nouveaux éléments."
        )
    if kind == LineageKind.MERGE and (len(new_keys) != 1 or len(old_keys) < 2):
        raise ValidationError(
            "Une fusion relie au moins deux éléments d'origine à un nouvel élément."
        )
    if set(old_keys) & set(new_keys):
        raise ValidationError("Un élément ne peut pas être à la fois l'origine et le résultat.")
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
        raise ValidationError("Cette auto-évaluation n'est pas la vôtre.")
    if not assessment.is_draft:
        raise ValidationError("Une auto-évaluation validée reste sur sa version.")
    target = GridVersion.objects.current()
    if target is None or target.pk == assessment.version_id:
        raise ValidationError("Cette auto-évaluation est déjà sur la version courante.")
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
            summary=f"{capitalize(str(item._meta.verbose_name))} « {item} » modifié(e)",
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
        raise ValidationError({"max_population": "Le dernier segment n'a pas de borne supérieure."})
    if following is not None:
        if max_population is None:
            raise ValidationError({"max_population": "Indiquez la borne supérieure (exclue)."})
        if max_population <= segment.min_population:
            raise ValidationError(
                {
                    "max_population": f"La borne doit dépasser {segment.min_population:,} habitants.".replace(
                        ",", " "
                    )
                }
            )
        if following.max_population is not None and max_population >= following.max_population:
            raise ValidationError(
                {
                    "max_population": f"La borne doit rester sous celle du segment suivant "
                    f"({following.max_population:,} habitants).".replace(",", " ")
                }
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


# --- resources -----------------------------------------------------------------------------

RESOURCE_FIELDS = ("title", "kind", "url", "description", "source", "note")


@transaction.atomic
def resource_save(*, actor: User, resource: Resource | None, data: dict[str, Any]) -> Resource:
    creating = resource is None or resource.pk is None
    resource = resource or Resource()
    before = None if creating else snapshot(resource, RESOURCE_FIELDS)
    for name in RESOURCE_FIELDS:
        if name in data:
            value = data[name]
            setattr(resource, name, value.strip() if isinstance(value, str) else value)
    resource.full_clean()
    resource.save()
    after = snapshot(resource, RESOURCE_FIELDS)
    if before != after:
        curation_record(
            actor=actor,
            action="resource.add" if creating else "resource.update",
            summary=f"Ressource « {resource.title} » {'ajoutée' if creating else 'modifiée'}",
            target=resource,
            before=before,
            after=after,
        )
    return resource


@transaction.atomic
def resource_delete(*, actor: User, resource: Resource) -> None:
    before = snapshot(resource, RESOURCE_FIELDS)
    before["practice_keys"] = [
        str(k) for k in resource.attachments.values_list("practice_key", flat=True)
    ]
    curation_record(
        actor=actor,
        action="resource.delete",
        summary=f"Ressource « {resource.title} » supprimée",
        target=resource,
        before=before,
    )
    resource.delete()


@transaction.atomic
def resource_attach(*, actor: User, resource: Resource, practice: Practice) -> ResourceAttachment:
    attachment, created = ResourceAttachment.objects.get_or_create(
        resource=resource, practice_key=practice.key, defaults={"created_by": actor}
    )
    if created:
        curation_record(
            actor=actor,
            action="resource_attachment.add",
            summary=f"Ressource « {resource.title} » rattachée à la pratique {practice.code} "
            f"« {practice.label} »",
            target=attachment,
            after={"resource": resource.pk, "practice_key": str(practice.key)},
        )
    return attachment


@transaction.atomic
def resource_detach(*, actor: User, attachment: ResourceAttachment, practice_label: str) -> None:
    curation_record(
        actor=actor,
        action="resource_attachment.remove",
        summary=f"Ressource « {attachment.resource.title} » détachée de {practice_label}",
        target=attachment,
        before={"resource": attachment.resource_id, "practice_key": str(attachment.practice_key)},
    )
    attachment.delete()
