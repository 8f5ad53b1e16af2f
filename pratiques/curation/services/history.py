"""The history of the curation: snapshots of what changed, and one record per change."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict

from pratiques.models import (
    Axis,
    CurationEvent,
    GridVersion,
    KeyLineage,
    Practice,
    Resource,
    ResourceAttachment,
    ScaleStep,
    Situation,
)

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
    return TARGET_TYPES.get(type(obj), obj._meta.model_name or "")  # a concrete model has one


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
