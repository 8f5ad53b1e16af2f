from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.roles import Role, has_role


@login_not_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"roles": [r for r in Role if has_role(request.user, r)]})


@login_not_required
@require_safe
@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """200 when the app and its database answer, 503 otherwise (load balancers, compose)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "erreur", "database": "injoignable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
