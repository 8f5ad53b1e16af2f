from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from pypdf import PdfReader

from pratiques.models import Assessment, OrganisationMembership, PeerBucket
from tests.conftest import logged_in, ok
from tests.pratiques.helpers import answer_all, current_practices, start, submitted

pytestmark = pytest.mark.django_db


def test_csv_export_of_one_assessment(alice: User, geo) -> None:
    assessment = submitted(alice, geo.vincennes, 2, 3)
    response = logged_in(alice).get(f"/pratiques/evaluations/{assessment.pk}/export.csv")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    lines = text.strip().splitlines()
    assert len(lines) == 25 and lines[0].startswith("auto_evaluation;version_grille")
    assert "Financer les projets" in text and "Régulièrement" in text and "Pilote" in text


def test_pdf_export_is_one_page(alice: User, geo, tmp_path) -> None:
    assessment = start(alice, geo.vincennes)  # a draft with one answer and 23 unanswered
    answer_all(assessment, 2, 3, only=current_practices()[:1])
    response = logged_in(alice).get(f"/pratiques/evaluations/{assessment.pk}/export.pdf")
    assert response["Content-Type"] == "application/pdf"
    (tmp_path / "export.pdf").write_bytes(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "Financer les projets" in reader.pages[0].extract_text()


def test_my_data_page(alice: User, htmx) -> None:
    client = logged_in(alice)
    assert "Tout supprimer" in client.get("/pratiques/mes-donnees/").content.decode()
    # A page of its own (no link swaps it in): an HTMX request gets the whole page.
    page = client.get("/pratiques/mes-donnees/", headers=htmx).content.decode()
    assert "<html" in page and 'id="my-data"' in page


def test_export_all_my_data(alice: User, bob: User, geo) -> None:
    submitted(alice, geo.vincennes, 2, 3)
    start(alice, geo.vincennes)
    submitted(bob, geo.vincennes, 1, 1)
    text = logged_in(alice).get("/pratiques/mes-donnees/export.csv").content.decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 1 + 48


def test_delete_all_my_data(alice: User, bob: User, geo) -> None:
    submitted(alice, geo.vincennes, 2, 3, organisation_name="Asso")
    submitted(bob, geo.vincennes, 1, 1)
    client = logged_in(alice)
    refused = client.post("/pratiques/mes-donnees/supprimer/", {})
    assert Assessment.objects.filter(user=alice).exists()  # no confirmation, nothing deleted
    html = ok(refused, 400).content.decode()  # the page again, the error beside the box
    assert 'aria-describedby="confirm-erreur"' in html
    assert "Cochez la case de confirmation pour supprimer vos données." in html
    client.post("/pratiques/mes-donnees/supprimer/", {"confirm": "oui"})
    assert not Assessment.objects.filter(user=alice).exists()
    assert not OrganisationMembership.objects.filter(user=alice).exists()
    assert PeerBucket.objects.get(group_kind="all", dimension="n").count == 1
    assert Assessment.objects.filter(user=bob).exists()
