"""The territorial dialogue in a real browser, with the platform's axe-core and overflow checks on
every page, at 390 px and 1280 px: an official opens a dialogue on the territory of their
confirmed mandate, imports 12 actors, opens it; a respondent answers on a phone by the open link,
another by the personal link of their e-mail; the official closes it, publishes the results,
downloads the council's PDF, and the public territory page shows the perceived fragilities
beside its indicators."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from config.roles import Role
from observatoire.dialogues.models import Dialogue, DialogueResponse, DialogueStatus
from observatoire.dialogues.sending import dialogue_messages_run
from territoires.forms import territory_choice_label
from tests.browser.test_journeys_responsive import VIEWPORTS, Checker
from tests.conftest import make_user
from tests.factories import mini_geography, official_with_mandate
from tests.observatoire.dialogues.results_helpers import random_answer, respond

PROFILES = [
    "collectivites-territoriales",
    "associations",
    "entreprises",
    "citoyens",
    "institutions",
    "ingenieries",
    "acteurs-academiques",
    "fondations",
    "medias",
    "investisseurs",
    "associations",
    "entreprises",
]


def actors_file(folder: Path, width: int) -> Path:
    path = folder / f"acteurs-{width}.csv"
    lines = ["email;nom;organisation;profil"] + [
        f"acteur{i}-{width}@exemple.fr;Acteur {i};Structure {i};{code}"
        for i, code in enumerate(PROFILES)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def answer(page: Any, checker: Checker, label: str) -> None:
    """Every fragility a level (autosaved), three of them priorities, then send."""
    checker.check(page, f"questionnaire {label}")
    fieldsets = page.locator("fieldset.perception[id^='f-']")
    assert fieldsets.count() == 16
    # With the keyboard: an arrow moves the choice, it is saved, the focus stays on it.
    first = fieldsets.first.locator("input[type=radio]").first
    first.focus()
    page.keyboard.press("Space")
    fieldsets.first.get_by_text("Enregistré.").wait_for()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id.endsWith('-1')"
        " && document.activeElement.checked"
    )
    for index in range(16):
        fieldset = page.locator("fieldset.perception[id^='f-']").nth(index)
        fieldset.get_by_text(re.compile(r"^[0-3] — ")).nth(index % 4).click()
        fieldset.get_by_text("Enregistré.").wait_for()
        if index < 3:
            fieldset = page.locator("fieldset.perception[id^='f-']").nth(index)
            fieldset.get_by_label("C'est une priorité").check()
            page.locator("#priority-count").get_by_text(str(index + 1)).wait_for()
    checker.check(page, f"questionnaire rempli {label}")
    page.get_by_role("button", name="Relire et envoyer").click()
    page.wait_for_url(re.compile(r".*/envoyer/$"))
    checker.check(page, f"relecture {label}")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    page.get_by_role("heading", name="Merci !").wait_for()
    checker.check(page, f"réponse envoyée {label}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_official_holds_a_dialogue(live_server: Any, browser: Any, tmp_path: Path) -> None:
    geo = mini_geography()
    checker = Checker(browser, live_server, "dialogue")
    for width, height in VIEWPORTS:
        official = make_user(f"elise{width}", Role.OFFICIAL, first_name="Élise", last_name="M")
        official_with_mandate(official, geo.vincennes)
        context = checker.context(width, height)
        page = context.new_page()
        checker.login(page, official.username)

        # open the dialogue on the territory of the mandate, from the official's space
        page.goto(f"{checker.base}/espace/elu/")
        page.get_by_role("link", name="Mes dialogues territoriaux").click()
        checker.check(page, "mes dialogues")
        page.get_by_role("link", name="Ouvrir un dialogue").click()
        checker.check(page, "nouveau dialogue")
        page.get_by_label("Territoire").fill(territory_choice_label(geo.vincennes))
        page.get_by_label("Titre").fill(f"Croiser les regards {width}")
        page.get_by_role("button", name="Créer le dialogue").click()
        page.wait_for_url(re.compile(r".*/dialogues/\d+/$"))
        checker.check(page, "dialogue en préparation")

        # import 12 actors, then open it
        page.get_by_label("Fichier CSV ou XLSX des acteurs").set_input_files(
            str(actors_file(tmp_path, width))
        )
        page.get_by_role("button", name="Importer les acteurs").click()
        page.get_by_text("12 ajouté(s)").wait_for()
        page.get_by_role("button", name="Ouvrir le dialogue").click()
        page.get_by_text("Dialogue ouvert").first.wait_for()
        checker.check(page, "dialogue ouvert")
        dialogue = Dialogue.objects.get(organiser=official)
        assert dialogue.status == DialogueStatus.OPEN and dialogue.invitees.count() == 12
        open_url = page.get_by_test_id("open-url").inner_text()
        assert open_url.endswith(f"/d/{dialogue.open_code}/")
        assert page.locator(".qr-code img").evaluate("img => img.naturalWidth") > 0

        # a respondent answers by the open link on a phone
        phone = checker.context(390, 844).new_page()
        phone.goto(open_url)
        checker.check(phone, "lien ouvert")
        phone.get_by_label("Votre profil d'acteur").select_option(label="Associations")
        phone.get_by_label("Votre commune d'activité").fill(territory_choice_label(geo.vincennes))
        phone.get_by_role("button", name="Commencer le questionnaire").click()
        phone.wait_for_url(re.compile(r".*/dialogues/reponse/[^/]+/$"))
        answer(phone, checker, "lien ouvert")
        phone.context.close()

        # another by the personal link of their e-mail
        mail.outbox.clear()
        dialogue_messages_run(dialogue_id=dialogue.pk)
        assert len(mail.outbox) == 12
        link = re.search(r"https?://\S+/lien/\S+/", mail.outbox[0].body)
        assert link is not None
        phone = checker.context(390, 844).new_page()
        phone.goto(re.sub(r"^https?://[^/]+", checker.base, link.group(0)))
        checker.check(phone, "lien personnel")
        phone.get_by_role("button", name="Commencer le questionnaire").click()
        phone.wait_for_url(re.compile(r".*/dialogues/reponse/[^/]+/$"))
        phone.get_by_label("Votre commune d'activité").fill(territory_choice_label(geo.saint_mande))
        phone.get_by_label("Votre commune d'activité").press("Tab")
        phone.locator("#vous").get_by_text("Enregistré.").wait_for()
        answer(phone, checker, "lien personnel")
        phone.goto(re.sub(r"^https?://[^/]+", checker.base, link.group(0)))
        assert "déjà répondu" in phone.content()
        phone.context.close()
        assert (
            DialogueResponse.objects.filter(dialogue=dialogue, submitted_at__isnull=False).count()
            == 2
        )

        # meanwhile eight more invited local officials answered (enough for their profile's k)
        for seed in range(8):
            respond(dialogue, profile="collectivites-territoriales", answer=random_answer(seed))

        # the official closes it
        page.reload()
        page.get_by_label("Je confirme la clôture de ce dialogue").check()
        page.get_by_role("button", name="Clore le dialogue").click()
        page.get_by_text("jeu de données est figé").first.wait_for()
        checker.check(page, "dialogue clos")
        dialogue.refresh_from_db()
        assert dialogue.status == DialogueStatus.CLOSED and len(dialogue.snapshot.records) == 10

        # publishes the results, downloads the PDF for the council
        page.get_by_role("link", name="Résultats du dialogue (à publier)").click()
        checker.check(page, "résultats du dialogue clos")
        page.get_by_role("button", name="Publier les résultats").click()
        page.get_by_text("Les résultats sont publiés").first.wait_for()
        with page.expect_download() as download:
            page.get_by_role("link", name="Télécharger le rapport pour le conseil (PDF)").click()
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
        context.close()

        # anyone sees the perceived fragilities on the territory's page, beside its indicators
        visitor = checker.context(width, height).new_page()
        visitor.goto(f"{checker.base}/territoires/commune/94080/")
        visitor.wait_for_selector("#territory-perceived", state="attached")
        part = visitor.locator("#territory-perceived")
        part.get_by_text(f"Croiser les regards {width}").first.wait_for(state="attached")
        assert visitor.locator("#territory-indicators").count() == 1
        checker.check(visitor, "page du territoire, fragilités perçues")
        visitor.context.close()
