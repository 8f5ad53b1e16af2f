"""Import of examples (CSV, XLSX): every bad row with its line, nothing committed; the
M.E.D.O.C. resources of kind « Exemples » become examples."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pratiques.examples.importing import ExamplesImportRefused, examples_import
from pratiques.examples.services import examples_from_resources
from pratiques.models import Example, ExampleStatus, Resource, ResourceKind
from territoires.models import Fragility
from tests.conftest import logged_in, ok
from tests.pratiques.helpers import current_practices

URL = reverse("pratiques:example_import")


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_good_file_imported(nadia: User, geo) -> None:
    fragility = Fragility.objects.order_by("order").first()
    practice = current_practices()[0]
    data = csv_bytes(
        "titre;resume;territoires;fragilites;pratiques;impact;annee;lien",
        f"Un jardin partagé;Des voisins.;94080 | region:84;{fragility.label};{practice.code};"
        "Confiance;2023;https://exemple.org/jardin",
        "Un second;Résumé.;;;;;;",
    )
    count = examples_import(actor=nadia, data=data, file_name="exemples.csv")
    assert count == 2
    garden = Example.objects.get(title="Un jardin partagé")
    assert garden.status == ExampleStatus.PROPOSED
    assert garden.fragilities == [fragility.code] and garden.practices == [practice.key]
    assert garden.impact == "confiance" and garden.year == 2023
    assert sorted(garden.region_codes) == ["11", "84"]


def test_every_bad_row_with_its_line_nothing_committed(nadia: User, geo) -> None:
    data = csv_bytes(
        "titre;resume;territoires;impact;annee;lien",
        "Bon;Résumé.;94080;;;",
        ";Sans titre.;;;;",
        "Mauvais territoire;R.;99999;;;",
        "Mauvais impact;R.;;rapide;3000;javascript:alert(1)",
    )
    with pytest.raises(ExamplesImportRefused) as refusal:
        examples_import(actor=nadia, data=data, file_name="exemples.csv")
    lines = [p.line for p in refusal.value.problems]
    assert lines == [3, 4, 5]
    text = " ".join(str(p) for p in refusal.value.problems)
    assert "titre manquant" in text and "territoire inconnu « 99999 »" in text
    assert "impact « rapide »" in text and "année « 3000 »" in text and "lien" in text
    assert not Example.objects.exists()


def test_xlsx_and_the_page(nadia: User, geo) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["titre", "resume", "territoires"])
    sheet.append(["Un exemple XLSX", "Résumé.", "42218"])
    sheet.append(["", "", "42218"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = logged_in(nadia)
    ok(client.get(URL))
    upload = SimpleUploadedFile("exemples.xlsx", buffer.getvalue())
    response = client.post(URL, {"file": upload, "status": "publie"})
    assert response.status_code == 400
    assert "ligne 3" in response.content.decode()
    assert not Example.objects.exists()


def test_missing_columns_refused(nadia: User) -> None:
    with pytest.raises(ExamplesImportRefused) as refusal:
        examples_import(actor=nadia, data=csv_bytes("nom;texte", "a;b"), file_name="x.csv")
    assert "« titre »" in str(refusal.value.problems[0])


def test_only_admins_import(alice: User) -> None:
    ok(logged_in(alice).get(URL), 403)


def test_medoc_examples_become_examples(db: None) -> None:
    assert Resource.objects.filter(kind=ResourceKind.EXAMPLES).count() == 3
    assert examples_from_resources() == 3
    assert examples_from_resources() == 0  # idempotent
    base = Example.objects.get(title="Base IMPACT-Alliances")
    assert base.status == ExampleStatus.PUBLISHED
    assert "1 200 exemples" in base.summary
    assert base.events.get().note.startswith("Ressource M.E.D.O.C.")
