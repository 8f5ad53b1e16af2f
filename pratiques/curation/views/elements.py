"""The editor of a draft: its tree of axes, situations, practices and scale steps, and
the element forms (edit, add, remove, move) that answer the whole tree to HTMX."""

from __future__ import annotations

from typing import Any, Literal, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget

from config.refusals import Refused
from config.types import AuthenticatedHttpRequest, HtmxHttpRequest
from pratiques import queries as grid_queries
from pratiques.curation import forms as cforms
from pratiques.curation import services
from pratiques.curation.views.common import admin_required, get_version, validation_messages
from pratiques.models import (
    Axis,
    ElementType,
    GridStatus,
    GridVersion,
    Lever,
    Practice,
    Scale,
    ScaleStep,
    Situation,
)

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


def editor_context(version: GridVersion, **extra: Any) -> dict[str, Any]:
    tree = grid_queries.grid_tree(version, with_empty_axes=True)
    return {
        "version": version,
        "editable": version.status == GridStatus.DRAFT,
        "lever_labels": dict(Lever.choices),
        "axes": tree.axes,
        "scales": [
            {"label": label, "steps": tree.steps.get(value, [])} for value, label in Scale.choices
        ],
        "counts": {
            "axes": len(tree.axes),
            "situations": len(tree.situations),
            "practices": len(tree.practices),
        },
        **extra,
    }


def tree_response(request: HtmxHttpRequest, version: GridVersion, anchor: str) -> HttpResponse:
    """After a change: the whole tree for HTMX (codes may have moved), else back to the editor."""
    if request.htmx:
        template = "pratiques/curation/version_detail.html"
        template += "#tree"
        response = render(request, template, editor_context(version))
        return reswap(retarget(response, "#grille"), "outerHTML")
    url = reverse("pratiques:curation:version", kwargs={"slug": version.slug})
    return redirect(f"{url}#{anchor}")


def locked_response(
    request: HtmxHttpRequest, version: GridVersion, error: ValidationError
) -> HttpResponse:
    if request.htmx:
        template = "pratiques/curation/version_detail.html"
        template += "#tree"
        response = render(
            request, template, editor_context(version, errors=validation_messages(error))
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
    template = "pratiques/curation/version_detail.html"
    if request.htmx:
        template += "#tree"
    return render(request, template, context)


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
        except Refused as error:
            return locked_response(request, version, error)
        return redirect("pratiques:curation:version", slug=version.slug)
    context = editor_context(version, notes_form=form, current=GridVersion.objects.current())
    return render(request, "pratiques/curation/version_detail.html", context, status=400)


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
        except Refused as error:
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
    template = "pratiques/curation/element_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context, status=400 if form.errors else 200)


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
        except Refused as error:
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
    template = "pratiques/curation/element_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context, status=400 if form.errors else 200)


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
        except Refused as error:
            return locked_response(request, version, error)
        return tree_response(request, version, "grille")
    context = {
        "version": version,
        "element": element,
        "kind": kind,
        "label": services.element_label(element),
    }
    template = "pratiques/curation/element_remove.html"
    return render(request, template, context)


@require_POST
@admin_required
def element_move(request: AuthenticatedHttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    version = get_version(slug)
    if kind not in ADDABLE:
        raise Http404("Type d'élément inconnu.")
    element = get_element(version, kind, pk)
    direction = request.POST.get("direction")
    if direction != "up" and direction != "down":
        messages.error(request, "Sens de déplacement inconnu.")
        return redirect("pratiques:curation:version", slug=version.slug)
    try:
        services.element_move(
            actor=request.user, element=element, direction=cast(Literal["up", "down"], direction)
        )
    except Refused as error:
        return locked_response(request, version, error)
    return tree_response(request, version, anchor_of(kind, pk))
