from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from config.types import HtmxHttpRequest
from territoires.forms import territory_choice_label
from territoires.queries import search_territories


@require_GET
def search_options(request: HtmxHttpRequest) -> HttpResponse:
    """<option> elements for a TerritoryField's datalist. The widget sends its own name as the
    parameter, so the query is the first non-empty value of the request."""
    query = request.GET.get("q") or next((v for v in request.GET.values() if v), "")
    results = search_territories(query, limit=10)
    for territory in results:
        territory.choice_label = territory_choice_label(territory)
    return render(request, "territoires/_search_options.html", {"results": results})
