"""The four legal pages (public) and the edition of their operator's text (network admins)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts.legal import queries
from accounts.legal.forms import LegalTextForm
from accounts.legal.models import LegalPage
from accounts.legal.services import LegalTextRefused, legal_text_save
from config.roles import Role, has_role, role_required
from config.types import AuthenticatedHttpRequest


def _page(slug: str) -> LegalPage:
    try:
        return LegalPage(slug)
    except ValueError:
        raise Http404("Page inconnue.") from None


@login_not_required
@require_safe
def legal_page(request: HttpRequest, page: str) -> HttpResponse:
    legal = _page(page)
    text = queries.legal_text(legal)
    context = {
        "page": legal,
        "text": text,
        "body": text.body if text else queries.DEFAULTS[legal],
        "can_edit": has_role(request.user, Role.NETWORK_ADMIN),
        "measures": queries.accessibility_measures() if legal == LegalPage.ACCESSIBILITY else None,
        "retention_days": settings.SESSION_COOKIE_AGE // 86400,
        "lockout_minutes": settings.AXES_COOLOFF_MINUTES,
        "anonymity_threshold": settings.ANONYMITY_THRESHOLD,
    }
    return render(request, "legal/page.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.NETWORK_ADMIN)
def legal_edit(request: AuthenticatedHttpRequest, page: str) -> HttpResponse:
    legal = _page(page)
    current = queries.legal_text(legal)
    initial = {"body": current.body if current else queries.DEFAULTS[legal]}
    form = LegalTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = legal_text_save(page=legal, body=form.cleaned_data["body"], author=request.user)
        except LegalTextRefused as error:
            form.add_error("body", str(error))
        else:
            messages.success(
                request,
                "Texte enregistré." if saved else "Texte inchangé : aucune version ajoutée.",
            )
            return redirect("legal:page", page=legal.value)
    context = {"page": legal, "form": form, "history": queries.legal_history(legal)}
    status = 400 if form.errors else 200
    return render(request, "legal/edit.html", context, status=status)
