"""In a real browser: an HTMX form posted invalid comes back with 400 and htmx swaps it
in (the page's ``responseHandling``), so the person reads the message where they typed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from territoires.services import project_create
from tests.conftest import browser_login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_htmx_form_posted_invalid_shows_its_message(geo, nadia, live_server, page) -> None:
    project = project_create(name="PETR test", members=[geo.vincennes], user=None)
    browser_login(page, live_server, "nadia")
    page.goto(f"{live_server.url}/territoires/projet/{project.code}/modifier/")
    page.get_by_label("Ajouter une intercommunalité ou une commune").fill("Zzyzx-sur-Rien")
    with page.expect_response(lambda r: r.url.endswith("/membres/ajouter/")) as answer:
        page.get_by_role("button", name="Ajouter au périmètre").click()
    assert answer.value.status == 400
    assert answer.value.request.headers.get("hx-request") == "true"
    page.wait_for_selector("#membres :text('Aucun territoire ne correspond')")
    assert "Membres (1)" in page.inner_text("#membres")
    assert page.url.endswith("/modifier/")  # swapped in place, no page change
    shoot(page, "refus-htmx-400")
    # A refusal of the service (the last member) answers 409 and is swapped in as well.
    with page.expect_response(lambda r: r.url.endswith("/retirer/")) as answer:
        page.get_by_role("button", name="Retirer Vincennes").click()
    assert answer.value.status == 409
    page.wait_for_selector("text=Impossible de retirer le dernier membre")
    shoot(page, "refus-htmx-409")


def shoot(page, name: str) -> None:
    if folder := os.environ.get("SCREENSHOT_DIR"):
        for width, height in ((390, 844), (1280, 900)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
