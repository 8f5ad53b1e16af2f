"""The role spaces: one landing page per role (catalyst, network admin, official)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts import spaces
from config.roles import Role, has_role, role_required
from config.types import AuthenticatedHttpRequest, HtmxHttpRequest
from observatoire import follows
from territoires.forms import MandateForm

DASHBOARD_ROLES = {
    "catalyseur": Role.CATALYST,
    "administration": Role.NETWORK_ADMIN,
    "elu": Role.OFFICIAL,
}


@require_POST
@role_required(Role.OFFICIAL)
def followed_seen(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The official marks what changed on their followed territories as seen."""
    follows.followed_seen(request.user)
    messages.success(request, "Nouveautés marquées comme vues.")
    return redirect("dashboard", space="elu")


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


def _official_space(user: User) -> dict[str, object]:
    """Followed territories (what changed since the last visit) and declared mandates."""
    return {
        "followed": follows.followed_for_space(user),
        "mandates": list(user.mandates.select_related("territory")),
        "mandate_form": MandateForm(),
    }
