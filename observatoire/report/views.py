"""The territory report (public PDF) and the batch page of network admins."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from config.roles import Role, role_required
from config.types import AuthenticatedHttpRequest, HtmxHttpRequest
from observatoire.report.batch import (
    BATCH_LEVELS,
    generated_reports,
    latest_batches,
    read_progress,
)
from observatoire.report.cache import get_report
from observatoire.report.data import report_filename
from observatoire.report.tasks import batch_resume_if_orphaned, batch_start
from territoires.models import Level, Territory

REPORT_LEVELS = {level.value for level in BATCH_LEVELS}


@login_not_required
@require_safe
def territory_report(request: HtmxHttpRequest, level: str, code: str) -> HttpResponse:
    """The PDF report of a territory: public data and anonymised aggregates, no account needed."""
    if level not in REPORT_LEVELS:
        raise Http404("Niveau de territoire inconnu.")
    territory = get_object_or_404(
        Territory.objects.select_related("epci", "departement", "region"), level=level, code=code
    )
    pdf, hit = get_report(territory)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(territory)}"'
    response["X-Report-Cache"] = "hit" if hit else "miss"
    response["Cache-Control"] = "public, max-age=300"
    return response


class BatchForm(forms.Form):
    level = forms.ChoiceField(
        label="Niveau",
        choices=[(level.value, level.label) for level in BATCH_LEVELS],
        initial=Level.EPCI,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.NETWORK_ADMIN)
def report_batches(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start the generation of all reports of a level and follow its progress."""
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        progress = batch_start(level=form.cleaned_data["level"])
        return redirect("observatoire:report_batch_progress", batch_id=progress["id"])
    batches = [_with_percent(batch) for batch in latest_batches()]
    template = "observatoire/report/batches.html"
    if request.htmx:
        template += "#batches"
    running = any(batch["running"] for batch in batches)
    context = {"form": form, "batches": batches, "running": running}
    return render(request, template, context, status=400 if form.errors else 200)


@require_safe
@role_required(Role.NETWORK_ADMIN)
def report_batch_progress(request: AuthenticatedHttpRequest, batch_id: str) -> HttpResponse:
    progress = read_progress(batch_id)
    if progress is None:
        raise Http404("Lot de rapports inconnu.")
    progress = batch_resume_if_orphaned(progress)  # its worker died: queued again, resumes
    template = "observatoire/report/batch_progress.html"
    if request.htmx:
        template += "#progress"
    reports, report_count = generated_reports(progress["level"])
    context = {"batch": _with_percent(progress), "reports": reports, "report_count": report_count}
    return render(request, template, context)


def _with_percent(progress: dict) -> dict:
    total = progress.get("total") or 0
    progress["percent"] = round(100 * progress["done"] / total) if total else 0
    progress["running"] = progress["status"] in {"queued", "running"}
    progress["level_label"] = Level(progress["level"]).label
    progress["created"] = datetime.fromisoformat(progress["created_at"])
    return progress
