"""Cross-cutting response headers."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


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
