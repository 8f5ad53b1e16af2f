"""The history page: who, when, before and after, for every curation change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pratiques.curation.services import element_update
from pratiques.models import Practice
from tests.conftest import logged_in, ok
from tests.pratiques.curation_helpers import copy_current

pytestmark = pytest.mark.django_db

URL = reverse("pratiques:curation:history")


def test_history_shows_who_when_before_after(nadia, htmx, django_assert_max_num_queries) -> None:
    draft = copy_current(nadia)
    for i in range(3):
        practice = Practice.objects.get(version=draft, code=f"{i + 1}.1")
        element_update(
            actor=nadia, element=practice, changes={"label": practice.label + " ensemble"}
        )
    client = logged_in(nadia)
    with django_assert_max_num_queries(8):
        html = ok(client.get(URL)).content.decode()
    assert "<html" in html and "Nadia Admin" in html
    assert "Financer les projets<ins> ensemble</ins>" in html
    assert "Brouillon « 2025 » créé par copie de la version 2024" in html
    fragment = client.get(URL, {"version": "2025"}, headers=htmx).content.decode()
    assert "<html" not in fragment and 'id="historique"' in fragment
    assert "Cadrer les projets<ins> ensemble</ins>" in fragment
    assert "grille 2025" in fragment


def test_filter_by_version_and_pages(nadia) -> None:
    draft = copy_current(nadia)
    practice = Practice.objects.get(version=draft, code="1.1")
    for i in range(55):
        element_update(actor=nadia, element=practice, changes={"label": f"Libellé {i}"})
    client = logged_in(nadia)
    html = client.get(URL, {"version": "2024"}).content.decode()
    assert "Aucune modification enregistrée." in html
    page1 = client.get(URL).content.decode()
    assert "Page 1 sur 2" in page1 and "Libellé 54" in page1
    page2 = client.get(URL, {"page": 2}).content.decode()
    assert "Page 2 sur 2" in page2


def test_history_speaks_the_domains_words_with_french_dates(nadia) -> None:
    copy_current(nadia)
    html = ok(logged_in(nadia).get(URL)).content.decode()
    # The copy records its label, identifier and origin: named as the grid names them.
    for raw in ("<dt>slug</dt>", "<dt>label</dt>", "<dt>copied_from</dt>", "null"):
        assert raw not in html
    assert "<dt>libellé</dt>" in html
    months = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août")
    months += ("septembre", "octobre", "novembre", "décembre")
    assert any(f" {month} " in html for month in months)
    assert not any(f" {abbr} " in html for abbr in ("Déc", "Nov", "Jan", "Fév", "Oct"))
