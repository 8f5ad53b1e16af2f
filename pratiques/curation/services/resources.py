"""M.E.D.O.C. resources and their attachments to practices."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from config.refusals import full_clean_or_refuse
from pratiques.curation.services.history import curation_record, snapshot
from pratiques.models import (
    Practice,
    Resource,
    ResourceAttachment,
)

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
    full_clean_or_refuse(resource, code="invalid_resource")
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
