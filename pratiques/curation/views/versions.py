"""The curation home, a new draft, publishing or deleting a version, comparing two versions
and the history of every change."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import HttpResponseClientRedirect

from config.refusals import Refused
from config.types import AuthenticatedHttpRequest
from pratiques.curation import forms as cforms
from pratiques.curation import queries, services
from pratiques.curation.diff import word_diff_sides
from pratiques.curation.views.common import (
    add_service_errors,
    admin_required,
    get_version,
    validation_messages,
)
from pratiques.models import CurationEvent, ElementType, GridStatus, GridVersion


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
    template = "pratiques/curation/home.html"
    return render(request, template, context)


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
        except Refused as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Brouillon « {version.label} » créé : modifiez-le ici.")
            url = reverse("pratiques:curation:version", kwargs={"slug": version.slug})
            if request.htmx:
                return HttpResponseClientRedirect(url)
            return redirect(url)
    template = "pratiques/curation/version_new.html"
    if request.htmx:
        template += "#form"
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


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
        except Refused as error:
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
    effects = reach = None
    if current is not None and version.status == GridStatus.DRAFT and not errors:
        effects = queries.publication_effects(current, version)
        reach = queries.publication_reach(current)
    context = {
        "version": version,
        "current": current,
        "errors": errors,
        "effects": effects,
        "reach": reach,
    }
    template = "pratiques/curation/version_publish.html"
    if request.htmx:
        template += "#check"
    return render(request, template, context)


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def version_delete(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    version = get_version(slug)
    error_messages: list[str] = []
    if request.method == "POST":
        try:
            services.version_delete(actor=request.user, version=version)
        except Refused as error:
            error_messages = validation_messages(error)
        else:
            messages.success(request, f"Brouillon « {version.label} » supprimé.")
            return redirect("pratiques:curation:home")
    context = {"version": version, "errors": error_messages}
    template = "pratiques/curation/version_delete.html"
    return render(request, template, context)


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
    template = "pratiques/curation/compare.html"
    if request.htmx:
        template += "#comparison"
    return render(request, template, context, status=400 if form.errors else 200)


# The history speaks the grid's words, not the database's.
FIELD_NAMES = {
    "label": "libellé",
    "slug": "identifiant",
    "notes": "notes de version",
    "status": "statut",
    "title": "intitulé",
    "description": "description",
    "lever": "levier",
    "scope_note": "précision",
    "axis": "axe",
    "situation": "situation",
    "practice": "pratique",
    "practice_key": "pratique (clé stable)",
    "resource": "ressource",
    "order": "rang",
    "code": "code",
    "scale": "échelle",
    "value": "valeur",
    "kind": "nature",
    "element_type": "type d'élément",
    "old_key": "ancienne clé",
    "new_key": "nouvelle clé",
    "note": "note",
    "url": "adresse",
    "source": "source",
    "copied_from": "copiée de la version",
    "min_population": "population minimale",
    "max_population": "population maximale",
    "priority_lever": "levier prioritaire",
    "lever_description": "description du levier",
    "criterion": "critère",
    "criterion_note": "précision du critère",
    "has_repere_sheet": "fiche « Repères »",
    "population": "population",
    "version": "version",
}


def shown_value(value: object) -> str:
    """A recorded value as a person reads it: « (vide) », « oui »/« non », lists joined."""
    if value is None or value == "":
        return "(vide)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(shown_value(item) for item in value) or "(vide)"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def event_rows(events: list[CurationEvent]) -> list[dict[str, Any]]:
    rows = []
    for event in events:
        fields = []
        for name, before, after in event.changed_fields():
            html = None
            if isinstance(before, str) and isinstance(after, str) and before and after:
                html = word_diff_sides(before, after)
            fields.append(
                {
                    "name": FIELD_NAMES.get(name, name.replace("_", " ")),
                    "before": shown_value(before),
                    "after": shown_value(after),
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
    template = "pratiques/curation/history.html"
    if request.htmx:
        template += "#events"
    return render(request, template, context)
