"""Who acts here, at 390 and 1280 px (axe-core and no horizontal scrolling on every page): a
catalyst opts in and declares territories; an official finds them in « Qui agit ici » on a
commune's page and writes; a catalyst proposes an example, an admin publishes it; the example
appears on the territory page and in its PDF."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from config.roles import Role
from pratiques.models import ContactMessage, Example, ExampleStatus
from territoires.models import Fragility
from territoires.services import fragility_record
from tests.browser.test_journeys_responsive import IMMEDIATE, VIEWPORTS, Checker
from tests.conftest import make_user
from tests.factories import mini_geography


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_who_acts_here_and_inspiring_examples(
    live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    settings.TASKS = IMMEDIATE
    settings.CACHE_DIR = tmp_path / "cache"
    geo = mini_geography()
    admin = make_user("nadia", Role.NETWORK_ADMIN, first_name="Nadia", last_name="A", is_staff=True)
    fragility = Fragility.objects.order_by("order").first()
    assert fragility is not None
    fragility_record(
        territory=geo.vincennes,
        fragility=fragility,
        level=3,
        source="diagnostic",
        user=admin,
        diagnosis_author="Mairie de Vincennes",
        diagnosis_date=datetime.date(2026, 3, 1),
    )
    checker = Checker(browser, live_server, "annuaire")
    base = checker.base
    for width, height in VIEWPORTS:
        catalyst = make_user(
            f"camille{width}", Role.CATALYST, first_name="Camille", last_name=f"L{width}"
        )
        make_user(f"elise{width}", Role.OFFICIAL, first_name="Élise", last_name="M")
        name = f"Camille {width} (agence)"
        title = f"Un tiers-lieu partagé {width}"

        # 1. The catalyst opts in and declares where they act.
        context = checker.context(width, height)
        page = context.new_page()
        checker.login(page, catalyst.username)
        page.goto(f"{base}/pratiques/annuaire/ma-fiche/")
        checker.check(page, "ma fiche, avant")
        page.get_by_role("textbox", name=re.compile("^Nom affiché")).fill(name)
        page.get_by_role("textbox", name=re.compile("^Territoires où")).fill(
            "epci:200054781\ndepartement:42"
        )
        page.get_by_role("checkbox", name=re.compile("J'accepte de figurer")).check()
        page.get_by_role("button", name="Figurer dans l'annuaire").click()
        page.wait_for_load_state("networkidle")
        checker.check(page, "ma fiche, enregistrée")
        assert "Vous figurez dans l'annuaire depuis" in page.content()

        # 2. They propose an example.
        page.goto(f"{base}/pratiques/exemples/nouveau/")
        checker.check(page, "proposer un exemple")
        page.get_by_role("textbox", name=re.compile("^Titre")).fill(title)
        page.get_by_role("textbox", name=re.compile("^Résumé")).fill(
            "Commune, associations et entreprises ouvrent un lieu."
        )
        page.get_by_role("textbox", name=re.compile("^Récit")).fill(
            "Un récit <script>alert(1)</script> **en gras**."
        )
        page.get_by_role("textbox", name=re.compile("^Territoires concernés")).fill("commune:94080")
        page.get_by_role("checkbox", name=fragility.label).check()
        page.get_by_role("button", name="Proposer à la relecture").click()
        page.wait_for_url(re.compile(r".*/exemples/\d+/$"))
        checker.check(page, "exemple proposé")
        context.close()
        example = Example.objects.get(title=title)
        assert example.status == ExampleStatus.PROPOSED

        # 3. An admin publishes it.
        context = checker.context(width, height)
        page = context.new_page()
        checker.login(page, "nadia")
        page.goto(f"{base}/pratiques/exemples/relecture/")
        checker.check(page, "exemples à relire")
        page.get_by_role("link", name=title).click()
        page.get_by_role("button", name="Publier").click()
        page.wait_for_load_state("networkidle")
        checker.check(page, "exemple publié")
        page.goto(f"{base}/pratiques/annuaire/moderation/")
        checker.check(page, "modération")
        context.close()

        # 4. An official on Vincennes' page finds the catalyst and the example, and writes.
        context = checker.context(width, height)
        page = context.new_page()
        checker.login(page, f"elise{width}")
        page.goto(f"{base}/territoires/commune/94080/")
        for toggle in page.locator(".part-toggle").all():  # parts folded on a phone
            toggle.click()
        page.locator("#who-acts-here").wait_for()
        page.locator("#territory-examples").wait_for()
        checker.check(page, "page de la commune")
        assert title in page.locator("#territory-examples").inner_text()
        page.locator("#who-acts-here").get_by_role("link", name=name).click()
        page.wait_for_url(re.compile(r".*/annuaire/\d+/$"))
        checker.check(page, "fiche de l'annuaire")
        assert "@" not in page.locator("main").inner_text()
        page.get_by_role("link", name=re.compile("^Écrire à")).click()
        checker.check(page, "écrire")
        page.get_by_label("Votre message").fill("Bonjour, pouvons-nous en parler ?")
        page.get_by_role("button", name="Envoyer").click()
        page.wait_for_url(re.compile(r".*/annuaire/\d+/$"))
        checker.check(page, "message envoyé")
        page.goto(f"{base}/pratiques/annuaire/?territoire=commune:94080")
        checker.check(page, "annuaire, recherche")
        page.goto(f"{base}/pratiques/exemples/?fragilite={fragility.code}")
        checker.check(page, "exemples filtrés")
        page.get_by_role("link", name=title).click()
        checker.check(page, "exemple")
        assert "<script>alert(1)</script>" in page.locator("main").inner_text()
        # 5. The example is in the territory's PDF.
        response = page.request.get(f"{base}/territoires/commune/94080/rapport.pdf")
        assert response.status == 200
        pdf = tmp_path / f"rapport-{width}.pdf"
        pdf.write_bytes(response.body())
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Exemples inspirants" in text and title in text
        context.close()
        assert ContactMessage.objects.filter(recipient=catalyst).count() == 1
    assert len(checker.checked) == 2 * 17
