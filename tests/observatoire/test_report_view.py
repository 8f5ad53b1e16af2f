from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from observatoire.report import render
from tests.conftest import ok
from tests.observatoire.report_helpers import pdf_pages, pdf_text


@pytest.fixture(autouse=True)
def cache_dir(settings: Any, tmp_path: Any) -> Any:
    settings.CACHE_DIR = tmp_path
    return tmp_path


@pytest.mark.chromium
@pytest.mark.django_db
def test_it_works(geo: Any) -> None:
    response = Client().get("/territoires/commune/94080/rapport.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="rapport-vincennes-94080.pdf"'
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    pages = pdf_pages(pdf)
    # Cover; fragilities; then practices, resources and method flowing one after the other
    # (short without indicators or assessments).
    assert 2 <= len(pages) <= 4
    assert (
        f"Page 1 sur {len(pages)}" in pages[0]
        and f"Page {len(pages)} sur {len(pages)}" in pages[-1]
    )
    assert "Profil de fragilités" in pages[1]
    # Parts after the first flow: the practices may start on the fragilities' page.
    assert any("Pratiques d’ingénierie sur le territoire" in page for page in pages[1:3])
    assert "Vincennes" in pages[0]
    assert "48 193 habitants" in pages[0]
    assert "moins de 50 000 habitants" in pages[0]
    assert "entrepreneuriat territorial" in pages[0]
    assert "Val-de-Marne (94)" in pages[0]
    text = pdf_text(pdf)
    assert "Profil de fragilités" in text and "Méthode et sources" in text
    assert "Mobilité / transport" in text  # the 16 domains are listed


@pytest.mark.chromium
@pytest.mark.django_db
def test_it_is_a_tagged_pdf_with_title_and_language(geo: Any) -> None:
    pdf = Client().get("/territoires/epci/244200770/rapport.pdf").content
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Rapport de territoire — Saint-Étienne Métropole (244200770)"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    # Fonts are embedded (no reliance on the reader's fonts).
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    assert fonts
    for font in fonts:
        descriptor = (
            font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if "/DescendantFonts" in font
            else font.get("/FontDescriptor")
        )
        if descriptor is not None:  # Type 3 fonts (drawn glyphs) have none
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())


@pytest.mark.chromium
@pytest.mark.django_db
def test_it_needs_no_account_and_answers_htmx_with_the_same_pdf(geo: Any, htmx: dict) -> None:
    response = Client().get("/territoires/departement/94/rapport.pdf", headers=htmx)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Val-de-Marne" in pdf_pages(response.content)[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/territoires/commune/99999/rapport.pdf",
        "/territoires/planete/94080/rapport.pdf",
        "/territoires/pays/FR/rapport.pdf",
        "/territoires/epci/94080/rapport.pdf",
    ],
)
def test_unknown_territory_is_404(geo: Any, url: str) -> None:
    assert Client().get(url).status_code == 404


@pytest.mark.chromium
@pytest.mark.django_db
def test_second_download_comes_from_the_cache(geo: Any, django_assert_max_num_queries: Any) -> None:
    client = Client()
    before = render.stats["renders"]
    first = client.get("/territoires/commune/42218/rapport.pdf")
    assert first["X-Report-Cache"] == "miss"
    assert render.stats["renders"] == before + 1
    # 13: the cache key reads the territory's latest published dialogue too (issue 25).
    with django_assert_max_num_queries(13):
        second = ok(client.get("/territoires/commune/42218/rapport.pdf"))
    assert second["X-Report-Cache"] == "hit"
    assert second.content == first.content
    assert render.stats["renders"] == before + 1


@pytest.mark.chromium
@pytest.mark.django_db
def test_it_is_rebuilt_when_the_territory_changes(geo: Any, cache_dir: Any) -> None:
    client = Client()
    client.get("/territoires/commune/42095/rapport.pdf")
    geo.firminy.population = 17_001
    geo.firminy.save()
    before = render.stats["renders"]
    response = client.get("/territoires/commune/42095/rapport.pdf")
    assert response["X-Report-Cache"] == "miss"
    assert render.stats["renders"] == before + 1
    assert "17 001 habitants" in pdf_pages(response.content)[0]
    # The stale file was replaced, not kept beside the new one.
    assert len(list((cache_dir / "reports" / "commune").glob("42095-*.pdf"))) == 1


@pytest.mark.chromium
@pytest.mark.django_db
def test_a_territory_without_population_or_members(geo: Any) -> None:
    from territoires.models import Level, Territory

    Territory.objects.create(
        level=Level.COMMUNE, code="97501", name="Saint-Pierre", population=None, region=geo.idf
    )
    Territory.objects.create(level=Level.PROJECT, code="pays-vide", name="Pays vide")
    commune = pdf_pages(Client().get("/territoires/commune/97501/rapport.pdf").content)
    assert "Population non renseignée : segment non déterminé." in commune[0]
    project = Client().get("/territoires/projet/pays-vide/rapport.pdf")
    assert project.status_code == 200
    assert (
        project["Content-Disposition"] == 'attachment; filename="rapport-pays-vide-pays-vide.pdf"'
    )
