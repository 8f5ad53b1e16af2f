"""Public pages of the pratiques app: the grid of practices, and the « pratiques » part of a
territory page (aggregates above the anonymity threshold only)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from config.shares import largest_remainder, near_bound
from config.spreadsheets import csv_response
from config.types import HtmxHttpRequest
from pratiques import aggregates, disclosure, queries
from territoires.models import Territory
from territoires.queries import territory_for_page


@login_not_required
@require_safe
def grid_current(request: HtmxHttpRequest) -> HttpResponse:
    return _grid(request, None)


@login_not_required
@require_safe
def grid_version(request: HtmxHttpRequest, version: str) -> HttpResponse:
    return _grid(request, version)


def _grid(request: HtmxHttpRequest, slug: str | None) -> HttpResponse:
    version = queries.public_version(slug)
    if version is None:
        raise Http404("Cette version de la grille n'existe pas ou n'est pas publiée.")
    context = {
        "tree": queries.grid_tree(version),
        "versions": queries.published_versions(),
    }
    return render(request, "pratiques/grid.html", context)


def _page_territory(level: str, code: str) -> Territory:
    """The territory of a /territoires/<niveau>/<code>/ address (the territory page's own lookup)."""
    territory = territory_for_page(level, code)
    if territory is None:
        raise Http404("Territoire introuvable.")
    return territory


@login_not_required
@require_safe
def territory_practices(request: HtmxHttpRequest, level: str, code: str) -> HttpResponse:
    territory = _page_territory(level, code)
    data = aggregates.territory_practices(territory)
    context = {
        "territory": territory,
        "t": data,
        "cadence": disclosure.RELEASE_CADENCE,
        "distribution_min": disclosure.DISTRIBUTION_MIN,
    }
    template = "pratiques/territory_practices.html"
    if request.htmx:
        template += "#territory_practices"
    return render(request, template, context)


@login_not_required
@require_safe
def territory_practices_csv(request: HtmxHttpRequest, level: str, code: str) -> HttpResponse:
    """The same released figures as the page, one line per practice (nothing when not published)."""
    territory = _page_territory(level, code)
    data = aggregates.territory_practices(territory)
    return csv_response(
        shares_as_shown(aggregates.csv_rows(territory, data)),
        f"pratiques-{territory.level}-{territory.code}.csv",
    )


def shares_as_shown(rows: list[list[Any]]) -> list[list[Any]]:
    """The released rows with the page's rounding rules (config.shares): in house, partnership
    and both add up to 100; ``environ`` says « oui » when a share sits at 0 or 100, where noise
    and rounding may have put it."""
    header, *lines = rows
    first = header.index("en_interne_pct")
    shown = [[*header, "environ"]]
    for line in lines:
        values = [None if v == "" else v for v in line[first : first + 4]]
        if all(v is None for v in values):
            shown.append([*line, ""])
            continue
        carried = largest_remainder(values[:3], step=10)
        cells = ["" if v is None else v for v in (*carried, values[3])]
        near = any(v is not None and near_bound(v) for v in (*carried, values[3]))
        shown.append([*line[:first], *cells, *line[first + 4 :], "oui" if near else "non"])
    return shown
