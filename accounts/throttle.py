"""What django-axes records of a login (the rate limit itself is ``config.throttle``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User


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
