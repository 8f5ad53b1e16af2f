"""Answers of the network (under the disclosure policy), releases of the public aggregates
and the anonymised exports."""

from __future__ import annotations

import io
import itertools

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from config import queues
from config.spreadsheets import csv_streaming_response, spreadsheet_row
from config.tasks import enqueue_on_commit
from config.types import AuthenticatedHttpRequest
from pratiques import aggregates, disclosure
from pratiques.curation import analytics as grid_analytics
from pratiques.curation import queries
from pratiques.curation.views.common import admin_required
from pratiques.models import GridVersion, Scale


@require_safe
@admin_required
def analytics(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _analytics_page(request)


def _analytics_page(request: AuthenticatedHttpRequest, status: int = 200) -> HttpResponse:
    version = GridVersion.objects.current()
    if version is None:
        raise Http404("Aucune version publiée.")
    scale = request.GET.get("echelle", Scale.FREQUENCY.value)
    scale = scale if scale in grid_analytics.SCALES else Scale.FREQUENCY.value
    breakdown = request.GET.get("ventilation", "")
    breakdown = breakdown if breakdown in grid_analytics.BREAKDOWNS else ""
    # Released figures only: the page never shows live counts (no before/after subtraction).
    release = aggregates.latest_release()
    columns, groups = grid_analytics.analytics_tables(version, release, breakdown, scale)
    whole = next((g for g in groups if g.shown), None) if not breakdown else None

    def plotted(value: int | str) -> int | None:
        return value if isinstance(value, int) else None

    chart = {
        "practices": [f"{p.code} {p.label}" for p, _ in whole.rows] if whole else [],
        "series": [
            {"name": column.label, "values": [plotted(cells[i]) for _, cells in whole.rows]}
            for i, column in enumerate(columns)
            if column.partition
        ]
        if whole
        else [],
    }
    next_release = disclosure.next_release_possible(release.released_at if release else None)
    context = {
        "version": version,
        "total": whole.people if whole else None,
        "groups": groups,
        "columns": columns,
        "chart": chart,
        "threshold_ok": whole is not None or (breakdown and any(g.shown for g in groups)),
        "threshold": disclosure.threshold(),
        "scales": grid_analytics.SCALES,
        "breakdowns": grid_analytics.BREAKDOWNS,
        "scale": scale,
        "scale_label": grid_analytics.SCALES[scale][1],
        "breakdown": breakdown,
        "masked": grid_analytics.MASKED,
        "release": release,
        "cadence": disclosure.RELEASE_CADENCE,
        "release_possible": next_release <= timezone.now(),
        "next_release": disclosure.french_date(next_release),
    }
    template = "pratiques/curation/analytics.html"
    if request.htmx:
        template += "#analytics"
    return render(request, template, context, status=status)


@require_POST
@admin_required
def release_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new dated release of the public practice aggregates, computed by the task worker."""
    from pratiques.tasks import release_aggregates_task

    release = aggregates.latest_release()
    refusal = disclosure.release_refusal(release.released_at if release else None)
    if refusal is not None:
        messages.error(request, refusal.text)
        return _analytics_page(request, status=400)
    enqueue_on_commit(
        queues.on_long_queue(release_aggregates_task),
        f"administration ({request.user.get_username()})",
    )
    messages.success(
        request,
        "Nouvelle diffusion demandée : les agrégats publics seront recalculés par le service de "
        "tâches de fond dans quelques instants.",
    )
    return redirect("pratiques:curation:analytics")


def export_filename(extension: str) -> str:
    return f"reponses-anonymisees-{timezone.localdate():%Y-%m-%d}.{extension}"


@require_safe
@admin_required  # type: ignore[arg-type]  # role_required is typed for HttpResponse only
def export_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    rows = itertools.chain([queries.EXPORT_COLUMNS], queries.export_rows())
    return csv_streaming_response(rows, export_filename("csv"))


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
        assert sheet is not None  # created on the first row
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
