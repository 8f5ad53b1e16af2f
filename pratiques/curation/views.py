"""Pages of the network admins under /pratiques/administration/ (and the catalyst's offer to
move a draft to the current version). Every admin page: full page, or its fragment for HTMX.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from config.roles import Role, role_required
from config.spreadsheets import spreadsheet_row
from config.types import AuthenticatedHttpRequest, HtmxHttpRequest
from pratiques import disclosure
from pratiques.curation import forms as cforms
from pratiques.curation import queries, services
from pratiques.curation.diff import word_diff_sides
from pratiques.models import (
    Assessment,
    Axis,
    CurationEvent,
    ElementType,
    GridStatus,
    GridVersion,
    KeyLineage,
    Lever,
    Practice,
    Release,
    Resource,
    ResourceAttachment,
    ResourceKind,
    Scale,
    ScaleStep,
    Situation,
)
from territoires.models import (
    ActorProfile,
    Fragility,
    FragilityCriterion,
    MaturityProfile,
    SizeSegment,
)

admin_required = role_required(Role.NETWORK_ADMIN)

ELEMENT_MODELS: dict[str, type] = {
    "axe": Axis,
    "situation": Situation,
    "pratique": Practice,
    "echelon": ScaleStep,
}
ADDABLE: dict[str, ElementType] = {
    "axe": ElementType.AXIS,
    "situation": ElementType.SITUATION,
    "pratique": ElementType.PRACTICE,
}


def render_page(
    request: HtmxHttpRequest, template: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    return render(request, f"{template}#{fragment}" if request.htmx else template, context)


def add_service_errors(form: Any, error: ValidationError) -> None:
    """A service's ValidationError on the form: per field where the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def validation_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


def get_version(slug: str) -> GridVersion:
    return get_object_or_404(GridVersion, slug=slug)


# --- home ----------------------------------------------------------------------------------


@require_safe
@admin_required
def curation_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    versions = list(
        GridVersion.objects.annotate(n_assessments=Count("assessments")).order_by("-created_at")
    )
    context = {
        "versions": versions,
        "draft": next((v for v in versions if v.status == GridStatus.DRAFT), None),
        "current": next((v for v in versions if v.status == GridStatus.PUBLISHED), None),
        "form": cforms.VersionNewForm(),
        "recent": CurationEvent.objects.all()[:5],
    }
    return render_page(request, "pratiques/curation/home.html", "versions", context)


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def version_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = cforms.VersionNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_copy(
                actor=request.user,
                label=form.cleaned_data["label"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Brouillon « {version.label} » créé : modifiez-le ici.")
            url = reverse("pratiques:curation:version", kwargs={"slug": version.slug})
            if request.htmx:
                return HttpResponseClientRedirect(url)
            return redirect(url)
    return render_page(request, "pratiques/curation/version_new.html", "form", {"form": form})


# --- the editor ----------------------------------------------------------------------------


def grid_tree(version: GridVersion) -> dict[str, Any]:
    """Axes → situations → practices, and the scales, in four queries."""
    axes = list(Axis.objects.filter(version=version).order_by("order", "code"))
    situations = list(Situation.objects.filter(version=version).order_by("order", "code"))
    practices = list(Practice.objects.filter(version=version).order_by("order", "code"))
    steps = list(ScaleStep.objects.filter(version=version).order_by("scale", "value"))
    by_situation: dict[int, list[Practice]] = {}
    for practice in practices:
        by_situation.setdefault(practice.situation_id, []).append(practice)
    by_axis: dict[int, list[Situation]] = {}
    for situation in situations:
        situation.practice_list = by_situation.get(situation.pk, [])
        by_axis.setdefault(situation.axis_id, []).append(situation)
    for axis in axes:
        axis.situation_list = by_axis.get(axis.pk, [])
    scales = [
        {"label": label, "steps": [s for s in steps if s.scale == value]}
        for value, label in Scale.choices
    ]
    return {
        "axes": axes,
        "scales": scales,
        "counts": {"axes": len(axes), "situations": len(situations), "practices": len(practices)},
    }


def editor_context(version: GridVersion, **extra: Any) -> dict[str, Any]:
    return {
        "version": version,
        "editable": version.status == GridStatus.DRAFT,
        "lever_labels": dict(Lever.choices),
        **grid_tree(version),
        **extra,
    }


def tree_response(request: HtmxHttpRequest, version: GridVersion, anchor: str) -> HttpResponse:
    """After a change: the whole tree for HTMX (codes may have moved), else back to the editor."""
    if request.htmx:
        response = render(
            request, "pratiques/curation/version_detail.html#tree", editor_context(version)
        )
        return reswap(retarget(response, "#grille"), "outerHTML")
    url = reverse("pratiques:curation:version", kwargs={"slug": version.slug})
    return redirect(f"{url}#{anchor}")


def locked_response(
    request: HtmxHttpRequest, version: GridVersion, error: ValidationError
) -> HttpResponse:
    if request.htmx:
        response = render(
            request,
            "pratiques/curation/version_detail.html#tree",
            editor_context(version, errors=validation_messages(error)),
        )
        return reswap(retarget(response, "#grille"), "outerHTML")
    for message in validation_messages(error):
        messages.error(request, message)
    return redirect("pratiques:curation:version", slug=version.slug)


@require_safe
@admin_required
def version_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    version = get_version(slug)
    context = editor_context(
        version,
        notes_form=cforms.VersionNotesForm(instance=version),
        current=GridVersion.objects.current(),
    )
    return render_page(request, "pratiques/curation/version_detail.html", "tree", context)


@require_POST
@admin_required
def version_notes(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    version = get_version(slug)
    form = cforms.VersionNotesForm(request.POST, instance=GridVersion.objects.get(pk=version.pk))
    if form.is_valid():
        try:
            services.version_update(
                actor=request.user, version=version, notes=form.cleaned_data["notes"]
            )
        except ValidationError as error:
            return locked_response(request, version, error)
    return redirect("pratiques:curation:version", slug=version.slug)


def get_element(version: GridVersion, kind: str, pk: int) -> Any:
    model = ELEMENT_MODELS.get(kind)
    if model is None:
        raise Http404("Type d'élément inconnu.")
    return get_object_or_404(model, pk=pk, version=version)


def anchor_of(kind: str, pk: int | None) -> str:
    return f"{kind}-{pk}" if pk else "grille"


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def element_edit(request: AuthenticatedHttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    version = get_version(slug)
    element = get_element(version, kind, pk)
    if version.status != GridStatus.DRAFT:
        return locked_response(request, version, services.locked_error(version))
    # The form works on its own copy: the service must see the element as it was.
    form = cforms.element_form(
        kind, version, request.POST or None, instance=get_element(version, kind, pk)
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields}
        try:
            services.element_update(actor=request.user, element=element, changes=changes)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return tree_response(request, version, anchor_of(kind, pk))
    context = {
        "version": version,
        "form": form,
        "kind": kind,
        "element": element,
        "action": request.path,
        "title": f"Modifier {services.element_label(element)}",
    }
    return render_page(request, "pratiques/curation/element_form.html", "form", context)


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def element_add(request: AuthenticatedHttpRequest, slug: str, kind: str) -> HttpResponse:
    version = get_version(slug)
    if kind not in ADDABLE:
        raise Http404("Type d'élément inconnu.")
    if version.status != GridStatus.DRAFT:
        return locked_response(request, version, services.locked_error(version))
    initial: dict[str, Any] = {}
    parent = request.GET.get("parent")
    if parent and parent.isdigit():
        initial["axis" if kind == "situation" else "situation"] = int(parent)
    form = cforms.element_form(kind, version, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            element = services.element_add(
                actor=request.user,
                version=version,
                kind=ADDABLE[kind],
                fields=dict(form.cleaned_data),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return tree_response(request, version, anchor_of(kind, element.pk))
    labels = {"axe": "un axe", "situation": "une situation", "pratique": "une pratique"}
    context = {
        "version": version,
        "form": form,
        "kind": kind,
        "action": request.get_full_path(),
        "title": f"Ajouter {labels[kind]}",
    }
    return render_page(request, "pratiques/curation/element_form.html", "form", context)


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def element_remove(
    request: AuthenticatedHttpRequest, slug: str, kind: str, pk: int
) -> HttpResponse:
    version = get_version(slug)
    if kind not in ADDABLE:
        raise Http404("Type d'élément inconnu.")
    element = get_element(version, kind, pk)
    if version.status != GridStatus.DRAFT:
        return locked_response(request, version, services.locked_error(version))
    if request.method == "POST":
        try:
            services.element_remove(actor=request.user, element=element)
        except ValidationError as error:
            return locked_response(request, version, error)
        return tree_response(request, version, "grille")
    context = {
        "version": version,
        "element": element,
        "kind": kind,
        "label": services.element_label(element),
    }
    return render_page(request, "pratiques/curation/element_remove.html", "confirm", context)


@require_POST
@admin_required
def element_move(request: AuthenticatedHttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    version = get_version(slug)
    if kind not in ADDABLE:
        raise Http404("Type d'élément inconnu.")
    element = get_element(version, kind, pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Sens de déplacement inconnu.")
        return redirect("pratiques:curation:version", slug=version.slug)
    try:
        services.element_move(actor=request.user, element=element, direction=direction)
    except ValidationError as error:
        return locked_response(request, version, error)
    return tree_response(request, version, anchor_of(kind, pk))


# --- publish, delete, lineage --------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def version_publish(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    version = get_version(slug)
    current = GridVersion.objects.current()
    errors: list[str] = []
    if version.status != GridStatus.DRAFT:
        errors = validation_messages(services.locked_error(version))
    elif request.method == "POST":
        try:
            services.version_publish(actor=request.user, version=version)
        except ValidationError as error:
            errors = validation_messages(error)
        else:
            messages.success(
                request, f"Version {version.label} publiée : c'est désormais la version courante."
            )
            url = reverse("pratiques:curation:version", kwargs={"slug": version.slug})
            if request.htmx:
                return HttpResponseClientRedirect(url)
            return redirect(url)
    else:
        errors = services.version_errors(version)
    effects = None
    if current is not None and version.status == GridStatus.DRAFT and not errors:
        effects = queries.publication_effects(current, version)
    context = {"version": version, "current": current, "errors": errors, "effects": effects}
    return render_page(request, "pratiques/curation/version_publish.html", "check", context)


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def version_delete(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    version = get_version(slug)
    error_messages: list[str] = []
    if request.method == "POST":
        try:
            services.version_delete(actor=request.user, version=version)
        except ValidationError as error:
            error_messages = validation_messages(error)
        else:
            messages.success(request, f"Brouillon « {version.label} » supprimé.")
            return redirect("pratiques:curation:home")
    context = {"version": version, "errors": error_messages}
    return render_page(request, "pratiques/curation/version_delete.html", "confirm", context)


def lineage_context(version: GridVersion, form: cforms.LineageForm) -> dict[str, Any]:
    keys = {}
    for model in (Situation, Practice):
        for element in model.objects.filter(
            key__in=KeyLineage.objects.filter(version=version).values("old_key")
        ).union(
            model.objects.filter(
                key__in=KeyLineage.objects.filter(version=version).values("new_key")
            )
        ):
            keys.setdefault(element.key, element)
    rows = [
        {"row": row, "old": keys.get(row.old_key), "new": keys.get(row.new_key)}
        for row in KeyLineage.objects.filter(version=version).order_by("recorded_at", "pk")
    ]
    return {
        "version": version,
        "form": form,
        "rows": rows,
        "editable": version.status == GridStatus.DRAFT,
    }


def previous_version(version: GridVersion) -> GridVersion | None:
    """The version a draft was copied from: the current one (or the latest before it)."""
    return (
        GridVersion.objects.exclude(pk=version.pk)
        .exclude(status=GridStatus.DRAFT)
        .order_by("-published_at", "-created_at")
        .first()
    )


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def lineage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    version = get_version(slug)
    form = cforms.LineageForm(
        request.POST or None, version=version, previous=previous_version(version)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.lineage_record(
                actor=request.user,
                version=version,
                element_type=form.cleaned_data["element_type"],
                kind=form.cleaned_data["kind"],
                old_keys=form.cleaned_data["old_keys"],
                new_keys=form.cleaned_data["new_keys"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Filiation enregistrée.")
            if not request.htmx:
                return redirect("pratiques:curation:lineage", slug=version.slug)
            form = cforms.LineageForm(version=version, previous=previous_version(version))
    return render_page(
        request, "pratiques/curation/lineage.html", "lineage", lineage_context(version, form)
    )


@require_POST
@admin_required
def lineage_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    version = get_version(slug)
    row = get_object_or_404(KeyLineage, pk=pk, version=version)
    try:
        services.lineage_remove(actor=request.user, lineage=row)
    except ValidationError as error:
        for message in validation_messages(error):
            messages.error(request, message)
    return redirect("pratiques:curation:lineage", slug=version.slug)


# --- comparison ----------------------------------------------------------------------------


@require_safe
@admin_required
def compare(request: AuthenticatedHttpRequest) -> HttpResponse:
    versions = list(GridVersion.objects.order_by("created_at", "pk"))
    data: QueryDict | dict[str, str] | None = (
        request.GET if "de" in request.GET or "a" in request.GET else None
    )
    if data is None and len(versions) >= 2:
        current = next((v for v in versions if v.status == GridStatus.PUBLISHED), versions[-1])
        before = [v for v in versions if v.pk != current.pk and v.created_at <= current.created_at]
        draft = next((v for v in versions if v.status == GridStatus.DRAFT), None)
        old, new = (current, draft) if draft else ((before or versions)[-1], current)
        data = {"de": old.slug, "a": new.slug}
    form = cforms.CompareForm(data)
    for name in ("de", "a"):
        field = cast(forms.ModelChoiceField, form.fields[name])
        field.queryset = GridVersion.objects.order_by("created_at")
    comparison = None
    if data is not None and form.is_valid():
        comparison = queries.version_comparison(form.cleaned_data["de"], form.cleaned_data["a"])
    context = {"form": form, "comparison": comparison, "kinds": list(ElementType)}
    return render_page(request, "pratiques/curation/compare.html", "comparison", context)


# --- history -------------------------------------------------------------------------------


def event_rows(events: list[CurationEvent]) -> list[dict[str, Any]]:
    rows = []
    for event in events:
        fields = []
        for name, before, after in event.changed_fields():
            html = None
            if isinstance(before, str) and isinstance(after, str):
                html = word_diff_sides(before, after)
            fields.append(
                {
                    "name": name,
                    "before": json.dumps(before, ensure_ascii=False)
                    if not isinstance(before, str)
                    else before,
                    "after": json.dumps(after, ensure_ascii=False)
                    if not isinstance(after, str)
                    else after,
                    "html": html,
                }
            )
        rows.append({"event": event, "fields": fields})
    return rows


@require_safe
@admin_required
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    events = CurationEvent.objects.order_by("-at", "-id")
    version_slug = request.GET.get("version", "")
    if version_slug:
        events = events.filter(version__slug=version_slug)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": event_rows(list(page.object_list)),
        "versions": GridVersion.objects.order_by("-created_at"),
        "version_slug": version_slug,
    }
    return render_page(request, "pratiques/curation/history.html", "events", context)


# --- reference lists -----------------------------------------------------------------------


def reference_context() -> dict[str, Any]:
    return {
        "maturity_profiles": MaturityProfile.objects.order_by("rank"),
        "criteria": FragilityCriterion.objects.order_by("order"),
        "fragilities": Fragility.objects.select_related("criterion").order_by("order"),
        "segments": SizeSegment.objects.order_by("min_population"),
        "actor_profiles": ActorProfile.objects.order_by("order"),
    }


@require_safe
@admin_required
def reference_lists(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render_page(
        request, "pratiques/curation/reference_lists.html", "lists", reference_context()
    )


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def reference_edit(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in cforms.REFERENCE_FORMS:
        raise Http404("Liste inconnue.")
    model, form_class = cforms.REFERENCE_FORMS[kind]
    item = get_object_or_404(model, pk=pk)
    form = form_class(request.POST or None, instance=model.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            if kind == "segment":
                services.size_segment_update(actor=request.user, segment=item, **form.cleaned_data)
            else:
                services.reference_item_update(
                    actor=request.user, item=item, changes=dict(form.cleaned_data)
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                response = render(
                    request, "pratiques/curation/reference_lists.html#lists", reference_context()
                )
                return reswap(retarget(response, "#listes"), "outerHTML")
            messages.success(request, f"« {form.instance} » enregistré.")
            return redirect(reverse("pratiques:curation:reference_lists") + f"#{kind}-{pk}")
    context = {
        "form": form,
        "item": item,
        "kind": kind,
        "action": request.path,
        "title": f"Modifier « {item} » ({model._meta.verbose_name})",
    }
    return render_page(request, "pratiques/curation/reference_form.html", "form", context)


# --- resources -----------------------------------------------------------------------------


def resources_context(version: GridVersion | None) -> dict[str, Any]:
    resources = list(Resource.objects.order_by("kind", "title"))
    attachments = list(ResourceAttachment.objects.order_by("created_at"))
    practices = (
        {p.key: p for p in Practice.objects.filter(version=version).select_related("situation")}
        if version
        else {}
    )
    by_resource: dict[int, list[dict[str, Any]]] = {}
    for attachment in attachments:
        by_resource.setdefault(attachment.resource_id, []).append(
            {"attachment": attachment, "practice": practices.get(attachment.practice_key)}
        )
    groups = []
    for value, label in ResourceKind.choices:
        items = [r for r in resources if r.kind == value]
        for resource in items:
            resource.attachment_rows = by_resource.get(resource.pk, [])
        groups.append({"kind": value, "label": label, "resources": items})
    return {
        "groups": groups,
        "version": version,
        "attach_form": cforms.AttachForm(version=version),
        "count": len(resources),
    }


@require_safe
@admin_required
def resource_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render_page(
        request,
        "pratiques/curation/resources.html",
        "library",
        resources_context(GridVersion.objects.current()),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def resource_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    resource = get_object_or_404(Resource, pk=pk) if pk else None
    # The form works on its own copy: the service must see the resource as it was.
    form = cforms.ResourceForm(
        request.POST or None, instance=Resource.objects.get(pk=pk) if pk else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.resource_save(
                actor=request.user, resource=resource, data=dict(form.cleaned_data)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Ressource « {saved.title} » enregistrée.")
            return redirect(reverse("pratiques:curation:resources") + f"#ressource-{saved.pk}")
    context = {"form": form, "resource": resource, "action": request.path}
    return render_page(request, "pratiques/curation/resource_form.html", "form", context)


@require_POST
@admin_required
def resource_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource, pk=pk)
    services.resource_delete(actor=request.user, resource=resource)
    messages.success(request, f"Ressource « {resource.title} » supprimée.")
    return redirect("pratiques:curation:resources")


def library_response(request: HtmxHttpRequest, anchor: str) -> HttpResponse:
    if request.htmx:
        response = render(
            request,
            "pratiques/curation/resources.html#library",
            resources_context(GridVersion.objects.current()),
        )
        return reswap(retarget(response, "#bibliotheque"), "outerHTML")
    return redirect(reverse("pratiques:curation:resources") + f"#{anchor}")


@require_POST
@admin_required
def resource_attach(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource, pk=pk)
    form = cforms.AttachForm(request.POST, version=GridVersion.objects.current())
    if form.is_valid():
        services.resource_attach(
            actor=request.user, resource=resource, practice=form.cleaned_data["practice"]
        )
    elif not request.htmx:
        messages.error(request, "Choisissez une pratique de la version courante.")
    return library_response(request, f"ressource-{resource.pk}")


@require_POST
@admin_required
def resource_detach(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(ResourceAttachment.objects.select_related("resource"), pk=pk)
    practice = (
        Practice.objects.filter(key=attachment.practice_key)
        .order_by("-version__created_at")
        .first()
    )
    label = f"la pratique {practice.code} « {practice.label} »" if practice else "une pratique"
    services.resource_detach(actor=request.user, attachment=attachment, practice_label=label)
    return library_response(request, f"ressource-{attachment.resource_id}")


# --- analytics and exports -----------------------------------------------------------------


@require_safe
@admin_required
def analytics(request: AuthenticatedHttpRequest) -> HttpResponse:
    version = GridVersion.objects.current()
    if version is None:
        raise Http404("Aucune version publiée.")
    total, distributions = queries.practice_distributions(version)
    steps = {
        scale: list(ScaleStep.objects.filter(version=version, scale=scale).order_by("value"))
        for scale in (Scale.FREQUENCY,)
    }
    frequency_steps = steps[Scale.FREQUENCY]
    # Disclosure policy: no count between 1 and k - 1, even for the network's admins.
    small = disclosure.small_cell
    for distribution in distributions:
        distribution.frequency_cells = [
            small(distribution.frequency.get(step.value, 0)) for step in frequency_steps
        ]
        distribution.shown = {
            "not_concerned": small(distribution.not_concerned),
            "unanswered": small(distribution.unanswered),
            "to_develop": small(distribution.to_develop),
        }

    def plotted(value: int) -> int | None:
        return value if not 0 < value < disclosure.threshold() else None

    chart = {
        "practices": [f"{d.practice.code} {d.practice.label}" for d in distributions],
        "series": [
            {
                "name": step.label,
                "values": [plotted(d.frequency.get(step.value, 0)) for d in distributions],
            }
            for step in frequency_steps
        ]
        + [
            {"name": "Non concerné·e", "values": [plotted(d.not_concerned) for d in distributions]},
            {"name": "Pas de réponse", "values": [plotted(d.unanswered) for d in distributions]},
        ],
        "to_develop": [plotted(d.to_develop) for d in distributions],
    }
    context = {
        "version": version,
        "total": total,
        "distributions": distributions,
        "frequency_steps": frequency_steps,
        "chart": chart,
        "threshold_ok": total >= disclosure.threshold(),
        "threshold": disclosure.threshold(),
        "release": Release.objects.order_by("-released_at", "-pk").first(),
        "cadence": disclosure.RELEASE_CADENCE,
    }
    return render_page(request, "pratiques/curation/analytics.html", "analytics", context)


@require_POST
@admin_required
def release_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new dated release of the public practice aggregates, computed by the task worker."""
    from pratiques.tasks import release_aggregates_task

    release_aggregates_task.enqueue(f"administration ({request.user.get_username()})")
    messages.success(
        request,
        "Nouvelle diffusion demandée : les agrégats publics seront recalculés par le service de "
        "tâches de fond dans quelques instants.",
    )
    return redirect("pratiques:curation:analytics")


class Echo:
    def write(self, value: str) -> str:
        return value


def export_filename(extension: str) -> str:
    return f"reponses-anonymisees-{timezone.localdate():%Y-%m-%d}.{extension}"


@require_safe
@admin_required
def export_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    writer = csv.writer(Echo(), delimiter=";")

    def lines() -> Any:
        yield "\ufeff" + writer.writerow(queries.EXPORT_COLUMNS)
        for row in queries.export_rows():
            yield writer.writerow(spreadsheet_row(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename("csv")}"'
    return response


XLSX_ROWS_PER_SHEET = 1_000_000


@require_safe
@admin_required
def export_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet, rows_in_sheet, sheets = None, XLSX_ROWS_PER_SHEET, 0
    for row in queries.export_rows():
        if rows_in_sheet >= XLSX_ROWS_PER_SHEET:
            # A sheet holds at most 1 048 576 rows: the network's answers may need several.
            sheets += 1
            sheet = workbook.create_sheet("reponses" if sheets == 1 else f"reponses-{sheets}")
            sheet.append(queries.EXPORT_COLUMNS)
            rows_in_sheet = 0
        sheet.append(spreadsheet_row(row))
        rows_in_sheet += 1
    if sheet is None:
        workbook.create_sheet("reponses").append(queries.EXPORT_COLUMNS)
    about = workbook.create_sheet("a-propos")
    about.append(
        [
            "Réponses anonymisées des auto-évaluations validées dont les auteur·rices ont accepté qu'elles alimentent les statistiques."
        ]
    )
    about.append(
        [
            "Ni nom, ni identifiant de compte, ni organisation : un pseudonyme aléatoire et stable par auto-évaluation."
        ]
    )
    about.append([f"Export du {timezone.localdate():%d/%m/%Y}."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename("xlsx")}"'
    return response


# --- catalyst: move a draft to the current version -----------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CATALYST)
def assessment_move_forward(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(
        Assessment.objects.select_related("version"), pk=pk, user=request.user
    )
    current = GridVersion.objects.current()
    if not assessment.is_draft or current is None or assessment.version_id == current.pk:
        return redirect(assessment)
    if request.method == "POST":
        try:
            report = services.assessment_move_forward(user=request.user, assessment=assessment)
        except ValidationError as error:
            for message in validation_messages(error):
                messages.error(request, message)
            return redirect("pratiques:home")
        text = f"Votre auto-évaluation est passée sur la grille {report.version.label} : {report.carried} réponse(s) reprise(s)."
        if report.dropped:
            text += (
                " Réponses non reprises (pratiques qui n'existent plus) : "
                + " ; ".join(f"{p.code} {p.label}" for p in report.dropped)
                + "."
            )
        messages.success(request, text)
        return redirect(assessment)
    current_keys = set(Practice.objects.filter(version=current).values_list("key", flat=True))
    answers = list(
        assessment.answers.select_related("practice").order_by(
            "practice__situation__order", "practice__order"
        )
    )
    context = {
        "assessment": assessment,
        "current": current,
        "carried": [a for a in answers if a.practice.key in current_keys],
        "dropped": [a.practice for a in answers if a.practice.key not in current_keys],
        "new_count": len(current_keys) - sum(1 for a in answers if a.practice.key in current_keys),
    }
    return render_page(request, "pratiques/curation/move_forward.html", "offer", context)
