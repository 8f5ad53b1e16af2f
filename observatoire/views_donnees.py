"""« Données ouvertes » (/donnees/): the bulk files, their description and their checksums."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from observatoire import opendata


@login_not_required
@require_safe
def open_data_page(request: HttpRequest) -> HttpResponse:
    package = opendata.current_package()
    return render(request, "observatoire/open_data.html", {"package": package})


@login_not_required
@require_safe
def open_data_file(request: HttpRequest, name: str) -> FileResponse:
    """Only the files the current package names (and the package itself) are served."""
    package = opendata.current_package()
    allowed = {"datapackage.json"}
    for resource in (package or {}).get("resources", []):
        allowed |= {resource["path"], resource["parquet"]["path"]}
    if name not in allowed:
        raise Http404("Fichier inconnu.")
    path = opendata.folder() / name
    if not path.exists():
        raise Http404("Fichier inconnu.")
    # FileResponse closes the file once sent.
    response = FileResponse(path.open("rb"), as_attachment=name != "datapackage.json")
    if name.endswith(".csv"):
        response["Content-Type"] = "text/csv; charset=utf-8"
    return response
