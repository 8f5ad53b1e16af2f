"""The M.E.D.O.C. library: resources and their attachments to practices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget

from config.refusals import Refused
from config.types import AuthenticatedHttpRequest, HtmxHttpRequest
from pratiques.curation import forms as cforms
from pratiques.curation import services
from pratiques.curation.views.common import admin_required
from pratiques.models import GridVersion, Practice, Resource, ResourceAttachment, ResourceKind


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
        # Each resource beside its attachments (a pair: nothing is stuck on the model instance).
        items = [(r, by_resource.get(r.pk, [])) for r in resources if r.kind == value]
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
    template = "pratiques/curation/resources.html"
    return render(request, template, resources_context(GridVersion.objects.current()))


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
        except Refused as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Ressource « {saved.title} » enregistrée.")
            return redirect(reverse("pratiques:curation:resources") + f"#ressource-{saved.pk}")
    context = {"form": form, "resource": resource, "action": request.path}
    template = "pratiques/curation/resource_form.html"
    return render(request, template, context, status=400 if form.errors else 200)


@require_POST
@admin_required
def resource_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource, pk=pk)
    services.resource_delete(actor=request.user, resource=resource)
    messages.success(request, f"Ressource « {resource.title} » supprimée.")
    return redirect("pratiques:curation:resources")


def library_response(request: HtmxHttpRequest, anchor: str) -> HttpResponse:
    if request.htmx:
        template = "pratiques/curation/resources.html"
        template += "#library"
        response = render(request, template, resources_context(GridVersion.objects.current()))
        return reswap(retarget(response, "#bibliotheque"), "outerHTML")
    return redirect(reverse("pratiques:curation:resources") + f"#{anchor}")


@require_POST
@admin_required
def resource_attach(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource, pk=pk)
    version = GridVersion.objects.current()
    form = cforms.AttachForm(request.POST, version=version)
    if not form.is_valid():
        context = resources_context(version)
        context["attach_error_for"] = resource.pk
        context["attach_error"] = "Choisissez une pratique de la version courante."
        if request.htmx:
            template = "pratiques/curation/resources.html"
            template += "#library"
            response = render(request, template, context, status=400)
            return reswap(retarget(response, "#bibliotheque"), "outerHTML")
        # Without JavaScript the page opens at its top: say there which resource is concerned.
        messages.error(
            request, f"« {resource.title} » : choisissez une pratique de la version courante."
        )
        return render(request, "pratiques/curation/resources.html", context, status=400)
    services.resource_attach(
        actor=request.user, resource=resource, practice=form.cleaned_data["practice"]
    )
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
