"""The results side in a browser, on a phone (390 px) and a desk (1280 px): the organiser's live
and closed results (publish, approve an initiative), the public results, the territory page's
« Fragilités perçues », the admins' national picture — no horizontal scrolling, 0 axe violation.
``SCREENSHOT_DIR`` keeps a screenshot of each page."""

from __future__ import annotations

from typing import Any

import pytest

from config.roles import Role
from observatoire.dialogues.models import DialogueStatus
from tests.browser.test_journeys_responsive import VIEWPORTS, Checker
from tests.conftest import make_user
from tests.factories import mini_geography
from tests.observatoire.dialogues.results_helpers import (
    days_ago,
    freeze,
    make_dialogue,
    populated,
    random_answer,
    respond,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_results_pages_on_a_phone_and_a_desk(browser: Any, live_server: Any) -> None:
    geo = mini_geography()
    elise = make_user("elise", Role.OFFICIAL, first_name="Élise", last_name="Maire")
    make_user("nadia", Role.NETWORK_ADMIN, first_name="Nadia", last_name="Admin", is_staff=True)
    groups = {"collectivites-territoriales": 8, "associations": 7, "entreprises": 3}
    earlier = populated(geo.vincennes, groups, seed=1, organiser=elise, title="Regards 2025")
    freeze(earlier, status=DialogueStatus.PUBLISHED, when=days_ago(300))
    closed = populated(geo.vincennes, groups, seed=2, organiser=elise, title="Regards 2026")
    respond(
        closed,
        profile="associations",
        answer=random_answer(9),
        initiative={"title": "Café des aidants", "carrier": "Association locale"},
    )
    freeze(closed)
    live = populated(geo.saint_mande, {"associations": 12}, organiser=elise, title="En cours")
    make_dialogue(geo.firminy, organiser=elise, title="Vide")
    checker = Checker(browser, live_server, "dialogue-resultats")
    for width, height in VIEWPORTS:
        context = checker.context(width, height)
        page = context.new_page()
        checker.login(page, "elise")
        page.goto(f"{checker.base}/dialogues/{live.pk}/resultats/")
        checker.check(page, "résultats provisoires")
        page.goto(f"{checker.base}/dialogues/{closed.pk}/resultats/")
        checker.check(page, "résultats clos")
        context.close()
    # The organiser approves the initiative and publishes (once, at the desk width).
    context = checker.context(1280, 900)
    page = context.new_page()
    checker.login(page, "elise")
    page.goto(f"{checker.base}/dialogues/{closed.pk}/resultats/")
    page.get_by_role("button", name="Approuver « Café des aidants »").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Publier les résultats").click()
    page.wait_for_load_state("networkidle")
    assert "Les résultats sont publiés" in page.content()
    context.close()
    for width, height in VIEWPORTS:
        context = checker.context(width, height)
        page = context.new_page()
        page.goto(f"{checker.base}/dialogues/{closed.pk}/resultats/")
        checker.check(page, "résultats publiés")
        assert "Café des aidants" in page.content()
        assert "Évolution depuis le dialogue précédent" in page.content()
        page.goto(f"{checker.base}/territoires/commune/94080/")
        page.wait_for_selector("#territory-perceived", state="attached")
        checker.check(page, "page du territoire")
        assert "Regards 2026" in page.content()
        checker.login(page, "nadia")
        page.goto(f"{checker.base}/observatoire/fragilites-percues/")
        checker.check(page, "tableau national")
        context.close()
