"""The one PDF pipeline (config.pdf): every PDF of the project is a tagged PDF/UA-1 document
rendered with the process's shared cache and fonts."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from pypdf import PdfReader

from config import pdf
from tests.conftest import logged_in
from tests.pratiques.helpers import answer_all, current_practices, start

HTML = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Essai</title></head>'
    "<body><h1>Essai</h1><p>Un paragraphe.</p></body></html>"
)


def tagged(document: bytes) -> bool:
    root = PdfReader(io.BytesIO(document)).trailer["/Root"]
    return "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_it_renders_a_tagged_pdf_with_shared_fonts() -> None:
    before = pdf.stats.get("essai", 0)
    first = pdf.html_to_pdf(HTML, kind="essai")
    fonts = pdf.font_config()
    second = pdf.html_to_pdf(HTML, kind="essai")
    assert first.startswith(b"%PDF") and tagged(first) and tagged(second)
    assert pdf.font_config() is fonts  # one font configuration for the process
    assert pdf.stats["essai"] == before + 2
    reader = PdfReader(io.BytesIO(first))
    assert reader.metadata.title == "Essai" and "Un paragraphe" in reader.pages[0].extract_text()


@pytest.mark.django_db
def test_the_self_assessment_pdf_goes_through_it(alice: User, geo) -> None:
    assessment = start(alice, geo.vincennes)
    answer_all(assessment, 2, 3, only=current_practices()[:1])
    before = pdf.stats.get("self-assessment", 0)
    response = logged_in(alice).get(f"/pratiques/evaluations/{assessment.pk}/export.pdf")
    assert response.status_code == 200 and tagged(response.content)
    assert pdf.stats["self-assessment"] == before + 1


def test_a_pdf_fetches_local_resources_only_with_one_fetcher_per_process() -> None:
    """No PDF reaches the network (an address in a text typed by someone stays text), and the
    fetcher, with its SSL context, is built once per process rather than once per document."""
    fetcher = pdf.url_fetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("https://example.org/image.png")
    document = '<html lang="fr"><head><title>t</title></head><body><p>Texte</p></body></html>'
    assert pdf.html_to_pdf(document).startswith(b"%PDF")
    assert pdf.url_fetcher() is fetcher
