"""« Carte de France »: an indicator (value or rank among peers, chosen vintage) or the released
practice figures, by département or by région, with the same figures in a table and a CSV."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from config.spreadsheets import csv_response
from observatoire import maps
from observatoire.models import ImportRun, Indicator, IndicatorValue, PeerDistribution
from observatoire.queries import (
    IndicatorLine,
    IndicatorPeers,
    indicators_with_distributions,
    peer_segment,
    peer_stats,
    positioned_value,
)
from observatoire.templatetags.observatoire import indicator_value
from pratiques import disclosure
from pratiques.aggregates import latest_release
from pratiques.models import Release, ReleasedAggregate
from territoires.models import Level, SizeSegment, Territory

SOURCES = [("indicateur", "Un indicateur"), ("pratiques", "Pratiques (agrégats diffusés)")]
MEASURES = [("rang", "Rang parmi les pairs (100 = le plus fragile)"), ("valeur", "Valeur")]
SCALES = [(Level.DEPARTEMENT.value, "Départements"), (Level.REGION.value, "Régions")]
SORTS = ["nom", "code", "valeur", "-valeur"]
# The drawn map and its figures are cached under a key that holds their data's stamp (``_stamp``):
# a new import, release or geography gives a new key; the timeout only frees the space.
CACHE_SECONDS = 24 * 3600
LOCAL_ENTRIES = 16  # maps kept in each process (≈ 0.7 MB each, most of it the shapes)
_LOCAL: OrderedDict[str, dict[str, Any]] = OrderedDict()
# The rendered content of the page by map, form and sort (≈ 0.7 MB each, in this process).
_BODIES: OrderedDict[str, SafeString] = OrderedDict()
_LOCAL_LOCK = threading.Lock()


class MapForm(forms.Form):
    source = forms.ChoiceField(label="Données", choices=SOURCES, required=False)
    indicateur = forms.ChoiceField(label="Indicateur", required=False)
    mesure = forms.ChoiceField(label="Mesure", choices=MEASURES, required=False)
    annee = forms.IntegerField(label="Millésime", min_value=1800, max_value=2200, required=False)
    echelle = forms.ChoiceField(label="Échelle", choices=SCALES, required=False)
    tri = forms.ChoiceField(choices=[(s, s) for s in SORTS], required=False)

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["indicateur"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(i.code, f"{i.label} ({i.code})") for i in indicators]


def _indicator_areas(
    territories: list[Territory], indicator: Indicator, year: int, measure: str, level: str
) -> list[maps.Area]:
    """The page's own functions: positioned value, distribution of the peers, rank."""
    values = dict(
        IndicatorValue.objects.filter(
            indicator=indicator, year=year, territory_id__in=[t.pk for t in territories]
        ).values_list("territory_id", "value")
    )
    segments = list(SizeSegment.objects.all())
    rows: dict[int | None, IndicatorPeers | None] = {}
    areas = []
    for territory in territories:
        area = maps.Area(territory.code, territory.name, territory.get_absolute_url())
        value = values.get(territory.pk)
        if measure == "rang":
            segment = peer_segment(territory, segments)
            key = segment.pk if segment else None
            if key not in rows:
                found = [
                    row
                    for row in indicators_with_distributions(
                        [indicator.pk], {year}, level, segment, segment is not None
                    )
                    if row.year == year
                ]
                rows[key] = found[0] if found else None
            row = rows[key]
            line = IndicatorLine(row.indicator if row else indicator, year, value)
            line.positioned = positioned_value(indicator, value, territory.population)
            stats = peer_stats(line, row) if row is not None else None
            rank = stats.percentile if stats is not None else None
            if rank is not None:
                area.value, area.status, area.text = float(rank), "ok", f"{rank}e centile"
        elif value is not None:
            area.value, area.status, area.text = value, "ok", indicator_value(value)
        areas.append(area)
    return areas


def _practice_areas(territories: list[Territory]) -> list[maps.Area]:
    """The latest release's people count per territory, as published (never below k)."""
    release = latest_release()
    rows: dict[str, tuple[str, dict[str, Any]]] = {}
    if release is not None:
        rows = {
            scope: (status, figures)
            for scope, status, figures in ReleasedAggregate.objects.filter(
                release=release, scope__in=[f"{t.level}:{t.code}" for t in territories]
            ).values_list("scope", "status", "figures")
        }
    areas = []
    for territory in territories:
        area = maps.Area(territory.code, territory.name, territory.get_absolute_url())
        status, figures = rows.get(f"{territory.level}:{territory.code}", (None, {}))
        if status == disclosure.PUBLISHED and figures.get("people") is not None:
            people = figures["people"]
            area.value, area.status, area.text = float(people), "ok", f"environ {people}"
        elif status is not None:
            area.status, area.text = maps.BELOW, f"moins de {disclosure.threshold()}"
        areas.append(area)
    return areas


def _sorted(areas: list[maps.Area], sort: str) -> list[maps.Area]:
    if sort == "code":
        return sorted(areas, key=lambda a: a.code)
    if sort in ("valeur", "-valeur"):
        shown = sorted(
            (a for a in areas if a.value is not None),
            key=lambda a: (a.value or 0.0, a.code),
            reverse=sort == "-valeur",
        )
        return shown + [a for a in areas if a.value is None]
    return sorted(areas, key=lambda a: (a.name, a.code))


def _stamp(level: str, indicator: Indicator | None) -> list[Any]:
    """What the map's figures depend on, in one query: the imports, the peers' distributions of
    the level, the size segments, the territories of the level, the chosen indicator's values
    at that level (a demo reload changes them without an import), the latest release."""
    runs, peers = ImportRun._meta.db_table, PeerDistribution._meta.db_table
    territories, segments = Territory._meta.db_table, SizeSegment._meta.db_table
    values, releases = IndicatorValue._meta.db_table, Release._meta.db_table
    parts: list[tuple[str, list[Any]]] = [
        (f"SELECT count(*) FROM {runs}", []),
        (f"SELECT max(finished_at) FROM {runs}", []),
        (f"SELECT count(*) FROM {peers} WHERE level = %s", [level]),
        (f"SELECT max(id) FROM {peers} WHERE level = %s", [level]),
        (f"SELECT string_agg(id || ':' || min_population, ',' ORDER BY id) FROM {segments}", []),
        (f"SELECT count(*) FROM {territories} WHERE level IN (%s, %s)", [level, Level.DEPARTEMENT]),
        (
            f"SELECT max(updated_at) FROM {territories} WHERE level IN (%s, %s)",
            [level, Level.DEPARTEMENT],
        ),
        (f"SELECT max(id) FROM {releases}", []),
    ]
    if indicator is not None:
        subquery = f"SELECT id FROM {territories} WHERE level = %s"
        parts += [
            (
                f"SELECT count(value) FROM {values} "
                f"WHERE indicator_id = %s AND territory_id IN ({subquery})",
                [indicator.pk, level],
            ),
            (
                f"SELECT sum(value * year) FROM {values} "
                f"WHERE indicator_id = %s AND territory_id IN ({subquery})",
                [indicator.pk, level],
            ),
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"({sql})" for sql, _ in parts),
            [param for _, params in parts for param in params],
        )
        return list(cursor.fetchone() or [])


def _figures(
    source: str, level: str, measure: str, indicator: Indicator | None, requested_year: int | None
) -> dict[str, Any]:
    """The areas, their classes and the drawn map (cached by ``france_map``)."""
    if indicator is not None:
        indicator = Indicator.objects.get(pk=indicator.pk)  # every field, not the form's few
    territories = list(
        Territory.objects.filter(level=level, is_demo=False)
        .only("level", "code", "name", "population", "region_id")
        .order_by("code")
    )
    year = None
    if source == "pratiques":
        areas = _practice_areas(territories)
        title = "Catalyseurs pris en compte dans la dernière diffusion"
    else:
        years = (
            sorted(
                set(
                    IndicatorValue.objects.filter(
                        indicator=indicator, territory__level=level
                    ).values_list("year", flat=True)
                ),
                reverse=True,
            )
            if indicator
            else []
        )
        year = requested_year if requested_year in years else (years[0] if years else None)
        areas = (
            _indicator_areas(territories, indicator, year, measure, level)
            if indicator and year
            else [maps.Area(t.code, t.name, t.get_absolute_url()) for t in territories]
        )
        what = "rang parmi les pairs" if measure == "rang" else "valeur"
        if indicator is None:
            title = "Aucun indicateur"
        elif year is None:
            title = f"{indicator.label} : aucune valeur à cette échelle"
        else:
            title = f"{indicator.label} ({year}), {what}"
    thresholds = maps.classify(areas)
    by_department: dict[str, maps.Area] = {}
    if level == Level.REGION:
        by_region = {t.pk: a for t, a in zip(territories, areas, strict=True)}
        for code, region_id in Territory.objects.filter(level=Level.DEPARTEMENT).values_list(
            "code", "region_id"
        ):
            if region_id in by_region:
                by_department[code] = by_region[region_id]
    else:
        by_department = {a.code: a for a in areas}
    return {
        "title": title,
        "areas": areas,
        "thresholds": thresholds,
        "svg": maps.render_svg(by_department, title),
    }


def _cached(key: str, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The figures of a key: from this process's last maps, else the shared cache (the DB: ~1 MB
    to read), else computed. Never stale: the key holds the data's stamp."""
    with _LOCAL_LOCK:
        figures = _LOCAL.get(key)
        if figures is not None:
            _LOCAL.move_to_end(key)
            return figures
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures, timeout=CACHE_SECONDS)
    with _LOCAL_LOCK:
        _LOCAL[key] = figures
        while len(_LOCAL) > LOCAL_ENTRIES:
            _LOCAL.popitem(last=False)
    return figures


@login_not_required
@require_GET
def france_map(request: HttpRequest) -> HttpResponse:
    # The form's choices only; the chosen indicator is read whole when its map is drawn.
    indicators = list(Indicator.objects.order_by("order", "code").only("id", "code", "label"))
    form = MapForm(request.GET or None, indicators=indicators)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    source = data.get("source") or "indicateur"
    level = data.get("echelle") or Level.DEPARTEMENT
    measure = data.get("mesure") or "rang"
    sort = data.get("tri") or "nom"
    code = data.get("indicateur")
    indicator = (
        None
        if source == "pratiques"
        else next((i for i in indicators if i.code == code), indicators[0] if indicators else None)
    )
    params = [source, level, measure, indicator.pk if indicator else None, data.get("annee")]
    key = (
        "carte:"
        + hashlib.sha256(
            repr([params, _stamp(level, indicator), disclosure.threshold()]).encode()
        ).hexdigest()
    )
    figures = _cached(key, lambda: _figures(source, level, measure, indicator, data.get("annee")))
    title, areas, thresholds = figures["title"], figures["areas"], figures["thresholds"]
    fmt = (
        (lambda v: f"{v:g}e centile")
        if source == "indicateur" and measure == "rang"
        else indicator_value
    )
    rows = _sorted(areas, sort)
    if request.GET.get("format") == "csv":
        lines = [
            [area.code, area.name, "" if area.value is None else area.value, area.status]
            for area in rows
        ]
        return csv_response(
            [["code", "nom", "valeur", "statut"], *lines], "carte.csv", delimiter=","
        )
    # The content (form, map, legend, table) depends on the figures, the form's choices and
    # the query only; the page around it (header, nonce, user) is rendered each time.
    body_key = hashlib.sha256(
        repr(
            [key, sorted(request.GET.lists()), [(i.pk, i.code, i.label) for i in indicators]]
        ).encode()
    ).hexdigest()
    with _LOCAL_LOCK:
        body = _BODIES.get(body_key) if valid else None
        if body is not None:
            _BODIES.move_to_end(body_key)
    if body is not None:
        return render(request, "observatoire/france_map.html", {"body": body})
    query = request.GET.copy()
    query.pop("tri", None)
    query.pop("format", None)
    context = {
        "form": form,
        "svg": figures["svg"],
        "title": title,
        "legend": maps.legend(thresholds, fmt),
        "thresholds": thresholds,
        "rows": rows,
        "sort": sort,
        "query": query.urlencode(),
        "level": level,
        "source_name": maps.SOURCE,
        "source_url": maps.SOURCE_URL,
        "threshold": disclosure.threshold(),
    }
    template = "observatoire/france_map.html"
    body = render_to_string(template + "#body", context, request)
    if valid:
        with _LOCAL_LOCK:
            _BODIES[body_key] = body
            while len(_BODIES) > LOCAL_ENTRIES * 2:
                _BODIES.popitem(last=False)
    return render(
        request,
        template,
        {"body": body},
        status=200 if valid else 400,
    )
