"""Browser journey: an admin copies the current grid, renames a practice, adds one and
publishes; a catalyst then starts an assessment on the new version."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from config.roles import Role
from pratiques.models import Assessment, GridVersion, Practice
from tests.conftest import browser_login, make_user

pytestmark = [pytest.mark.browser]


def screenshot(page: Any, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_admin_publishes_a_new_version_then_a_catalyst_uses_it(
    live_server: Any, page: Any, browser: Any, tmp_path: Path
) -> None:
    from tests.factories import mini_geography

    mini_geography()
    make_user("nadia", Role.NETWORK_ADMIN, first_name="Nadia", last_name="Admin")
    make_user("alice", Role.CATALYST, first_name="Alice", last_name="Martin")

    # The admin copies the current version into a draft.
    browser_login(page, live_server, "nadia")
    page.goto(f"{live_server.url}/pratiques/administration/")
    page.get_by_label("Libellé de la nouvelle version").fill("2025")
    page.get_by_role("button", name="Copier la version 2024 en brouillon").click()
    page.wait_for_url(re.compile(r".*/versions/2025/$"))
    assert page.get_by_role("heading", name=re.compile("Grille 2025")).is_visible()

    # Renames practice 1.2 in place.
    page.get_by_role("link", name="Modifier Financer l'ingénierie que je porte").click()
    form = page.get_by_role("form", name=re.compile("Modifier la pratique 1.2"))
    form.get_by_label("Libellé").fill("Financer l'ingénierie que je porte et partage")
    form.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Financer l'ingénierie que je porte et partage").wait_for()

    # Adds a practice to situation 8.
    page.get_by_role("link", name="+ Ajouter une pratique à la situation 8").click()
    form = page.get_by_role("form", name="Ajouter une pratique")
    form.get_by_label("Libellé").fill("Rendre compte aux habitants")
    form.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("8.4").wait_for()
    assert page.get_by_text("3 axes, 8 situations, 25 pratiques.").is_visible()
    page.locator(
        "#pratique-" + str(Practice.objects.get(version__slug="2025", code="8.4").pk)
    ).scroll_into_view_if_needed()
    screenshot(page, "curation-editor", tmp_path)

    # Compares with the current version, then publishes.
    page.get_by_role("link", name="Comparer avec la version courante (2024)").click()
    page.get_by_role("heading", name="De la grille 2024 à la grille 2025").wait_for()
    assert page.locator("ins", has_text="Rendre compte aux habitants").is_visible()
    assert page.locator("ins", has_text="et partage").is_visible()
    screenshot(page, "curation-compare-2024-2025", tmp_path)
    page.goto(f"{live_server.url}/pratiques/administration/comparer/?de=2023&a=2024")
    page.get_by_role("heading", name="De la grille 2023 à la grille 2024").wait_for()
    screenshot(page, "curation-compare-2023-2024", tmp_path)

    page.goto(f"{live_server.url}/pratiques/administration/versions/2025/")
    page.get_by_role("link", name="Vérifier et publier").click()
    page.get_by_role("button", name="Publier la version 2025").click()
    page.get_by_text("Version 2025 publiée").wait_for()
    assert GridVersion.objects.get(slug="2025").status == "published"
    assert GridVersion.objects.get(slug="2024").status == "archived"

    # A catalyst starts an assessment: it is on the new version.
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    catalyst = context.new_page()
    browser_login(catalyst, live_server, "alice")
    catalyst.goto(f"{live_server.url}/pratiques/evaluations/nouvelle/")
    assert catalyst.get_by_role("link", name="grille 2025").is_visible()
    catalyst.get_by_label("Territoire d'action").fill("commune:94080")
    catalyst.get_by_label("Collectivités territoriales").check()
    catalyst.get_by_label("Ingénierie de catalyse territoriale").check()
    catalyst.get_by_role("button", name="Commencer").click()
    catalyst.get_by_text("Rendre compte aux habitants").first.wait_for()
    assert catalyst.get_by_text("Financer l'ingénierie que je porte et partage").first.is_visible()
    assert Assessment.objects.get(user__username="alice").version.slug == "2025"
    context.close()
