"""Shared fixtures: reference data in the test database, fixed personas, a headless browser."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client

from config.fixtures import reference_fixtures
from config.roles import Role

PASSWORD = "mot-de-passe-de-test-42"
SCRATCH = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Personas are created in most tests: skip the deliberately slow production hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Files written by the code under test (cached reports and charts, uploaded imports) go to a
    # folder of this test process: parallel workers (`make test` runs pytest-xdist), each with its
    # own test database, never read each other's cached reports, nor those of `make run`.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    scratch = Path(tempfile.mkdtemp(prefix=f"tests-{worker}-"))
    config.stash[SCRATCH] = scratch
    settings.CACHE_DIR = scratch / "cache"
    settings.MEDIA_ROOT = scratch / "media"


def pytest_unconfigure(config: pytest.Config) -> None:
    scratch = config.stash.get(SCRATCH, None)
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


# The longest test files (measured with `--durations`), run first: `make test` hands tests out to
# its parallel workers (pytest-xdist) in this order, a few at a time, so that no worker is left
# alone with a long test at the end. A new test file that takes more than ~10 s belongs here.
LONGEST_FIRST = (
    "tests/observatoire/test_figures_everywhere.py",
    "tests/observatoire/test_report_seven_territories.py",
    "tests/territoires/test_geography_full.py",
    "tests/privacy/test_nested_territories.py",
    "tests/config/test_browser_accounts.py",
    "tests/privacy/test_padding.py",
    "tests/config/test_properties_urls.py",
    "tests/pratiques/test_browser_journey.py",
    "tests/pratiques/test_campaign_browser.py",
    "tests/observatoire/test_report_data.py",
    "tests/config/test_csp.py",
    "tests/observatoire/test_browser.py",
    "tests/privacy/test_small_counts.py",
    "tests/observatoire/test_properties_readers.py",
    "tests/browser/test_journeys_responsive.py",
    "tests/browser/test_dialogue_journey.py",
    "tests/browser/test_journey_directory.py",
    "tests/pratiques/test_curation_browser.py",
    "tests/pratiques/test_browser_autosave_retry.py",
    "tests/observatoire/test_indicator_figures.py",
    "tests/config/test_runserver_start.py",
    "tests/config/test_charts_unavailable.py",
    "tests/observatoire/test_import_queue.py",
)


# Before pytest-django's own reordering (also ``tryfirst``, called after a conftest's hook), which
# keeps this order within its groups: database tests first, transactional ones (which empty the
# database when they end) after them.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that drives Chromium says so: ``-m "not browser"`` must leave no browser behind."""
    rank = {path: position for position, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
    unmarked = [
        item.nodeid
        for item in items
        if {"browser", "page"} & set(getattr(item, "fixturenames", ()))
        and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError("@pytest.mark.browser manquant : " + ", ".join(unmarked))


@pytest.fixture(autouse=True, scope="session")
def _unordered_querysets_randomly_ordered() -> Iterator[None]:
    """A query without ORDER BY comes back in a random order, so no test leans on an accident.

    PostgreSQL returns an unordered table in insertion order most of the time: a page that forgot
    its `order_by` passes every test and shuffles in production. As les-emplois does, a query with
    no ordering at all (neither `order_by` nor the model's `Meta.ordering`) gets `ORDER BY RANDOM()`;
    subqueries, DISTINCT and UNION parts are left alone (PostgreSQL refuses or ignores them there).
    """
    from django.db.models import OrderBy
    from django.db.models.functions import Random
    from django.db.models.sql.compiler import SQLCompiler

    original = SQLCompiler.get_order_by

    def get_order_by(self: SQLCompiler) -> list[Any]:
        order_by = original(self)
        query = self.query
        if order_by or query.subquery or query.distinct or query.combinator:
            return order_by
        if not query.select and not query.default_cols and not query.annotation_select:
            return order_by
        random = OrderBy(Random()).resolve_expression(query)
        sql, params = self.compile(random)
        return [(random, (sql, params, False))]

    SQLCompiler.get_order_by = get_order_by  # type: ignore[method-assign]
    yield
    SQLCompiler.get_order_by = original  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Every test database holds the reference data shipped in fixtures/*.json."""
    with django_db_blocker.unblock():
        load_reference_data()
        call_command("createcachetable", verbosity=0)


def load_reference_data() -> None:
    """Reference fixtures and role groups (a transactional test flushes them after it runs)."""
    fixtures = reference_fixtures()
    if fixtures:
        call_command("loaddata", *fixtures, verbosity=0)
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        load_reference_data()


def make_user(username: str, role: Role | None, **extra: Any) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@exemple.fr", **extra
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def alice(db: None) -> User:
    """A catalyst, owner of the assessments under test."""
    return make_user("alice", Role.CATALYST, first_name="Alice", last_name="Martin")


@pytest.fixture
def bob(db: None) -> User:
    """Another catalyst, same organisation as alice where a test needs one."""
    return make_user("bob", Role.CATALYST, first_name="Bob", last_name="Durand")


@pytest.fixture
def charlie(db: None) -> User:
    """A catalyst outside everything alice owns."""
    return make_user("charlie", Role.CATALYST, first_name="Charlie", last_name="Petit")


@pytest.fixture
def nadia(db: None) -> User:
    """A network admin."""
    return make_user(
        "nadia", Role.NETWORK_ADMIN, first_name="Nadia", last_name="Admin", is_staff=True
    )


@pytest.fixture
def elise(db: None) -> User:
    """An elected official."""
    return make_user("elise", Role.OFFICIAL, first_name="Élise", last_name="Maire")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def committed() -> Any:
    """A block whose on-commit work runs at its end, as after a real request's commit (a test runs
    inside a transaction that never commits): `with committed(): client.post(…)`."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def ok(response: Any, status: int = 200) -> Any:
    """The response, once its status is checked (a 403 or a 302 must not pass a query count)."""
    assert response.status_code == status, (response.status_code, response.get("Location"))
    return response


@pytest.fixture
def htmx() -> dict[str, str]:
    """Headers of an HTMX request, for the fragment half of each view test."""
    return {"HX-Request": "true"}


def chromium_path() -> str | None:
    return (
        os.environ.get("BROWSER_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (no browser download)."""
    path = chromium_path()
    if not path:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium est requis pour les tests de navigateur (REQUIRE_BROWSER=1).")
        pytest.skip("Chromium introuvable : tests de navigateur ignorés.")
    # Playwright's sync API runs an event loop in this thread; Django's ORM is sync-only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def browser_login(page: Any, live_server: Any, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/comptes/login/")
    page.get_by_label("Adresse e-mail").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/**")


@pytest.fixture
def geo(db: None) -> Any:
    """France, 2 régions, 2 départements, 2 EPCI and 5 communes with their real codes."""
    from tests.factories import mini_geography

    return mini_geography()
