from __future__ import annotations

from typing import Any

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from config import charts as chart_export
from config.charts import VARIANTS, svg_response
from config.queues import queue_place
from config.roles import Role, role_required
from config.spreadsheets import csv_response
from config.tasks import enqueue_on_commit
from config.types import AuthenticatedHttpRequest, HtmxHttpRequest
from observatoire.forms import (
    CatalogueFilterForm,
    CatalogueUploadForm,
    ImportRunFilterForm,
    ValuesUploadForm,
)
from observatoire.liveness import import_runs_fail_orphaned
from observatoire.models import ImportKind, ImportRun, ImportStatus, Polarity
from observatoire.queries import (
    TerritoryProfile,
    filtered_catalogue,
    recent_import_runs,
    territory_for_indicators,
    territory_indicator_profile,
    territory_indicator_values,
)
from observatoire.report.changes import territory_changes
from observatoire.report.charts import distribution_size, indicator_distribution_figure
from observatoire.services import import_run_confirm, import_run_create
from observatoire.tasks import import_run_task
from observatoire.templatetags.observatoire import indicator_value

PROBLEMS_SHOWN = 500
# (sort key or "" when the column does not sort, heading) of the catalogue's table.
SORT_COLUMNS = [
    ("code", "Code"),
    ("libelle", "Libellé"),
    ("domaine", "Domaine de fragilité"),
    ("polarite", "Polarité"),
    ("", "Unité"),
    ("source", "Source, millésime"),
    ("collection", "Collection"),
    ("", "Type"),
]


def plain_number(value: float | None) -> str:
    """Decimal-point notation, no exponent, no thousands separator; missing → empty."""
    if value is None:
        return ""
    return np.format_float_positional(value, trim="-")


def _chart_data(profile: TerritoryProfile) -> list[dict[str, Any]]:
    """Per domain, each indicator's peer distribution (on the ranked values: per 1 000
    inhabitants for a count) rescaled to [0, 1] between the peers' minimum and maximum and
    oriented like the ranks, so that the right-hand side is always the most fragile."""
    charts = []
    for index, domain in enumerate(profile.domains):
        rows = []
        for line in domain.lines:
            peers = line.peers
            if peers is None or peers.count < 2 or line.rank is None:
                continue
            value = line.positioned
            # The territory is not one of its own peers: its value may lie outside their range.
            low = min(peers.minimum, value if value is not None else peers.minimum)
            high = max(peers.maximum, value if value is not None else peers.maximum)
            span = (high - low) or 1.0
            flip = line.indicator.polarity == Polarity.STRENGTH

            def scale(
                value: float | None, low: float = low, span: float = span, flip: bool = flip
            ) -> float | None:
                if value is None:
                    return None
                share = (value - low) / span
                return round(1 - share if flip else share, 4)

            points = (0.0, 0.25, 0.5, 0.75, 1.0)
            q = [scale(peers.quantiles[point]) for point in points]
            raw = [plain_number(round(peers.quantiles[point], 2)) for point in points]
            # The table under the chart: the same numbers, in their own order and French style.
            ascending = [round(peers.quantiles[point], 2) for point in points]
            if flip:
                q, raw = q[::-1], raw[::-1]
            unit = "pour 1 000 hab." if line.indicator.is_count else line.indicator.unit
            rows.append(
                {
                    "label": line.indicator.label[:60],
                    "q": q,
                    "raw": raw,
                    "ascending": ascending,
                    "value": scale(value),
                    "raw_value": plain_number(line.rate if line.rate is not None else value),
                    "ranked_value": line.rate if line.rate is not None else value,
                    "unit": unit,
                    "percentile": line.rank,
                }
            )
        if rows:
            chart: dict[str, Any] = {"id": f"distribution-{index}", "index": index, "rows": rows}
            chart.update({variant: distribution_size(len(rows), variant) for variant in VARIANTS})
            domain.chart = chart
            charts.append(chart)
    return charts


MISSING_RANK = {
    "unspecified": "sens non précisé par la source",
    "missing": "valeur manquante",
    "none": "—",
}


def _table_rows(profile: TerritoryProfile) -> None:
    """Each domain's table rows (``domain.rows``) as ready-made text: a few hundred rows render
    in a few milliseconds when the template only prints strings, without filters or method
    calls per cell (same formatting as the ``indicator_value`` filter, the CSV and the PDF)."""
    peers_text: dict[int, str] = {}  # intcomma is slow; many indicators share a peer count
    polarities = {value: str(label) for value, label in Polarity.choices}
    departement, region = profile.departement is not None, profile.region is not None
    for domain in profile.domains:
        rows = []
        for line in domain.lines:
            indicator = line.indicator
            note = indicator.source or "source non précisée"
            if indicator.polarity:
                note += f" · {polarities.get(indicator.polarity, indicator.polarity)}"
            if indicator.is_count:
                note += " · effectif, classé pour 1 000 habitants"
            elif not indicator.kind:
                note += " · nature non précisée par la source"
            rank = line.rank
            peers = line.peers
            if rank is not None and peers is not None:
                if peers.count not in peers_text:
                    peers_text[peers.count] = intcomma(peers.count)
                count = peers_text[peers.count]
                missing = ""
            else:
                count = ""
                if peers is not None and not indicator.polarity:
                    missing = MISSING_RANK["unspecified"]
                else:
                    missing = MISSING_RANK["missing" if peers is not None else "none"]
            rate = line.rate
            rows.append(
                {
                    "code": indicator.code,
                    "label": indicator.label,
                    "unit": indicator.unit,
                    "demo": indicator.is_demo,
                    "note": note,
                    "year": str(line.year),
                    "value": indicator_value(line.value),
                    "rate": "" if rate is None else indicator_value(rate),
                    # Empty when the column is not shown (the page has no département column).
                    "departement": indicator_value(line.departement_value) if departement else "",
                    "region": indicator_value(line.region_value) if region else "",
                    "france": indicator_value(line.france_value),
                    "rank": "" if rank is None else str(rank),
                    "side": "rank-fragile" if line.is_fragile_side else "rank-strong",
                    "peers": count,
                    "missing": missing,
                }
            )
        domain.rows = rows


@login_not_required
@require_safe
def territory_indicator_chart(
    request: HttpRequest, level: str, code: str, index: int, variant: str
) -> HttpResponse:
    """One domain's chart of the indicators page as an SVG picture (drawn on the server: a phone
    gets an image, not plotly.js); the same for everyone, so cached by browsers and proxies."""
    territory = territory_for_indicators(level, code)
    if territory is None or variant not in VARIANTS:
        raise Http404("Graphique inconnu.")
    charts = {
        chart["index"]: chart for chart in _chart_data(territory_indicator_profile(territory))
    }
    if index not in charts:
        raise Http404("Graphique inconnu.")
    fig, width, height = indicator_distribution_figure(
        charts[index]["rows"], territory=territory.name, variant=variant
    )
    return svg_response(fig, width=width, height=height, public=True)


@login_not_required
@require_safe
def territory_indicators(request: HtmxHttpRequest, level: str, code: str) -> HttpResponse:
    """A territory among its peers, per fragility domain (fragment pulled by the territory page)."""
    territory = territory_for_indicators(level, code)
    if territory is None:
        raise Http404("Territoire inconnu.")
    profile = territory_indicator_profile(territory)
    _table_rows(profile)
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
        "charts_unavailable": bool(charts) and not chart_export.available(),
        # « Ce qui a changé » (previous vintage, previous release), as on the report's first page.
        "changes": territory_changes(territory, profile).sentences,
    }
    template = "observatoire/territory_indicators.html"
    if request.htmx:
        template += "#indicators"
    return render(request, template, context)


CSV_HEADER = [
    "code",
    "libelle",
    "annee",
    "valeur",
    "unite",
    "nature",
    "pour_1000_habitants",
    "departement",
    "region",
    "france",
    "rang_centile_100_le_plus_fragile",
    "pairs",
    "source",
]


@login_not_required
@require_safe
def territory_indicators_csv(request: HtmxHttpRequest, level: str, code: str) -> HttpResponse:
    """Every value of the territory, every year; the year shown on the page carries the same
    comparison values and rank (``observatoire.queries``, formatted here only)."""
    territory = territory_for_indicators(level, code)
    if territory is None:
        raise Http404("Territoire inconnu.")
    profile = territory_indicator_profile(territory)
    shown = {
        (line.indicator.pk, line.year): line for domain in profile.domains for line in domain.lines
    }
    rows: list[list[Any]] = [CSV_HEADER]
    for item in territory_indicator_values(territory):
        indicator = item.indicator
        source = indicator.source
        if indicator.is_demo:
            source = (
                f"{source} (données de démonstration)" if source else "données de démonstration"
            )
        line = shown.get((indicator.pk, item.year))
        rows.append(
            [
                indicator.code,
                indicator.label,
                item.year,
                plain_number(item.value),
                indicator.unit,
                indicator.kind or "non précisée",
                plain_number(line.rate) if line else "",
                plain_number(line.departement_value) if line else "",
                plain_number(line.region_value) if line else "",
                plain_number(line.france_value) if line else "",
                "" if line is None or line.rank is None else line.rank,
                line.peers.count if line and line.peers and line.rank is not None else "",
                source,
            ]
        )
    return csv_response(
        rows,
        f"indicateurs-{territory.level}-{territory.code}.csv",
        lineterminator="\n",
    )


@login_not_required
@require_safe
def catalogue(request: HtmxHttpRequest) -> HttpResponse:
    """The catalogue, searchable, filterable (domain, polarity, level, collection), sortable."""
    form = CatalogueFilterForm(request.GET)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        indicators, total = filtered_catalogue(
            text=data["q"],
            fragility=data["domaine"],
            polarity=data["polarite"],
            level=data["niveau"],
            collection=data["collection"],
            sort=data["tri"],
        )
    else:
        indicators, total, status = [], 0, 400
    sort = form.cleaned_data.get("tri", "") if form.is_valid() else ""
    params = request.GET.copy()
    params.pop("tri", None)
    template = "observatoire/indicator_list.html"
    if request.htmx:
        template += "#catalogue"
    return render(
        request,
        template,
        {
            "form": form,
            "indicators": indicators,
            "total": total,
            "sort": sort,
            "sort_base": params.urlencode(),
            "sort_columns": SORT_COLUMNS,
            "filtered": any(
                request.GET.get(key) for key in ("q", "domaine", "polarite", "niveau", "collection")
            ),
            "has_demo": any(i.is_demo for i in indicators),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.NETWORK_ADMIN)
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
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
            enqueue_on_commit(import_run_task, run.pk)
            return redirect("observatoire:import_detail", pk=run.pk)
        messages.error(request, "Le fichier n’a pas été envoyé : corrigez le formulaire.")
    run_filter = ImportRunFilterForm(request.GET)
    filters = run_filter.cleaned_data if run_filter.is_valid() else {}
    context = {
        "catalogue_form": catalogue_form,
        "values_form": values_form,
        "run_filter": run_filter,
        "runs_filtered": bool(filters.get("statut") or filters.get("type")),
        "runs": recent_import_runs(status=filters.get("statut", ""), kind=filters.get("type", "")),
    }
    template = "observatoire/import_upload.html"
    if request.htmx:
        template += "#runs"
    status = 400 if request.method == "POST" or run_filter.errors else 200
    return render(request, template, context, status=status)


@require_safe
@role_required(Role.NETWORK_ADMIN)
def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An import's progress (polled every second while it runs) then its report."""
    import_runs_fail_orphaned()  # a run whose worker died ends « échoué », never polls forever
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
        # Waiting: its place in the short jobs' queue and what runs before it.
        "queue": queue_place("observatoire.tasks.import_run_task", run.pk)
        if run.status == ImportStatus.PENDING
        else None,
    }
    template = "observatoire/import_detail.html"
    if request.htmx:
        template += "#run"
    return render(request, template, context)


@require_POST
@role_required(Role.NETWORK_ADMIN)
def import_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    dry_run = get_object_or_404(ImportRun, pk=pk, dry_run=True)
    if dry_run.status != ImportStatus.SUCCEEDED:
        messages.error(request, "Cet essai à blanc a des problèmes : corrigez le fichier d’abord.")
        return redirect("observatoire:import_detail", pk=dry_run.pk)
    existing = dry_run.confirmations.order_by("-pk").first()
    if existing is not None:
        return redirect("observatoire:import_detail", pk=existing.pk)
    run = import_run_confirm(dry_run=dry_run, user=request.user)
    enqueue_on_commit(import_run_task, run.pk)
    url = reverse("observatoire:import_detail", kwargs={"pk": run.pk})
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)
