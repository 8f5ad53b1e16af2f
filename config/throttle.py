"""A small fixed-window rate limit in Django's cache: password reset and sign-up requests
(accounts), a territorial dialogue's open link (observatoire)."""

from __future__ import annotations

import hashlib

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
