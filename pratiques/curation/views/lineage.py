"""Lineage of keys between versions, and the catalyst's offer to move a draft to the
current version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from config.refusals import Refused
from config.roles import Role, role_required
from config.types import AuthenticatedHttpRequest
from pratiques.curation import forms as cforms
from pratiques.curation import services
from pratiques.curation.views.common import admin_required, get_version, validation_messages
from pratiques.models import Assessment, GridStatus, GridVersion, KeyLineage, Practice, Situation


def lineage_context(version: GridVersion, form: cforms.LineageForm) -> dict[str, Any]:
    keys: dict[Any, Any] = {}
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
        except Refused as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Filiation enregistrée.")
            if not request.htmx:
                return redirect("pratiques:curation:lineage", slug=version.slug)
            form = cforms.LineageForm(version=version, previous=previous_version(version))
    template = "pratiques/curation/lineage.html"
    if request.htmx:
        template += "#lineage"
    context = lineage_context(version, form)
    return render(request, template, context, status=400 if form.errors else 200)


@require_POST
@admin_required
def lineage_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    version = get_version(slug)
    row = get_object_or_404(KeyLineage, pk=pk, version=version)
    try:
        services.lineage_remove(actor=request.user, lineage=row)
    except Refused as error:
        for message in validation_messages(error):
            messages.error(request, message)
    return redirect("pratiques:curation:lineage", slug=version.slug)


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
        except Refused as error:
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
    template = "pratiques/curation/move_forward.html"
    return render(request, template, context)
