"""Accounts in a real browser: a visitor signs up, confirms by e-mail, self-assesses and submits;
an admin invites an elected official who accepts, declares a territory, is confirmed, follows it
and finds it in their space."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from config.roles import Role
from tests.conftest import browser_login, make_user
from tests.factories import mini_geography

pytestmark = [pytest.mark.browser]

STRONG = "Ingenierie-territoriale-2026"


def _link(pattern: str) -> str:
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def _fill_password(page: Any) -> None:
    page.locator("#id_password1").fill(STRONG)
    page.locator("#id_password2").fill(STRONG)


def test_sign_up_self_assess_and_an_invited_official_follows_their_territory(
    transactional_db: None, live_server: Any, browser: Any, tmp_path: Any
) -> None:
    mini_geography()
    mail.outbox.clear()

    # --- a visitor signs up and confirms their address -----------------------------------------
    visitor = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    visitor.set_default_timeout(15_000)
    page = visitor.new_page()
    page.goto(f"{live_server.url}/comptes/login/")
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Prénom").fill("Inès")
    page.locator("#id_last_name").fill("Nouvelle")
    page.get_by_role("textbox", name="Adresse électronique").fill("ines@exemple.fr")
    page.get_by_label(re.compile("^J'accepte")).check()
    page.screenshot(path=str(tmp_path / "signup-390.png"), full_page=True)
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url("**/comptes/inscription/envoyee/")
    assert "Un e-mail vous a été envoyé" in page.content()
    assert mail.outbox[-1].to == ["ines@exemple.fr"]
    page.goto(live_server.url + _link(r"http://[^/\s]+(/comptes/inscription/confirmer/\S+/)"))
    _fill_password(page)
    page.get_by_role("button", name=re.compile("^Confirmer mon adresse")).click()
    page.wait_for_url("**/espace/catalyseur/")

    # --- and self-assesses: 24 practices, then submits --------------------------------------------
    page.goto(f"{live_server.url}/pratiques/evaluations/nouvelle/")
    page.get_by_label("Territoire d'action").fill("commune:94080")
    page.get_by_label("Collectivités territoriales").check()
    page.get_by_label("Ingénierie de catalyse territoriale").check()
    page.get_by_role("button", name="Commencer").click()
    page.wait_for_url(re.compile(r".*/pratiques/evaluations/\d+/$"))
    practices = page.locator("fieldset.practice")
    assert practices.count() == 24
    for i in range(24):
        practice = practices.nth(i)
        practice.get_by_role("radio", name=re.compile("^Régulièrement")).check()
        practice.get_by_role("radio", name=re.compile("^Co-pilote")).check()
        practice.locator(".save-state.saved").wait_for()
    page.locator("#progress").filter(has_text="24 / 24").wait_for()
    page.get_by_role("button", name="Enregistrer et passer à la validation").click()
    page.get_by_label("Mon auto-évaluation peut alimenter les statistiques anonymisées").check()
    page.get_by_role("button", name="Valider et voir mes résultats").click()
    page.wait_for_url(re.compile(r".*/resultats/$"))
    visitor.close()

    # --- an admin invites an elected official ---------------------------------------------------------
    make_user("nadia", Role.NETWORK_ADMIN, first_name="Nadia", last_name="Admin")
    admin = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    admin.set_default_timeout(15_000)
    admin_page = admin.new_page()
    browser_login(admin_page, live_server, "nadia")
    admin_page.wait_for_url("**/espace/administration/")
    admin_page.goto(f"{live_server.url}/comptes/personnes/")
    admin_page.get_by_role("link", name="Inviter une personne").click()
    admin_page.get_by_label("Adresse électronique").fill("paul.maire@commune.fr")
    admin_page.get_by_label("Prénom").fill("Paul")
    admin_page.locator("#id_last_name").fill("Maire")
    admin_page.get_by_label("Élu·e").check()
    admin_page.get_by_role("button", name="Envoyer l'invitation").click()
    admin_page.wait_for_url(re.compile(r".*/comptes/personnes/\d+/$"))
    assert "invitation en attente" in admin_page.content()

    # --- who accepts, declares a territory, ... ---------------------------------------------------
    official = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    official.set_default_timeout(15_000)
    official_page = official.new_page()
    official_page.goto(live_server.url + _link(r"http://[^/\s]+(/comptes/invitation/\S+/)"))
    _fill_password(official_page)
    official_page.get_by_role("button", name="Activer mon compte").click()
    official_page.wait_for_url("**/espace/elu/")
    official_page.get_by_label("Territoire représenté").fill("commune:94080")
    official_page.get_by_label("Fonction").fill("maire")
    official_page.get_by_role("button", name="Déclarer ce mandat").click()
    official_page.wait_for_url("**/espace/elu/")
    assert "en attente de confirmation" in official_page.content()

    # --- ... is confirmed by the admin, ... -----------------------------------------------------------
    admin_page.goto(f"{live_server.url}/comptes/personnes/")
    admin_page.get_by_role("button", name="Confirmer").click()
    admin_page.wait_for_url("**/comptes/personnes/")
    admin_page.screenshot(path=str(tmp_path / "people-1280.png"), full_page=True)
    admin.close()

    # --- follows the territory and sees it in their space ------------------------------------------
    official_page.goto(f"{live_server.url}/territoires/commune/94080/")
    for toggle in official_page.locator(".part-toggle").all():  # parts folded on a phone
        toggle.click()
    assert (
        "Paul Maire — maire" in official_page.locator("#carte-identite").locator("..").inner_text()
    )
    # The confirmed mandate already follows its territory: the page offers to stop.
    assert official_page.get_by_role("button", name="Ne plus suivre ce territoire").count() == 1
    official_page.goto(f"{live_server.url}/espace/elu/")
    followed = official_page.locator("ul.followed").inner_text()
    assert "Vincennes" in followed
    assert "confirmé" in official_page.content()
    official_page.screenshot(path=str(tmp_path / "elu-390.png"), full_page=True)
    official.close()
