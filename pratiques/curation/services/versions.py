"""Grid versions: copy a published one into a draft, edit its notes, delete, check, publish."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from config.refusals import Refused
from pratiques.curation.services.history import curation_record, snapshot
from pratiques.models import (
    Assessment,
    Axis,
    GridStatus,
    GridVersion,
    KeyLineage,
    Practice,
    ScaleStep,
    Situation,
)

# --- versions ------------------------------------------------------------------------------


def locked_error(version: GridVersion) -> Refused:
    return Refused(
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
        raise Refused(
            {"label": "Donnez un libellé à la nouvelle version (par ex. « 2025 »)."},
            code="label_missing",
        )
    slug = slugify(label)
    if not slug:
        raise Refused(
            {"label": "Le libellé doit contenir au moins une lettre ou un chiffre."},
            code="label_empty",
        )
    draft = GridVersion.objects.filter(status=GridStatus.DRAFT).first()
    if draft is not None:
        raise Refused(
            f"Un brouillon existe déjà (« {draft.label} ») : publiez-le ou supprimez-le avant "
            "d'en créer un autre.",
            code="draft_exists",
        )
    if GridVersion.objects.filter(models.Q(label=label) | models.Q(slug=slug)).exists():
        raise Refused({"label": f"Une version « {label} » existe déjà."}, code="label_taken")
    source = source or GridVersion.objects.current()
    if source is None:
        raise Refused("Aucune version publiée à copier.", code="no_published_version")
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
        raise Refused(
            "Des auto-évaluations utilisent ce brouillon : il ne peut pas être supprimé.",
            code="draft_in_use",
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
        raise Refused(errors, code="invalid_grid")
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
