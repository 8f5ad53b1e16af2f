from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from config.typography import french_html


class FrenchTypographyMiddleware:
    """HTML pages and fragments under ``settings.FRENCH_TYPOGRAPHY_PATHS`` get the report's French
    typography (one owner of the rules): non-breaking spaces before « : ; ? ! », « 1er mars »."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and request.path.startswith(tuple(settings.FRENCH_TYPOGRAPHY_PATHS))
            and response.get("Content-Type", "").startswith("text/html")
            and not response.streaming
            and not response.has_header("Content-Encoding")
            and response.content
        ):
            charset = response.charset or "utf-8"
            response.content = french_html(response.content.decode(charset)).encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
