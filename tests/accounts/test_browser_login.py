from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_catalyst_signs_in_with_the_keyboard_and_reaches_their_space(
    page: Any, live_server: Any, alice: User
) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    browser_login(page, live_server, "alice")
    assert page.get_by_text("Alice Martin").is_visible()
    page.get_by_role("link", name="Mon espace catalyseur").first.click()
    page.wait_for_url("**/espace/catalyseur/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mon espace catalyseur·rice"
