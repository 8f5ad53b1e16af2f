"""Main journeys in a real browser: an official finds a territory; an admin edits a perimeter."""

from __future__ import annotations

import pytest

from territoires.services import project_create
from tests.conftest import browser_login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_official_finds_a_territory_by_typing(geo, live_server, page) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Trouver un territoire").first.click()
    page.get_by_label("Nom, code postal ou code INSEE / SIREN").fill("st etienne")
    page.wait_for_selector("#resultats a[href='/territoires/commune/42218/']")
    assert "q=st" in page.url  # the typed search is a shareable address
    page.click("#resultats a[href='/territoires/commune/42218/']")
    page.wait_for_selector("h1:has-text('Saint-Étienne')")
    assert "173\u00a0136 habitants" in page.inner_text("#carte-identite + dl")
    page.click("dd a:has-text('Saint-Étienne Métropole')")
    page.wait_for_selector("h1:has-text('Saint-Étienne Métropole')")
    assert "Communes membres (3)" in page.content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_adds_and_removes_members(geo, nadia, live_server, page) -> None:
    project = project_create(name="PETR test", members=[geo.vincennes], user=None)
    browser_login(page, live_server, "nadia")
    page.goto(f"{live_server.url}/territoires/projet/{project.code}/modifier/")
    field = page.get_by_label("Ajouter une intercommunalité ou une commune")
    field.press_sequentially("Firmi", delay=20)
    page.wait_for_function("document.querySelectorAll('#id_member_suggestions option').length > 0")
    field.fill(page.locator("#id_member_suggestions option").first.get_attribute("value"))
    page.get_by_role("button", name="Ajouter au périmètre").click()
    page.wait_for_selector("text=« Firminy » ajouté au périmètre.")
    assert "Membres (2)" in page.inner_text("#membres")
    assert "65\u00a0010 habitants" in page.inner_text("#membres")
    page.get_by_role("button", name="Retirer Firminy").click()
    page.wait_for_selector("text=« Firminy » retiré du périmètre.")
    page.get_by_role("button", name="Retirer Vincennes").click()
    page.wait_for_selector("text=Impossible de retirer le dernier membre")
