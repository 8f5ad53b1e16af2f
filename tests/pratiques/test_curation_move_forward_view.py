"""The catalyst's offer to move a draft from an archived version to the current one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pratiques.curation.services import element_remove, version_publish
from pratiques.models import GridVersion, Practice
from tests.conftest import logged_in
from tests.pratiques.curation_helpers import copy_current, draft_assessment

pytestmark = pytest.mark.django_db


def archived_draft(nadia, alice, geo):
    assessment = draft_assessment(alice, GridVersion.objects.get(slug="2024"), geo.vincennes)
    draft = copy_current(nadia)
    element_remove(actor=nadia, element=Practice.objects.get(version=draft, code="6.2"))
    version_publish(actor=nadia, version=draft)
    return assessment


def test_home_offers_to_move(nadia, alice, geo) -> None:
    assessment = archived_draft(nadia, alice, geo)
    html = logged_in(alice).get(reverse("pratiques:home")).content.decode()
    assert "n'est plus la version courante" in html
    assert reverse("pratiques:assessment_move_forward", args=[assessment.pk]) in html


def test_offer_page_lists_what_is_kept_and_dropped(nadia, alice, geo, htmx) -> None:
    assessment = archived_draft(nadia, alice, geo)
    url = reverse("pratiques:assessment_move_forward", args=[assessment.pk])
    client = logged_in(alice)
    html = client.get(url).content.decode()
    assert "<html" in html and "<strong>23</strong> réponses" in html
    assert "6.2 Définir la valeur économique des interactions" in html
    # No page swaps the offer in: an HTMX request gets the whole page.
    assert "<html" in client.get(url, headers=htmx).content.decode()
    response = client.post(url, follow=True)
    assert "23 réponse(s) reprise(s)" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.version.slug == "2025"


def test_others_cannot_move_it(nadia, alice, bob, geo) -> None:
    assessment = archived_draft(nadia, alice, geo)
    url = reverse("pratiques:assessment_move_forward", args=[assessment.pk])
    assert logged_in(bob).post(url).status_code == 404
    assert logged_in(nadia).post(url).status_code == 403
    assessment.refresh_from_db()
    assert assessment.version.slug == "2024"
