from __future__ import annotations

import pytest
from django.test import Client

from pratiques.models import GridVersion

pytestmark = pytest.mark.django_db


def test_current_grid_is_public(django_assert_num_queries) -> None:
    with django_assert_num_queries(5):
        response = Client().get("/pratiques/grille/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "version 2024" in html and "Stratégie partenariale et projection" in html
    assert "Financer l&#x27;ingénierie que je porte" in html
    assert "Entre pairs, entre « mondes », entre tous" in html
    assert "Au quotidien" in html and "proposition du réseau" in html


def test_archived_grid_2023() -> None:
    html = Client().get("/pratiques/grille/2023/").content.decode()
    assert "version 2023" in html and "Stratégie et projection" in html
    assert "Être à l&#x27;écoute active de son écosystème" in html
    assert "ne comporte pas encore de pratiques" in html


def test_an_htmx_request_gets_the_whole_page(htmx) -> None:
    # A page of its own (no link swaps it in): whatever asks gets the page with its grid.
    html = Client().get("/pratiques/grille/2023/", headers=htmx).content.decode()
    assert "<html" in html and '<section id="grid"' in html


def test_unknown_or_draft_version_is_404() -> None:
    assert Client().get("/pratiques/grille/1999/").status_code == 404
    GridVersion.objects.create(label="brouillon", slug="brouillon")
    assert Client().get("/pratiques/grille/brouillon/").status_code == 404
