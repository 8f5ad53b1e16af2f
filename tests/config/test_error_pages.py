"""French error pages (400, 403, 404, 500) as served with DEBUG=False, and HEAD wherever GET."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path


@login_not_required
def _bad_request(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("donnée illisible")


@login_not_required
def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


@login_not_required
def _crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("panne simulée")


# This module is the URLconf of its own tests: the project's URLs plus views that fail on purpose.
urlpatterns = [
    path("essai/400/", _bad_request),
    path("essai/403/", _forbidden),
    path("essai/500/", _crash),
    path("", include("config.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def client(settings: Any) -> Client:
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_it_serves_a_french_400(client: Client) -> None:
    response = client.get("/essai/400/")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Demande refusée" in body and 'lang="fr"' in body
    assert "Bad Request" not in body


def test_it_serves_a_french_403(client: Client) -> None:
    response = client.get("/essai/403/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Accès refusé" in body and "Se connecter" in body
    assert "Forbidden" not in body


def test_it_serves_a_french_404(client: Client) -> None:
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page introuvable" in body and "Chercher un territoire" in body
    assert "Not Found" not in body


def test_it_serves_a_french_500(client: Client) -> None:
    response = client.get("/essai/500/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Une erreur est survenue" in body and 'href="/static/css/app.css"' in body
    assert "Server Error" not in body


@pytest.mark.parametrize("url", ["/", "/pratiques/grille/", "/territoires/recherche/?q=vin"])
def test_head_is_answered_wherever_get_is(client: Client, url: str) -> None:
    response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""
