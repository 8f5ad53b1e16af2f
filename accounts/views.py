from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import services
from accounts.forms import (
    DeleteAccountForm,
    InvitationAcceptForm,
    InviteForm,
    LoginForm,
    RolesForm,
    SignupConfirmForm,
    SignupForm,
    SignupResendForm,
)
from config import links, throttle
from config.links import LinkError, Purpose
from config.roles import Role, role_required, user_roles
from config.types import AuthenticatedHttpRequest, HtmxHttpRequest
from territoires.models import Mandate, MandateStatus

PEOPLE_PER_PAGE = 50
APPROVALS_SHOWN = 50
HISTORY_PER_PAGE = 50
ROLE_SPACES = {
    Role.CATALYST: "catalyseur",
    Role.NETWORK_ADMIN: "administration",
    Role.OFFICIAL: "elu",
}
STATUS_FILTERS = {
    "actif": Q(is_active=True),
    "desactive": Q(is_active=False, last_login__isnull=False),
    "en-attente": Q(is_active=False, last_login__isnull=True),
}
THROTTLED = "Trop de demandes en peu de temps : réessayez dans une heure."


def _client(request: HttpRequest) -> str:
    return get_client_ip_address(request) or "inconnue"


def _allowed(
    request: HttpRequest,
    scope: str,
    email: str,
    *,
    per_ip: int | None = None,
    per_email: int | None = None,
    window_minutes: int | None = None,
) -> bool:
    """Per address and per e-mail: both count every request, either one can refuse."""
    window = (window_minutes or settings.PASSWORD_RESET_WINDOW_MINUTES) * 60
    by_ip = throttle.allow(
        scope,
        f"ip:{_client(request)}",
        limit=per_ip or settings.PASSWORD_RESET_LIMIT,
        window_seconds=window,
    )
    by_email = throttle.allow(
        scope,
        f"email:{email.strip().lower()}",
        limit=per_email or settings.PASSWORD_RESET_LIMIT,
        window_seconds=window,
    )
    return by_ip and by_email


def _signup_allowed(request: HttpRequest, email: str) -> bool:
    """Sign-ups and link resends share one count: strict per e-mail (the mailbox of one person),
    generous per IP address (a room of people on one Wi-Fi at a network meeting)."""
    return _allowed(
        request,
        "signup",
        email,
        per_ip=settings.SIGNUP_LIMIT_PER_ADDRESS,
        per_email=settings.SIGNUP_LIMIT_PER_EMAIL,
        window_minutes=settings.SIGNUP_LIMIT_WINDOW_MINUTES,
    )


# --- landing after login -------------------------------------------------------------------------


@require_safe
@login_required
def landing(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One role → its space; several → a choice; none → the home page."""
    roles = user_roles(request.user)
    if len(roles) == 1:
        return redirect("dashboard", ROLE_SPACES[roles[0]])
    if not roles:
        return redirect("home")
    spaces = [(role, ROLE_SPACES[role]) for role in roles]
    return render(request, "comptes/landing.html", {"spaces": spaces})


# --- Django's auth views: an invalid form answers 400, as every form of the platform ----------------


def _bad_request(response: HttpResponse) -> HttpResponse:
    response.status_code = 400
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_invalid(self, form: Any) -> HttpResponse:
        return _bad_request(super().form_invalid(form))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        if isinstance(form, LoginForm) and form.unconfirmed:
            context["resend_email"] = (form.data.get("username") or "").strip()
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_invalid(self, form: Any) -> HttpResponse:
        return _bad_request(super().form_invalid(form))


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_invalid(self, form: Any) -> HttpResponse:
        return _bad_request(super().form_invalid(form))


# --- password reset, throttled ---------------------------------------------------------------------


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset flow, with at most PASSWORD_RESET_LIMIT requests per address and per e-mail
    in PASSWORD_RESET_WINDOW_MINUTES (django-axes only watches logins)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _allowed(request, "password-reset", request.POST.get("email", "")):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, THROTTLED)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        return _bad_request(super().form_invalid(form))


# --- sign-up ---------------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:landing")
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not _signup_allowed(request, request.POST.get("email", "")):
            form.is_valid()
            form.add_error(None, THROTTLED)
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            services.signup_request(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
            request.session["signup_email"] = data["email"]
            return redirect("accounts:signup_sent")
        else:
            status = 400
    return render(request, "comptes/signup.html", {"form": form}, status=status)


@login_not_required
@require_safe
def signup_sent(request: HttpRequest) -> HttpResponse:
    context = {
        "email": request.session.get("signup_email", ""),
        "hours": settings.SIGNUP_LINK_MAX_AGE_HOURS,
    }
    return render(request, "comptes/signup_sent.html", context)


def _link_error(request: HttpRequest, error: LinkError, purpose: Purpose) -> HttpResponse:
    return render(
        request, "comptes/link_error.html", {"message": str(error), "purpose": purpose}, status=400
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the password form (mail scanners follow links: nothing changes); POST sets the
    password, activates and signs in."""
    try:
        user = links.check_link_token(token, Purpose.SIGNUP)
        if not services.is_pending_signup(user):
            raise LinkError(LinkError.USED)
    except LinkError as error:
        return _link_error(request, error, Purpose.SIGNUP)
    form = SignupConfirmForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.signup_confirm(token=token, password=form.cleaned_data["password1"])
        except LinkError as error:
            return _link_error(request, error, Purpose.SIGNUP)
        if request.user.is_authenticated:
            logout(request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Votre adresse est confirmée : bienvenue !")
        return redirect("dashboard", "catalyseur")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "comptes/signup_confirm.html", {"invited": user, "form": form}, status=status
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_resend(request: HttpRequest) -> HttpResponse:
    """The confirmation link again (same answer whether the address is pending or not)."""
    if request.method == "POST":
        form = SignupResendForm(request.POST)
    else:  # prefilled from the login page
        form = SignupResendForm(initial={"email": request.GET.get("email", "")[:150]})
    status = 200
    if request.method == "POST":
        if not _signup_allowed(request, request.POST.get("email", "")):
            form.is_valid()
            form.add_error(None, THROTTLED)
            status = 429
        elif form.is_valid():
            services.signup_resend(email=form.cleaned_data["email"])
            request.session["signup_email"] = form.cleaned_data["email"]
            return redirect("accounts:signup_sent")
        else:
            status = 400
    context = {"form": form, "hours": settings.SIGNUP_LINK_MAX_AGE_HOURS}
    return render(request, "comptes/signup_resend.html", context, status=status)


# --- invitations -----------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = links.check_link_token(token, Purpose.INVITATION)
        if not services.is_pending_invitation(user):
            raise LinkError(LinkError.USED)
    except LinkError as error:
        return _link_error(request, error, Purpose.INVITATION)
    form = InvitationAcceptForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except LinkError as error:
            return _link_error(request, error, Purpose.INVITATION)
        if request.user.is_authenticated:
            logout(request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Votre compte est prêt : bienvenue !")
        return redirect("accounts:landing")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "comptes/invitation_accept.html",
        {"form": form, "invited": user, "roles": services.role_labels(user_roles(user))},
        status=status,
    )


# --- deletion on request ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        services.account_delete(user=user)
        logout(request)
        messages.success(
            request,
            "Votre compte et vos données personnelles ont été supprimés. Les statistiques "
            "anonymisées déjà diffusées restent, sans rien qui permette de vous identifier.",
        )
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "comptes/account_delete.html", {"form": form}, status=status)


# --- people management (network admins) ----------------------------------------------------------------


@require_safe
@role_required(Role.NETWORK_ADMIN)
def people(request: AuthenticatedHttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    status = request.GET.get("statut", "")
    users = User.objects.exclude(username__startswith="compte-supprime-").prefetch_related("groups")
    if q:
        users = users.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
            | Q(username__icontains=q)
        )
    if role in {r.value for r in Role}:
        users = users.filter(groups__name=role)
    if status in STATUS_FILTERS:
        users = users.filter(STATUS_FILTERS[status])
    page = Paginator(
        users.order_by("last_name", "first_name", "email", "pk"), PEOPLE_PER_PAGE
    ).get_page(request.GET.get("page"))
    role_labels = {r.value: str(r.label) for r in Role}
    rows = [
        {
            "user": user,
            "roles": [role_labels[g.name] for g in user.groups.all() if g.name in role_labels],
            "status": services.status_label(user),
        }
        for user in page.object_list
    ]
    context = {
        "rows": rows,
        "page": page,
        "q": q,
        "role": role,
        "status": status,
        "roles": list(Role),
        "status_choices": [
            ("actif", "actif"),
            ("en-attente", "en attente"),
            ("desactive", "désactivé"),
        ],
        "lockouts": services.lockouts(),
        "pending_mandates": list(
            Mandate.objects.filter(status=MandateStatus.PENDING)
            .select_related("user", "territory")
            .order_by("declared_at")
        ),
        "invite_form": InviteForm(),
        # The to-do of approvals heads the unfiltered list only (a search looks for accounts).
        "approvals": []
        if (q or role or status or request.htmx)
        else list(services.approval_queue()[:APPROVALS_SHOWN]),
        "filtering": bool(q or role or status),
    }
    template = "comptes/people.html"
    if request.htmx:
        template += "#people_table"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@role_required(Role.NETWORK_ADMIN)
def people_invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.invitation_send(
                actor=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                roles=[Role(r) for r in data["roles"]],
            )
        except services.AccountRefused as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"Invitation envoyée à {user.email}.")
            return redirect("accounts:person", user.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "days": settings.INVITATION_LINK_MAX_AGE_DAYS}
    return render(request, "comptes/people_invite.html", context, status=status)


def _history(user: User | None = None) -> Any:
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User)
    ).select_related("user")
    if user is not None:
        entries = entries.filter(object_id=str(user.pk))
    return entries.order_by("-action_time", "-pk")


@require_safe
@role_required(Role.NETWORK_ADMIN)
def person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _person_page(request, get_object_or_404(User, pk=pk))


def _person_page(
    request: AuthenticatedHttpRequest,
    user: User,
    *,
    roles_form: RolesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "person": user,
        "status": services.status_label(user),
        "pending_invitation": services.is_pending_invitation(user),
        "standing": services.standing_of(user),
        "roles_form": roles_form
        or RolesForm(initial={"roles": [g.name for g in user.groups.all()]}),
        "mandates": list(user.mandates.select_related("territory")),
        "lockouts": [lock for lock in services.lockouts() if lock.username == user.username],
        "history": list(_history(user)[:HISTORY_PER_PAGE]),
    }
    return render(request, "comptes/person.html", context, status=status)


def _person_action(
    request: AuthenticatedHttpRequest, pk: int, action: Any, success: str
) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    try:
        action(user)
    except services.AccountRefused as error:
        messages.error(request, str(error))
        return redirect("accounts:person", pk)
    messages.success(request, success)
    return redirect("accounts:person", pk)


@require_POST
@role_required(Role.NETWORK_ADMIN)
def person_roles(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The roles form: an unknown role is shown on it (400), a refusal of the service too (409)."""
    user = get_object_or_404(User, pk=pk)
    form = RolesForm(request.POST)
    if not form.is_valid():
        return _person_page(request, user, roles_form=form, status=400)
    roles = [Role(r) for r in form.cleaned_data["roles"]]
    try:
        services.roles_set(actor=request.user, user=user, roles=roles)
    except services.AccountRefused as refusal:
        form.add_error(None, refusal)
        return _person_page(request, user, roles_form=form, status=409)
    messages.success(request, "Rôles enregistrés.")
    return redirect("accounts:person", pk)


@require_POST
@role_required(Role.NETWORK_ADMIN)
def person_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    active = request.POST.get("active") == "oui"
    return _person_action(
        request,
        pk,
        lambda user: services.account_active_set(actor=request.user, user=user, active=active),
        "Compte réactivé." if active else "Compte désactivé (ou invitation annulée).",
    )


@require_POST
@role_required(Role.NETWORK_ADMIN)
def person_resend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _person_action(
        request,
        pk,
        lambda user: services.invitation_resend(actor=request.user, user=user),
        "Invitation renvoyée.",
    )


@require_POST
@role_required(Role.NETWORK_ADMIN)
def person_approval(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Approve a signed-up catalyst (they count in the network's figures) or withdraw it."""
    user = get_object_or_404(User, pk=pk)
    decision = request.POST.get("decision")
    target = request.POST.get("next", "")
    back = (
        target
        if target.startswith("/comptes/personnes/")
        else reverse("accounts:person", args=[pk])
    )
    if decision not in {"approuver", "retirer"}:
        messages.error(request, "Choisissez d'approuver ou de retirer l'approbation.")
        return redirect(back)
    try:
        if decision == "approuver":
            services.approval_grant(actor=request.user, user=user)
        else:
            services.approval_withdraw(actor=request.user, user=user)
    except services.AccountRefused as error:
        messages.error(request, str(error))
        return redirect(back)
    name = user.get_full_name() or user.email
    messages.success(
        request,
        f"{name} compte désormais dans les chiffres du réseau."
        if decision == "approuver"
        else f"{name} ne compte plus dans les chiffres du réseau (à partir de la prochaine diffusion).",
    )
    return redirect(back)


@require_POST
@role_required(Role.NETWORK_ADMIN)
def lockout_lift(request: AuthenticatedHttpRequest) -> HttpResponse:
    username = request.POST.get("username", "").strip()
    if not username:
        messages.error(request, "Indiquez l'identifiant dont il faut lever le verrou.")
    else:
        services.lockout_lift(
            actor=request.user, username=username, ip_address=request.POST.get("ip", "").strip()
        )
        messages.success(request, f"Verrou levé pour « {username} ».")
    target = request.POST.get("next", "")
    return redirect(
        target if target.startswith("/comptes/personnes/") else reverse("accounts:people")
    )


@require_POST
@role_required(Role.NETWORK_ADMIN)
def mandate_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mandate = get_object_or_404(Mandate.objects.select_related("user", "territory"), pk=pk)
    decision = request.POST.get("decision")
    if decision not in {"confirmer", "refuser"}:
        messages.error(request, "Choisissez de confirmer ou de refuser le mandat.")
    else:
        services.mandate_decide(
            actor=request.user, mandate=mandate, confirm=decision == "confirmer"
        )
        messages.success(
            request,
            f"Mandat {'confirmé' if decision == 'confirmer' else 'refusé'} : {mandate.territory}.",
        )
    return redirect("accounts:people")


@require_safe
@role_required(Role.NETWORK_ADMIN)
def people_history(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(_history(), HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "comptes/people_history.html", {"page": page})
