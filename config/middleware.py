"""Cross-cutting response headers."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

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
