"""Territory pages read by the public get French typography; what a person typed is left alone."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from config.typography import french_html


def test_it_adds_non_breaking_spaces_and_first_of_month() -> None:
    html = french_html("<p>Évalué le 1 mars 2025 : oui ? « non »</p><textarea>a : b</textarea>")
    assert "le 1er\u00a0mars 2025\u00a0: oui\u202f? «\u00a0non\u00a0»" in html
    assert "<textarea>a : b</textarea>" in html
    assert french_html("<p>11 mars, 21 mars</p>") == "<p>11 mars, 21 mars</p>"


@pytest.mark.django_db
def test_territory_pages_get_it(geo: Any, client: Client) -> None:
    html = client.get("/territoires/commune/94080/").content.decode()
    assert "Code INSEE" in html and "Levier prioritaire pour sa taille\u00a0:" in html


@pytest.mark.django_db
def test_other_pages_are_left_as_written(client: Client) -> None:
    html = client.get("/").content.decode()
    assert "\u00a0:" not in html
