"""The autosave under a server or database outage: it says so, retries, and nothing is lost."""

from __future__ import annotations

import re
from typing import Any

import pytest

from config.roles import Role
from pratiques.models import Answer
from tests.conftest import browser_login, make_user
from tests.factories import mini_geography
from tests.pratiques.helpers import start


@pytest.mark.browser
def test_the_autosave_says_it_failed_and_retries_until_saved(
    transactional_db: None, live_server: Any, page: Any
) -> None:
    geo = mini_geography()
    camille = make_user("camille", Role.CATALYST)
    assessment = start(camille, geo.vincennes)
    browser_login(page, live_server, "camille")
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{live_server.url}/pratiques/evaluations/{assessment.pk}/")

    failures = {"left": 2}

    def flaky(route: Any) -> None:
        if failures["left"] == 2:
            failures["left"] -= 1
            route.fulfill(status=503, body="<span>indisponible</span>")  # database restarting
        elif failures["left"] == 1:
            failures["left"] -= 1
            route.abort("connectionrefused")  # server restarting
        else:
            route.continue_()

    page.route(re.compile(r".*/reponses/\d+/$"), flaky)
    practice = page.locator("fieldset.practice").first
    practice.get_by_role("radio", name=re.compile("^Au quotidien")).check()
    practice.get_by_text("Enregistrement impossible, nouvel essai dans 1 s").wait_for()
    practice.get_by_text("Enregistrement impossible, nouvel essai dans 2 s").wait_for()
    practice.locator(".save-state.saved").wait_for(timeout=10_000)
    assert failures["left"] == 0
    answer = Answer.objects.get(assessment=assessment)
    assert answer.frequency == 3
    assert violations == []  # the policy (report-only here) is kept by the swaps and retries


@pytest.mark.browser
def test_a_refusal_is_shown_and_not_retried(
    transactional_db: None, live_server: Any, page: Any
) -> None:
    geo = mini_geography()
    camille = make_user("camille", Role.CATALYST)
    assessment = start(camille, geo.vincennes)
    browser_login(page, live_server, "camille")
    page.goto(f"{live_server.url}/pratiques/evaluations/{assessment.pk}/")
    practice = page.locator("fieldset.practice").first
    practice.locator("textarea").evaluate("t => { t.removeAttribute('maxlength'); }")
    practice.locator("summary").click()
    practice.locator("textarea").fill("x" * 2001)
    practice.locator("textarea").blur()
    practice.get_by_text("Le commentaire dépasse 2 000 caractères").wait_for()
    page.wait_for_timeout(1500)
    assert practice.get_by_text("nouvel essai").count() == 0
