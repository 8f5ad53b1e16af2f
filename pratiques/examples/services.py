"""Writes on examples: save a draft, move it through its statuses (with history), convert the
M.E.D.O.C. resources of kind « Exemples »."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from config.refusals import Refused
from config.roles import Role, has_role
from pratiques.models import Example, ExampleEvent, ExampleStatus, Resource, ResourceKind
from territoires.models import Level, SizeSegment, Territory
from territoires.text import normalize

S = ExampleStatus
# Who may move an example from one status to another: the author (« auteur ») or an admin.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.PROPOSED): "auteur",
    (S.PROPOSED, S.DRAFT): "auteur",
    (S.DRAFT, S.PUBLISHED): "admin",
    (S.PROPOSED, S.PUBLISHED): "admin",
    (S.PUBLISHED, S.WITHDRAWN): "admin",
    (S.WITHDRAWN, S.PUBLISHED): "admin",
    (S.WITHDRAWN, S.DRAFT): "admin",
}


class ExampleRefused(Refused):
    default_code = "example_refused"


@dataclass
class ExampleData:
    title: str
    summary: str
    body: str = ""
    territories: list[Territory] = field(default_factory=list)
    actor_profiles: list[str] = field(default_factory=list)
    fragilities: list[str] = field(default_factory=list)
    practices: list[uuid.UUID] = field(default_factory=list)
    impact: str = ""
    year: int | None = None
    source: str = ""
    source_url: str = ""
    licence: str = ""


def derived_places(
    territories: list[Territory], segments: list[SizeSegment]
) -> tuple[list[str], list[str]]:
    """The size segments and régions (codes) of the territories concerned."""
    segment_codes: list[str] = []
    region_codes: list[str] = []
    for territory in territories:
        segment = territory.size_segment(segments)
        if segment is not None and segment.code not in segment_codes:
            segment_codes.append(segment.code)
        region = territory if territory.level == Level.REGION else territory.region
        if region is not None and region.code not in region_codes:
            region_codes.append(region.code)
    return segment_codes, region_codes


def search_text(title: str, summary: str, body: str) -> str:
    return normalize(f"{title} {summary} {body}")


def _fill(example: Example, data: ExampleData, segments: list[SizeSegment]) -> None:
    if not data.title.strip():
        raise ExampleRefused({"title": "Donnez un titre à l'exemple."}, code="no_title")
    if not data.summary.strip():
        raise ExampleRefused(
            {"summary": "Résumez l'exemple en quelques lignes."}, code="no_summary"
        )
    example.title = data.title.strip()[:250]
    example.summary = data.summary.strip()
    example.body = data.body.strip()
    example.actor_profiles = list(dict.fromkeys(data.actor_profiles))
    example.fragilities = list(dict.fromkeys(data.fragilities))
    example.practices = list(dict.fromkeys(data.practices))
    example.impact = data.impact
    example.year = data.year
    example.source = data.source.strip()[:300]
    example.source_url = data.source_url.strip()[:500]
    example.licence = data.licence.strip()[:120]
    example.segment_codes, example.region_codes = derived_places(data.territories, segments)
    example.search_text = search_text(example.title, example.summary, example.body)


def examples_changed() -> None:
    """After a write: the cached filter counts of the examples are stale. Bumped at once (the
    database cache is part of the transaction) and again after the commit (a reader between the
    two may have cached counts of the data as they were)."""

    def bump() -> None:
        from pratiques.examples.queries import GENERATION_KEY, generation

        generation()
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # evicted between the two calls
            generation()

    bump()
    transaction.on_commit(bump)


def _is_admin(user: User | None) -> bool:
    return user is not None and has_role(user, Role.NETWORK_ADMIN)


@transaction.atomic
def example_save(
    *,
    actor: User | None,
    data: ExampleData,
    example_id: int | None = None,
    status: str = S.DRAFT,
    is_demo: bool = False,
) -> Example:
    """Creates a draft (or, for an admin or an import, an example in ``status``), or updates one
    its author may still change (draft) or any one for an admin."""
    segments = list(SizeSegment.objects.all())
    if example_id is None:
        example = Example(created_by=actor, status=status, is_demo=is_demo)
        if status == S.PUBLISHED:
            example.published_at = timezone.now()
    else:
        example = Example.objects.select_for_update().get(pk=example_id)
        may_edit = _is_admin(actor) or (
            actor is not None and example.created_by_id == actor.pk and example.status == S.DRAFT
        )
        if not may_edit:
            raise ExampleRefused(
                "Seul un administrateur du réseau modifie un exemple proposé ou publié.",
                code="not_editable",
            )
    _fill(example, data, segments)
    example.save()
    example.territories.set(data.territories)
    if example_id is None:
        ExampleEvent.objects.create(example=example, to_status=example.status, actor=actor)
    examples_changed()
    return example


@transaction.atomic
def example_transition(*, actor: User, example_id: int, to_status: str, note: str = "") -> Example:
    example = Example.objects.select_for_update().filter(pk=example_id).first()
    if example is None:
        raise ExampleRefused("Exemple introuvable.", code="no_example")
    who = TRANSITIONS.get((example.status, to_status))
    if who is None:
        raise ExampleRefused(
            f"Un exemple « {example.get_status_display()} » ne peut pas passer à "
            f"« {ExampleStatus(to_status).label} ».",
            code="bad_transition",
        )
    is_author = example.created_by_id == actor.pk
    if not (_is_admin(actor) or (who == "auteur" and is_author)):
        raise ExampleRefused(
            "Seul un administrateur du réseau relit et publie les exemples.", code="not_allowed"
        )
    from_status = example.status
    example.status = to_status
    if to_status == S.PUBLISHED:
        example.published_at = timezone.now()
    example.save(update_fields=["status", "published_at", "updated_at"])
    ExampleEvent.objects.create(
        example=example, from_status=from_status, to_status=to_status, actor=actor, note=note[:300]
    )
    examples_changed()
    return example


def example_from_resource(resource: Resource) -> ExampleData:
    practices = list(resource.attachments.values_list("practice_key", flat=True))
    body = resource.description
    if resource.note:
        body += f"\n\nNote : {resource.note}"
    return ExampleData(
        title=resource.title,
        summary=resource.description or resource.title,
        body=body,
        practices=practices,
        source=resource.source,
        source_url=resource.url,
        licence="",
    )


@transaction.atomic
def examples_from_resources() -> int:
    """The M.E.D.O.C. resources of kind « Exemples » become published examples (idempotent: a
    resource whose title is already an example is skipped)."""
    existing = set(Example.objects.values_list("title", flat=True))
    count = 0
    for resource in Resource.objects.filter(kind=ResourceKind.EXAMPLES).order_by("pk"):
        if resource.title in existing:
            continue
        example = example_save(actor=None, data=example_from_resource(resource), status=S.PUBLISHED)
        ExampleEvent.objects.filter(example=example).update(
            note="Ressource M.E.D.O.C. « Exemples » reprise dans la base d'exemples"
        )
        count += 1
    return count
