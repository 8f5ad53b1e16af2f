"""A campaign in a real browser: create, import 10 people, an invitee answers from the e-mail's
link, the rate moves, the admin closes and downloads the PDF."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from config.roles import Role
from tests.conftest import browser_login, make_user
from tests.factories import mini_geography
from tests.pratiques.campaign_helpers import LINK, population_csv

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.browser
def test_an_admin_runs_a_campaign_and_an_invitee_answers(
    transactional_db: None, live_server: Any, page: Any, browser: Any, tmp_path: Any, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    settings.SITE_URL = live_server.url
    mini_geography()
    make_user("nadia", Role.NETWORK_ADMIN, first_name="Nadia", last_name="Admin", is_staff=True)
    browser_login(page, live_server, "nadia")

    today = timezone.localdate()
    page.goto(f"{live_server.url}/pratiques/campagnes/nouvelle/")
    page.get_by_label("Titre").fill("Étude du réseau 2026")
    page.get_by_label("Ouverture le").fill(today.isoformat())
    page.get_by_label("Clôture prévue le").fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Créer la campagne").click()
    page.wait_for_url(re.compile(r".*/pratiques/campagnes/\d+/$"))

    csv_file = tmp_path / "population.csv"
    csv_file.write_bytes(population_csv(10))
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(str(csv_file))
    page.get_by_role("button", name="Importer la population").click()
    page.get_by_text("10 personne(s) ajoutée(s)").wait_for()
    page.get_by_role("button", name="Envoyer les invitations et relances dues").click()
    page.get_by_text("Envoi lancé").wait_for()
    assert "0 %" in page.get_by_test_id("rate").inner_text()
    assert len(mail.outbox) == 10
    page.screenshot(path=str(tmp_path / "campaign-1280.png"), full_page=True)

    # The invitee, in another browser, follows the link of their e-mail.
    message = next(m for m in mail.outbox if "personne0003@exemple.fr" in m.to)
    link = LINK.search(message.body).group(0)
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    invitee = context.new_page()
    invitee.set_default_timeout(15_000)
    invitee.goto(link)
    invitee.get_by_role("button", name="Ouvrir mon auto-évaluation").click()
    invitee.wait_for_url(re.compile(r".*/pratiques/evaluations/\d+/$"))
    practices = invitee.locator("fieldset.practice")
    assert practices.count() == 24
    for i in range(24):
        practice = practices.nth(i)
        practice.get_by_role("radio", name=re.compile("^Régulièrement")).check()
        practice.locator(".save-state.saved").wait_for()
    invitee.get_by_role("button", name="Enregistrer et passer à la validation").click()
    invitee.get_by_role("button", name="Valider et voir mes résultats").click()
    invitee.wait_for_url(re.compile(r".*/resultats/$"))
    invitee.goto(f"{live_server.url}/espace/catalyseur/")
    invitee.locator("#my-campaigns").get_by_text("validée").wait_for()
    invitee.screenshot(path=str(tmp_path / "my-campaigns-390.png"), full_page=True)
    context.close()

    page.reload()
    assert "10 %" in page.get_by_test_id("rate").inner_text()
    page.get_by_role("button", name="Clôturer la campagne").click()
    page.wait_for_url(re.compile(r".*/rapport/$"))
    page.screenshot(path=str(tmp_path / "report-1280.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le PDF").click()
    pdf = tmp_path / "rapport.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
