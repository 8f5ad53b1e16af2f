"""What every API answer shares: read-only CORS, HEAD, ETag/If-None-Match, an anonymous rate
limit (fixed one-minute window, one upsert in an UNLOGGED table) and JSON errors with a stable code."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers

from observatoire.services import api_call_counted

type View = Callable[..., HttpResponse]

DEFAULT_ANON_RATE = 60  # calls per minute and per address, for callers without a session
ALLOWED_METHODS = "GET, HEAD, OPTIONS"


def error(status: int, code: str, message: str, details: list[Any] | None = None) -> JsonResponse:
    """The one shape of an API error: ``{"code", "message", "details"}``."""
    return JsonResponse({"code": code, "message": message, "details": details}, status=status)


def anon_rate() -> int:
    return int(getattr(settings, "API_ANON_RATE_PER_MINUTE", DEFAULT_ANON_RATE))


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "") or "inconnu")


def rate_limited(request: HttpRequest) -> HttpResponse | None:
    """A 429 once an anonymous address has made ``anon_rate()`` calls this minute."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    now = time.time()
    window = int(now // 60)
    count = api_call_counted(_client(request), window)  # one upsert
    if count <= anon_rate():
        return None
    retry = max(1, int((window + 1) * 60 - now))
    response = error(
        429,
        "trop_de_requetes",
        f"Plus de {anon_rate()} appels par minute : réessayez dans {retry} s.",
    )
    response["Retry-After"] = str(retry)
    return response


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
    return response


def open_data(view: View) -> View:
    """Wraps one API view (see ``observatoire.api.urls``)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":  # a CORS preflight: read-only, no credentials
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = "If-None-Match"
            response["Access-Control-Max-Age"] = "86400"
            return _cors(response)
        if request.method not in ("GET", "HEAD"):
            response = error(405, "methode_non_permise", "Cette API est en lecture seule.")
            response["Allow"] = ALLOWED_METHODS
            return _cors(response)
        limited = rate_limited(request)
        if limited is not None:
            return _cors(limited)
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = view(request, *args, **kwargs)
        if head:
            request.method = "HEAD"
        if response.status_code == 200 and not response.streaming:
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            response["ETag"] = etag
            conditional = get_conditional_response(request, etag=etag, response=response)
            if conditional is not None:
                response = conditional
        response.setdefault("Cache-Control", "public, max-age=60")
        patch_vary_headers(response, ["Cookie"])
        if head and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return _cors(response)

    wrapped.login_required = False  # type: ignore[attr-defined]  # public (LoginRequiredMiddleware)
    wrapped.csrf_exempt = True  # type: ignore[attr-defined]  # nothing is written
    return wrapped
