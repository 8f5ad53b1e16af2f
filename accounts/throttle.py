"""A small fixed-window rate limit in Django's cache (password reset and sign-up requests)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.models import User
from django.core.cache import cache


def allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Counts one request for (scope, key); False once more than ``limit`` fell in the window."""
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"throttle:{scope}:{digest}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit


def axes_username(request: Any, credentials: dict[str, Any] | None = None) -> str | None:
    """The username django-axes records, cut to the length of a real username: a login posted with
    a 10 000-character name is refused like any other, not stored as is (a 500 on the database)."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    if username is None:
        return None
    return str(username)[: User._meta.get_field("username").max_length]
