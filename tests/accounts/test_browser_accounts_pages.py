"""The account pages of this round, on a phone and on a desk: no horizontal scrolling and no
axe-core violation — sign-up, « Confirmez votre adresse » at login, the resend page, the
confirmation page with its password, the catalyst's « qui compte » sentence, a campaign link's
button page, the people page with its approval queue and the person page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from config.roles import Role
from tests.browser.test_journeys_responsive import VIEWPORTS, Checker
from tests.conftest import make_user
from tests.factories import mini_geography
from tests.pratiques.campaign_helpers import link_for, make_campaign, population_csv

pytestmark = [pytest.mark.browser]


def test_account_pages_are_accessible_at_both_widths(
    transactional_db: None, live_server: Any, browser: Any
) -> None:
    from pratiques.campaigns.population import population_import
    from pratiques.campaigns.sending import campaign_messages_run

    mini_geography()
    make_user("nadia", Role.NETWORK_ADMIN, first_name="Nadia", last_name="Admin")
    alice = make_user("alice", Role.CATALYST, first_name="Alice", last_name="Martin")
    campaign = make_campaign()
    lines = ["zoe@exemple.fr;Zoé;Neuve;;ingenieries;94080;"]
    population_import(
        campaign=campaign, data=population_csv(0, extra_lines=lines), file_name="p.csv"
    )
    campaign_messages_run(campaign_id=campaign.pk)
    join = link_for("zoe@exemple.fr")
    checker = Checker(browser, live_server, "comptes")
    for n, (width, height) in enumerate(VIEWPORTS):
        email = f"ines{n}@exemple.fr"
        context = checker.context(width, height)
        page = context.new_page()
        page.goto(f"{checker.base}/comptes/inscription/")
        checker.check(page, "inscription")
        page.get_by_label("Prénom").fill("Inès")
        page.locator("#id_last_name").fill("Nouvelle")
        page.get_by_role("textbox", name="Adresse électronique").fill(email)
        page.get_by_label(re.compile("^J'accepte")).check()
        page.get_by_role("button", name="Créer mon compte").click()
        page.wait_for_url("**/envoyee/")
        page.goto(f"{checker.base}/comptes/login/")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill("pas-encore")
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_text("Confirmez votre adresse").wait_for()
        checker.check(page, "connexion non confirmée")
        page.goto(f"{checker.base}/comptes/inscription/renvoyer/?email={email}")
        checker.check(page, "renvoi du lien")
        link = re.search(r"(/comptes/inscription/confirmer/\S+/)", mail.outbox[-1].body)
        assert link is not None
        page.goto(checker.base + link.group(1))
        checker.check(page, "confirmation")
        page.locator("#id_password1").fill("Ingenierie-territoriale-2026")
        page.locator("#id_password2").fill("Ingenierie-territoriale-2026")
        page.get_by_role("button", name=re.compile("^Confirmer")).click()
        page.wait_for_url("**/espace/catalyseur/")
        checker.check(page, "espace catalyseur")
        context.close()
        context = checker.context(width, height)
        page = context.new_page()
        page.goto(checker.base + join)
        checker.check(page, "lien de campagne")
        checker.login(page, "nadia@exemple.fr")
        page.goto(f"{checker.base}/comptes/personnes/")
        page.locator("#titre-approbations").wait_for()
        checker.check(page, "personnes")
        page.goto(f"{checker.base}/comptes/personnes/{alice.pk}/")
        checker.check(page, "fiche")
        context.close()
    assert len(checker.checked) == 2 * 9
