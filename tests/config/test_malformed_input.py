"""The 22 HTTP 500 found by hand (NUL bytes, over-long values) now get a 4xx."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from pratiques.models import Answer
from tests.conftest import logged_in
from tests.pratiques.helpers import current_practices, start

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = [
    f"/territoires/commune/{code}/{suffix}"
    for code in ("%00", "94080%00", "%0094080")
    for suffix in ("", "indicateurs/", "indicateurs.csv", "rapport.pdf")
] + [
    "/pratiques/territoires/commune/%00/",
    "/pratiques/territoires/commune/94080%00/",
    "/territoires/projet/%00/",
    "/territoires/projet/abc%00/",
    "/territoires/%00/94080/",
    "/pratiques/grille/%00/",
]
ADMIN_PATHS = [
    "/territoires/projet/%00/modifier/",
    "/territoires/commune/%00/maturite/",
    "/territoires/commune/94080%00/fragilites/",
    "/observatoire/rapports/" + "a" * 5_000 + "/",
    "/observatoire/rapports/" + "a" * 100 + "/",
    "/pratiques/administration/versions/%00/",
]


def client(raise_errors: bool = False) -> Client:
    return Client(raise_request_exception=raise_errors)


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_nul_in_a_public_path_is_not_found(path: str, geo: Any) -> None:
    response = client().get(path)
    assert response.status_code == 404, path
    assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize("path", ADMIN_PATHS)
def test_nul_or_length_in_an_admin_path_is_not_found(path: str, nadia: User, geo: Any) -> None:
    response = logged_in(nadia).get(path)
    assert response.status_code == 404, path


@pytest.mark.parametrize(
    "path",
    [
        "/pratiques/administration/historique/?version=%00",
        "/pratiques/administration/historique/?page=%00",
        "/pratiques/administration/comparer/?de=%00&a=2024",
        "/territoires/recherche/?q=%00",
        "/territoires/recherche/?q=vin%00cennes",
        "/territoires/recherche/options/?q=%00",
        "/?%00=1",
    ],
)
def test_nul_in_a_query_parameter_is_a_bad_request(path: str, nadia: User, geo: Any) -> None:
    response = logged_in(nadia).get(path)
    assert response.status_code == 400, path
    html = response.content.decode()
    assert "caractère nul" in html and '<html lang="fr">' in html


def test_an_autosave_comment_with_nul_is_refused_and_nothing_is_saved(
    alice: User, geo: Any, htmx: dict[str, str]
) -> None:
    assessment = start(alice, geo.vincennes)
    practice = current_practices()[0]
    response = logged_in(alice).post(
        f"/pratiques/evaluations/{assessment.pk}/reponses/{practice.pk}/",
        {f"p{practice.pk}-frequency": "2", f"p{practice.pk}-comment": "avant\x00après"},
        headers=htmx,
    )
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_a_nul_anywhere_in_a_form_is_refused(nadia: User, geo: Any) -> None:
    response = logged_in(nadia).post(
        "/territoires/projet/nouveau/", {"name": "Pays\x00", "kind": "petr"}
    )
    assert response.status_code == 400


def test_a_nul_in_a_file_upload_content_is_left_to_the_import(nadia: User, settings: Any) -> None:
    """File contents are not form fields: the import itself answers (see the import tests)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    response = logged_in(nadia).post(
        "/observatoire/imports/",
        {"kind": "catalogue", "catalogue-file": SimpleUploadedFile("c.csv", b"code\x00;x\n")},
    )
    assert response.status_code == 302


def test_ordinary_requests_still_work(geo: Any) -> None:
    assert client(raise_errors=True).get("/territoires/commune/94080/").status_code == 200
    assert client(raise_errors=True).get("/territoires/recherche/?q=vincennes").status_code == 200
