"""The comparison page, on the real 2023 → 2024 data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import logged_in, ok

pytestmark = pytest.mark.django_db

URL = reverse("pratiques:curation:compare")


def test_2023_to_2024(nadia, htmx, django_assert_max_num_queries) -> None:
    client = logged_in(nadia)
    with django_assert_max_num_queries(14):
        response = ok(client.get(URL, {"de": "2023", "a": "2024"}))
    html = response.content.decode()
    assert "<html" in html and "De la grille 2023 à la grille 2024" in html
    assert "Stratégie<ins> partenariale</ins> et projection" in html
    assert "<del>de</del><ins>De</ins> la négociation" in html
    assert "Être à l&#x27;écoute <del>active </del>de son écosystème" in html
    # changed in two places: the old line, then the new one
    assert "En <del>internes</del> et en <del>externes</del>" in html
    assert "En <ins>interne</ins> et en <ins>externe</ins>" in html
    assert "en perspective <del>la</del><ins>une</ins> stratégie" in html
    assert html.count("cur-change cur-added") == 24
    fragment = client.get(URL, {"de": "2023", "a": "2024"}, headers=htmx).content.decode()
    assert "<html" not in fragment and 'id="comparaison"' in fragment


def test_default_compares_the_archived_with_the_current(nadia) -> None:
    html = logged_in(nadia).get(URL).content.decode()
    assert "De la grille 2023 à la grille 2024" in html


def test_unknown_version_is_a_clear_message(nadia) -> None:
    response = logged_in(nadia).get(URL, {"de": "1999", "a": "2024"})
    assert response.status_code == 400
    assert "Choisissez deux versions existantes." in response.content.decode()
