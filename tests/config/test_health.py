from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client


@pytest.mark.django_db
def test_it_works() -> None:
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_it_reports_a_database_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_cursor(*args: object, **kwargs: object) -> None:
        raise connection.Database.OperationalError("connexion refusée")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "injoignable"
