"""Closed by default: every page asks for an account unless it is on the public list below.

`LoginRequiredMiddleware` sends an anonymous visitor to the login page unless the view is marked
`@login_not_required`: a forgotten decorator leaves a page closed, never open. This list is the one
place where a page is declared public; adding a name here is a decision, said in the commit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    # The platform's front door and the load balancer's probe.
    "home",
    "health",
    # Signing in, up, and getting a password back.
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "accounts:signup",
    "accounts:signup_sent",
    "accounts:signup_confirm",
    "accounts:invitation_accept",
    # A campaign's signed links, followed from an e-mail before any account exists.
    "pratiques:campaign_join",
    "pratiques:campaign_stop",
    # A territorial dialogue's respondents have no account: the open link /d/<code>, the personal
    # link of an e-mail, its « stop reminders » link, and the questionnaire its answer's key opens.
    "observatoire:dialogue_entry",
    "observatoire:dialogue_link",
    "observatoire:dialogue_stop",
    "observatoire:response_fill",
    "observatoire:response_identity",
    "observatoire:response_perception",
    "observatoire:response_initiative",
    "observatoire:response_acts_with",
    "observatoire:response_submit",
    # What the platform publishes: the grid, territories, their indicators, practices and report.
    "pratiques:grid_current",
    "pratiques:grid_version",
    "territoires:search",
    "territoires:search_options",
    "territoires:detail",
    "pratiques:territory_practices",
    "pratiques:territory_practices_csv",
    "observatoire:territory_indicators",
    "observatoire:territory_indicators_csv",
    "observatoire:territory_indicator_chart",
    "observatoire:territory_report",
    "observatoire:catalogue",
    "observatoire:territory_compare",
    "observatoire:territory_compare_pdf",
    # Open data: the map of France and the bulk files (the read-only API: PUBLIC_NAMESPACES).
    "observatoire:france_map",
    "observatoire:open_data",
    "observatoire:open_data_file",
    # The directory (public profiles only), the published examples and their territory parts.
    "pratiques:directory_search",
    "pratiques:directory_profile",
    "pratiques:territory_directory",
    "pratiques:example_list",
    "pratiques:example_detail",
    "pratiques:example_export",
    "pratiques:territory_examples",
    # A territorial dialogue's published results, its PDF and the territory page's part.
    "observatoire:dialogue_results",
    "observatoire:dialogue_results_pdf",
    "observatoire:territory_perceived",
    # Signed links from an e-mail: resend a confirmation, stop a plan's reminders.
    "accounts:signup_resend",
    "pratiques:plan_reminders_stop",
    # What a French public-interest service owes everyone: legal notice, data, accessibility.
    "legal:page",
    # Django's admin answers with its own login page.
    "admin:login",
}
# Every operation of the read-only open-data API (/api/v1/) is public by design.
PUBLIC_NAMESPACES = ("api:",)


def url_patterns(
    patterns: list[URLPattern | URLResolver] | None = None, route: str = "", ns: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """(route, name, pattern) of every URL, namespaces included (`admin:login`)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{ns}{pattern.namespace}:" if pattern.namespace else ns
            yield from url_patterns(pattern.url_patterns, route + str(pattern.pattern), inner)
        else:
            yield route + str(pattern.pattern), f"{ns}{pattern.name or ''}", pattern


def test_only_the_public_list_is_open() -> None:
    """Public means marked `@login_not_required`; nothing else is, nothing on the list is not."""
    marked = {
        name
        for _, name, pattern in url_patterns()
        if not getattr(pattern.callback, "login_required", True)
    }
    api = {name for _, name, _ in url_patterns() if name.startswith(PUBLIC_NAMESPACES)}
    assert api and api <= marked  # the whole API is open, nothing of it is forgotten
    # The admin marks none of its own pages but login (its password reset is not wired here).
    assert marked - api == PUBLIC


def sample_path(route: str) -> str:
    """A concrete address for a route: `<int:pk>` → 1, `<str:code>` → 75, a regex admin route kept."""
    path = re.sub(r"<int:\w+>", "1", route)
    path = re.sub(r"<(?:str|slug|path):\w+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$")


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_the_login_page_everywhere_else() -> None:
    client = Client()
    answered = set()
    for route, name, _ in url_patterns():
        if name in PUBLIC or name.startswith(PUBLIC_NAMESPACES):
            continue
        if "(?P<" in route or route.startswith("admin/"):
            continue
        response = client.get(sample_path(route))
        if not (response.status_code == 302 and "/comptes/login/" in response["Location"]):
            answered.add((name, response.status_code))
    assert answered == set()


@pytest.mark.django_db
def test_a_public_page_answers_without_an_account() -> None:
    assert Client().get("/").status_code == 200
    assert Client().get("/pratiques/grille/").status_code in (200, 404)
