"""The map of France and the API documentation in a browser: no axe violation at 390 and
1280 px, no horizontal scrolling, the documentation drawn with nothing the CSP refuses."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pratiques.aggregates import release_aggregates
from tests.browser.test_journeys_responsive import VIEWPORTS, Checker, indicators
from tests.factories import mini_geography
from tests.pratiques.helpers import peers


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_map_and_the_api_docs(live_server: Any, browser: Any) -> None:
    geo = mini_geography()
    indicators()
    peers(geo.vincennes, 6)
    release_aggregates()
    checker = Checker(browser, live_server, "carte")
    for width, height in VIEWPORTS:
        context = checker.context(width, height)
        page = context.new_page()
        page.goto(f"{checker.base}/observatoire/carte/")
        checker.check(page, "carte par département")
        page.goto(f"{checker.base}/observatoire/carte/?echelle=region&mesure=valeur")
        checker.check(page, "carte par région")
        page.goto(f"{checker.base}/observatoire/carte/?source=pratiques")
        checker.check(page, "carte des pratiques")
        page.goto(f"{checker.base}/donnees/")
        checker.check(page, "données ouvertes")
        context.close()
    context = checker.context(1280, 900)
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if re.search(r"Content Security Policy|Refused to", message.text)
            else None
        ),
    )
    page.goto(f"{checker.base}/api/v1/docs/")
    page.get_by_text("API des données ouvertes").first.wait_for()
    page.get_by_text("/territoires/{niveau}/{code}/").first.wait_for()
    assert refused == [], refused
    context.close()
