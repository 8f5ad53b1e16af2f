from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from config.roles import Role, has_role


def platform(request: HttpRequest) -> dict[str, Any]:
    # An error page rendered before the authentication middleware ran (a Host outside
    # ALLOWED_HOSTS is refused by CommonMiddleware) has no request.user: anonymous then.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "is_catalyst": has_role(user, Role.CATALYST),
        "is_network_admin": has_role(user, Role.NETWORK_ADMIN),
        "is_official": has_role(user, Role.OFFICIAL),
    }
