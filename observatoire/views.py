from __future__ import annotations

import csv
from typing import Any

import numpy as np
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.roles import Role, role_required
from config.types import HtmxHttpRequest
from observatoire.forms import CatalogueUploadForm, ValuesUploadForm
from observatoire.models import ImportKind, ImportRun, ImportStatus
from observatoire.queries import (
    TerritoryProfile,
    indicator_catalogue,
    recent_import_runs,
    territory_for_indicators,
    territory_indicator_profile,
    territory_indicator_values,
)
from observatoire.services import import_run_confirm, import_run_create
from observatoire.tasks import import_run_task

PROBLEMS_SHOWN = 500


def plain_number(value: float | None) -> str:
    """Decimal-point notation, no exponent, no thousands separator; missing → empty."""
    if value is None:
        return ""
    return np.format_float_positional(value, trim="-")


def _chart_data(profile: TerritoryProfile) -> list[dict[str, Any]]:
    """Per domain, each indicator's peer distribution rescaled to [0, 1] between the peers'
    minimum and maximum, so indicators of different units share one axis."""
    charts = []
    for index, domain in enumerate(profile.domains):
        rows = []
        for line in domain.lines:
            peers = line.peers
            if peers is None or peers.count < 2:
                continue
            # The territory is not one of its own peers: its value may lie outside their range.
            low = min(peers.minimum, line.value if line.value is not None else peers.minimum)
            high = max(peers.maximum, line.value if line.value is not None else peers.maximum)
            span = (high - low) or 1.0

            def scale(value: float | None, low: float = low, span: float = span) -> float | None:
                return None if value is None else round((value - low) / span, 4)

            rows.append(
                {
                    "label": line.indicator.label[:60],
                    "q": [scale(peers.quantiles[q]) for q in (0.0, 0.25, 0.5, 0.75, 1.0)],
                    "raw": [plain_number(peers.quantiles[q]) for q in (0.0, 0.25, 0.5, 0.75, 1.0)],
                    "value": scale(line.value),
                    "raw_value": plain_number(line.value),
                    "unit": line.indicator.unit,
                    "percentile": line.peers.percentile,
                }
            )
        domain.chart_id = f"distribution-{index}" if rows else ""
        if rows:
            charts.append({"id": domain.chart_id, "rows": rows})
    return charts


@require_safe
def territory_indicators(request: HtmxHttpRequest, level: str, code: str) -> HttpResponse:
    """A territory among its peers, per fragility domain (fragment pulled by the territory page)."""
    territory = territory_for_indicators(level, code)
    if territory is None:
        raise Http404("Territoire inconnu.")
    profile = territory_indicator_profile(territory)
    charts = _chart_data(profile)
    try:
        territory_url = territory.get_absolute_url()
    except NoReverseMatch:  # the territory page lives in another app; it may be absent
        territory_url = ""
    context = {
        "territory": territory,
        "territory_url": territory_url,
        "profile": profile,
        "charts": charts,
    }
    template = "observatoire/territory_indicators.html"
    if request.htmx:
        template += "#indicators"
    return render(request, template, context)


@require_safe
def territory_indicators_csv(request: HtmxHttpRequest, level: str, code: str) -> HttpResponse:
    territory = territory_for_indicators(level, code)
    if territory is None:
        raise Http404("Territoire inconnu.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="indicateurs-{territory.level}-{territory.code}.csv"'
    )
    response.write("\ufeff")  # byte order mark: spreadsheet programs then read UTF-8 accents right
    writer = csv.writer(response, delimiter=";", lineterminator="\n")
    writer.writerow(["code", "libelle", "annee", "valeur", "unite", "source"])
    for item in territory_indicator_values(territory):
        indicator = item.indicator
        source = indicator.source
        if indicator.is_demo:
            source = (
                f"{source} (données de démonstration)" if source else "données de démonstration"
            )
        writer.writerow(
            [
                indicator.code,
                indicator.label,
                item.year,
                plain_number(item.value),
                indicator.unit,
                source,
            ]
        )
    return response


@require_safe
def catalogue(request: HtmxHttpRequest) -> HttpResponse:
    indicators = list(indicator_catalogue())
    template = "observatoire/indicator_list.html"
    if request.htmx:
        template += "#catalogue"
    return render(
        request,
        template,
        {"indicators": indicators, "has_demo": any(i.is_demo for i in indicators)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.NETWORK_ADMIN)
def import_upload(request: HtmxHttpRequest) -> HttpResponse:
    """Upload a catalogue or a values file: a dry run first, in the background."""
    catalogue_form = CatalogueUploadForm(prefix="catalogue")
    values_form = ValuesUploadForm(prefix="valeurs")
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind == ImportKind.CATALOGUE:
            catalogue_form = CatalogueUploadForm(request.POST, request.FILES, prefix="catalogue")
            form: CatalogueUploadForm | ValuesUploadForm = catalogue_form
        else:
            values_form = ValuesUploadForm(request.POST, request.FILES, prefix="valeurs")
            form = values_form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            options = {}
            if isinstance(form, ValuesUploadForm):
                options = {
                    "year": form.cleaned_data["year"],
                    "level": form.cleaned_data["level"],
                    "code_column": form.cleaned_data["code_column"].strip() or "CODGEO",
                }
            run = import_run_create(
                kind=ImportKind.CATALOGUE if form is catalogue_form else ImportKind.VALUES,
                data=upload.read(),
                file_name=upload.name,
                user=request.user,
                dry_run=True,
                **options,
            )
            import_run_task.enqueue(run.pk)
            return redirect("observatoire:import_detail", pk=run.pk)
        messages.error(request, "Le fichier n’a pas été envoyé : corrigez le formulaire.")
    context = {
        "catalogue_form": catalogue_form,
        "values_form": values_form,
        "runs": recent_import_runs(),
    }
    template = "observatoire/import_upload.html"
    if request.htmx:
        template += "#runs"
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@require_safe
@role_required(Role.NETWORK_ADMIN)
def import_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """An import's progress (polled every second while it runs) then its report."""
    run = get_object_or_404(ImportRun.objects.select_related("user", "confirms"), pk=pk)
    problems = run.problems[:PROBLEMS_SHOWN]
    context = {
        "run": run,
        "problems": problems,
        "problems_hidden": run.problem_count - len(problems),
        "can_confirm": run.dry_run
        and run.status == ImportStatus.SUCCEEDED
        and not run.confirmations.exists(),
        "confirmation": run.confirmations.order_by("-pk").first() if run.dry_run else None,
    }
    template = "observatoire/import_detail.html"
    if request.htmx:
        template += "#run"
    return render(request, template, context)


@require_POST
@role_required(Role.NETWORK_ADMIN)
def import_confirm(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    dry_run = get_object_or_404(ImportRun, pk=pk, dry_run=True)
    if dry_run.status != ImportStatus.SUCCEEDED:
        messages.error(request, "Cet essai à blanc a des problèmes : corrigez le fichier d’abord.")
        return redirect("observatoire:import_detail", pk=dry_run.pk)
    existing = dry_run.confirmations.order_by("-pk").first()
    if existing is not None:
        return redirect("observatoire:import_detail", pk=existing.pk)
    run = import_run_confirm(dry_run=dry_run, user=request.user)
    import_run_task.enqueue(run.pk)
    url = reverse("observatoire:import_detail", kwargs={"pk": run.pk})
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
