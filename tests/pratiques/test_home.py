from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import logged_in, ok
from tests.pratiques.helpers import start, submitted

pytestmark = pytest.mark.django_db


def test_it_lists_my_assessments(alice: User, geo, django_assert_num_queries) -> None:
    submitted(alice, geo.vincennes, 2, 2)
    start(alice, geo.vincennes)
    client = logged_in(alice)
    with django_assert_num_queries(5):
        html = ok(client.get("/pratiques/")).content.decode()
    assert "Reprendre mon auto-évaluation en cours" in html
    assert "Validée le" in html and "Résultats" in html


def test_an_htmx_request_gets_the_whole_page(alice: User, htmx) -> None:
    # No link or form swaps a part of the space in: whatever asks gets the page.
    html = logged_in(alice).get("/pratiques/", headers=htmx).content.decode()
    assert "<html" in html and "Commencer une auto-évaluation" in html


def test_roles(elise: User) -> None:
    assert logged_in(elise).get("/pratiques/").status_code == 403
    assert Client().get("/pratiques/").status_code == 302
