from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from config.roles import Role, has_role


def platform(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "is_catalyst": has_role(user, Role.CATALYST),
        "is_network_admin": has_role(user, Role.NETWORK_ADMIN),
        "is_official": has_role(user, Role.OFFICIAL),
    }
