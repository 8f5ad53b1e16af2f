"""Cross-cutting request and response handling, once for all: malformed input is answered before
any view or query sees it; private responses are never cached; a database outage answers 503."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

# No address of the platform has a path segment this long (codes, slugs, ids are short).
MAX_PATH_SEGMENT = 200
MAX_PATH = 2_000
# Identifiers are PostgreSQL bigints (at most 19 digits); a longer number names nothing.
MAX_DIGITS = 18
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def bad_request(request: HttpRequest, reason: str, status: int = 400) -> HttpResponse:
    html = render_to_string("400.html", {"reason": reason, "status": status})
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


class MalformedInputMiddleware:
    """NUL characters (PostgreSQL text cannot hold them), absurd lengths or numbers beyond a
    bigint in the path → 404;
    NUL in a query parameter or a form field → 400; a body above the upload limit → 413.

    A NUL byte is never meaningful in an address or a form of the platform, so refusing it here
    keeps every view, form and query from having to."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (
            "\x00" in path
            or len(path) > MAX_PATH
            or any(
                len(segment) > MAX_PATH_SEGMENT or (segment.isdigit() and len(segment) > MAX_DIGITS)
                for segment in path.split("/")
            )
        ):
            raise Http404("Adresse invalide.")
        if _has_nul(request.GET):
            return bad_request(
                request,
                "Un paramètre de l’adresse contient un caractère nul (%00) : il est refusé.",
            )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_BYTES + 1_048_576:
            return bad_request(
                request,
                f"Envoi refusé : il dépasse {settings.UPLOAD_MAX_BYTES // 1_048_576} Mo. "
                "Un fichier plus gros s’importe avec la commande manage.py import_indicateurs.",
                status=413,
            )
        is_form = request.method == "POST" and request.content_type in FORM_CONTENT_TYPES
        if is_form and _has_nul(request.POST):
            return bad_request(
                request, "Un champ du formulaire contient un caractère nul : il est refusé."
            )
        return self.get_response(request)


def _has_nul(data: object) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in data.lists()  # type: ignore[attr-defined]
    )


UNAVAILABLE = (
    "Service momentanément indisponible : la base de données ne répond pas. "
    "Rien n’a été enregistré par cette demande ; réessayez dans quelques secondes."
)


class PrivateCacheControlMiddleware:
    """What a signed-in person receives is private: no shared cache, nothing kept on disk.

    Every response to an authenticated request (pages, fragments, CSV/PDF/XLSX exports, the admin)
    gets ``Cache-Control: private, no-store`` unless its view set Cache-Control itself (the public
    territory report says ``public, max-age=300``: it is the same for everyone).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Cache-Control" not in response and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class DatabaseUnavailableMiddleware:
    """A database restart or outage answers 503 with a French message, not a 500 traceback page.

    The autosave script retries on it; nothing was acknowledged, so nothing is lost.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Base de données indisponible (%s) : %s", request.path, exception)
        if getattr(request, "htmx", False):
            body = f'<span class="save-state error" role="alert">{UNAVAILABLE}</span>'
        else:
            body = (
                '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
                "<title>Service momentanément indisponible</title></head>"
                f"<body><h1>Service momentanément indisponible</h1><p>{UNAVAILABLE}</p></body></html>"
            )
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "5"
        patch_cache_control(response, no_store=True)
        return response
