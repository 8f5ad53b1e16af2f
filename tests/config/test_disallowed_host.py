"""A request for a host outside ALLOWED_HOSTS is refused with the French 400 page, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(settings: Any) -> Client:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["plateforme.exemple.fr"]
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", ["/", "/comptes/login/", "/page-inconnue/"])
def test_an_unknown_host_gets_a_400(client: Client, url: str) -> None:
    response = client.get(url, HTTP_HOST="attaquant.exemple.com")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Demande refusée" in body and 'lang="fr"' in body


def test_a_known_host_is_served(client: Client) -> None:
    response = client.get("/", HTTP_HOST="plateforme.exemple.fr")
    assert response.status_code == 200
