"""The catalyst's journey in a real browser: start, autosave 24 answers, reload, submit, results."""

from __future__ import annotations

import re
from typing import Any

import pytest

from config.roles import Role
from pratiques.aggregates import release_aggregates
from tests.conftest import browser_login, make_user
from tests.factories import mini_geography
from tests.pratiques.helpers import peers


@pytest.mark.browser
def test_a_catalyst_fills_submits_and_compares(
    transactional_db: None, live_server: Any, page: Any, tmp_path: Any
) -> None:
    geo = mini_geography()
    peers(geo.vincennes, 10)  # quartiles and barycentre from 10 people (disclosure policy)
    release_aggregates()  # the results page compares with the latest release
    make_user("camille", Role.CATALYST, first_name="Camille", last_name="Catalyseur")
    browser_login(page, live_server, "camille")

    page.goto(f"{live_server.url}/pratiques/evaluations/nouvelle/")
    page.get_by_label("Territoire d'action").fill("commune:94080")
    page.get_by_label("Collectivités territoriales").check()
    page.get_by_label("Ingénierie de catalyse territoriale").check()
    page.get_by_role("button", name="Commencer").click()
    page.wait_for_url(re.compile(r".*/pratiques/evaluations/\d+/$"))

    practices = page.locator("fieldset.practice")
    assert practices.count() == 24
    steps = ["Ponctuellement", "Régulièrement", "Au quotidien"]
    for i in range(24):
        practice = practices.nth(i)
        if i == 23:
            practice.get_by_role("radio", name=re.compile("^Non concerné·e")).check()
        else:
            practice.get_by_role("radio", name=re.compile(f"^{steps[i % 3]}")).check()
            practice.get_by_role("radio", name=re.compile("^Co-pilote")).check()
        if i == 4:
            practice.get_by_label("Je souhaite développer cette pratique").check()
        # each change is saved on its own; wait for this practice's saved state
        practice.locator(".save-state.saved").wait_for()
    page.locator("#progress").filter(has_text="24 / 24").wait_for()
    page.screenshot(path=str(tmp_path / "assessment.png"), full_page=False)

    page.reload()
    assert "24 / 24" in page.locator("#progress").inner_text()
    assert page.locator("input[name$='-frequency']:checked").count() == 24
    assert page.locator("input[name$='-involvement']:checked").count() == 23
    assert page.locator("input[name$='-develop']:checked").count() == 1

    page.get_by_role("button", name="Enregistrer et passer à la validation").click()
    page.get_by_label("Mon auto-évaluation peut alimenter les statistiques anonymisées").check()
    page.get_by_role("button", name="Valider et voir mes résultats").click()
    page.wait_for_url(re.compile(r".*/resultats/$"))

    # The charts are pictures drawn on the server (config/charts.py): both load and show.
    for chart in ("#radar-chart", "#ternary-chart"):
        page.locator(chart).scroll_into_view_if_needed()
        page.wait_for_function(
            "s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }",
            arg=chart,
        )
    svg = page.evaluate(
        "fetch(document.querySelector('#ternary-chart').currentSrc).then(r => r.text())"
    )
    # the barycentre and me; the spread shows only cells of at least 5 peers
    assert svg.count('class="point"') >= 2
    assert "Barycentre du groupe" in page.locator("table.triangle-shares").inner_text()
    table = page.locator("table.scores").inner_text()
    assert "Médiane" in table and "Ma place" in table
    assert "Tous les catalyseurs" in page.locator("#peers").inner_text()
    page.screenshot(path=str(tmp_path / "results.png"), full_page=True)
