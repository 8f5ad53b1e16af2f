"""Cache-Control: private, no-store on everything a signed-in person receives."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import logged_in
from tests.pratiques.helpers import peers, submitted


def directives(response: Any) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.django_db
def test_private_pages_and_exports_are_never_stored(geo, alice, nadia) -> None:
    assessment = submitted(alice, geo.vincennes, 2, 2)
    peers(geo.vincennes, 5)
    catalyst, admin = logged_in(alice), logged_in(nadia)
    urls = [
        (catalyst, "/espace/catalyseur/"),
        (catalyst, "/pratiques/"),
        (catalyst, f"/pratiques/evaluations/{assessment.pk}/resultats/"),
        (catalyst, f"/pratiques/evaluations/{assessment.pk}/export.csv"),
        (catalyst, f"/pratiques/evaluations/{assessment.pk}/export.pdf"),
        (catalyst, f"/pratiques/evaluations/{assessment.pk}/export.xlsx"),
        (catalyst, f"/pratiques/evaluations/{assessment.pk}/resultats.csv"),
        (catalyst, "/pratiques/mes-donnees/"),
        (catalyst, "/pratiques/mes-donnees/export.csv"),
        (catalyst, "/territoires/commune/94080/"),  # public page, but with the person's name
        (admin, "/pratiques/administration/"),
        (admin, "/pratiques/administration/analyses/reponses-anonymisees.csv"),
        (admin, "/pratiques/administration/analyses/reponses-anonymisees.xlsx"),
        (admin, "/observatoire/imports/"),
        (admin, "/admin/"),
    ]
    for client, url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= directives(response), url


@pytest.mark.django_db
def test_fragments_and_refusals_are_private_too(geo, alice, htmx) -> None:
    client = logged_in(alice)
    assert {"private", "no-store"} <= directives(client.get("/pratiques/", headers=htmx))
    refused = client.get("/observatoire/imports/")
    assert refused.status_code == 403
    assert {"private", "no-store"} <= directives(refused)


@pytest.mark.django_db
def test_anonymous_public_pages_are_left_alone(geo) -> None:
    response = Client().get("/territoires/commune/94080/")
    assert response.status_code == 200
    assert "no-store" not in directives(response)


@pytest.mark.django_db
def test_a_view_that_says_public_is_respected(geo, alice, monkeypatch) -> None:
    monkeypatch.setattr(
        "observatoire.report.views.get_report", lambda territory: (b"%PDF-1.7 test", True)
    )
    response = logged_in(alice).get("/territoires/commune/94080/rapport.pdf")
    assert response.status_code == 200
    assert directives(response) == {"public", "max-age=300"}
