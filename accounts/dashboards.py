"""The role spaces: one landing page per role (catalyst, network admin, official)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts import spaces
from config.roles import Role, has_role
from config.types import HtmxHttpRequest
from observatoire.follows import followed_for_space
from territoires.forms import MandateForm

DASHBOARD_ROLES = {
    "catalyseur": Role.CATALYST,
    "administration": Role.NETWORK_ADMIN,
    "elu": Role.OFFICIAL,
}


@require_safe
def dashboard(request: HtmxHttpRequest, space: str) -> HttpResponse:
    """One landing space per role; the HTMX request gets the link list only."""
    role = DASHBOARD_ROLES.get(space)
    if role is None:
        raise Http404("Espace inconnu.")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_role(request.user, role):
        raise PermissionDenied
    template = f"dashboard_{space}.html"
    if request.htmx:
        template += "#links"
    context: dict[str, object] = {"role": role, **_space_context(request, space)}
    if space == "elu" and not request.htmx and isinstance(request.user, User):
        context |= _official_space(request.user)
    return render(request, template, context)


def _space_context(request: HtmxHttpRequest, space: str) -> dict[str, object]:
    """What the catalyst's and the admin's spaces show (not for the link-list fragment)."""
    if request.htmx:
        return {}
    if space == "catalyseur":
        return spaces.catalyst_space(request.user)
    if space == "administration":
        return spaces.admin_space()
    return {}


def _official_space(user: User) -> dict:
    """Followed territories (what changed since the last visit) and declared mandates."""
    return {
        "followed": followed_for_space(user),
        "mandates": list(user.mandates.select_related("territory")),
        "mandate_form": MandateForm(),
    }
