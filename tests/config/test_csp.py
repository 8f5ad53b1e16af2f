"""Content Security Policy: Django's middleware, report-only in development, enforced in production."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from config.roles import Role
from observatoire.services import catalogue_import, values_import
from pratiques.models import Assessment
from tests.conftest import browser_login, make_user
from tests.factories import mini_geography
from tests.observatoire.conftest import CATALOGUE_CSV
from tests.pratiques.helpers import peers, start, submitted

TEMPLATES = Path(django_settings.BASE_DIR) / "templates"
# Rendered to PDF by WeasyPrint, never served as HTML.
PDF_TEMPLATES = {"pratiques/assessment_pdf.html", "observatoire/report/report.html"}


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
def test_development_reports_without_blocking() -> None:
    response = Client().get("/")
    assert "Content-Security-Policy" not in response
    policy = directives(response["Content-Security-Policy-Report-Only"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_the_style_nonce_of_the_page_is_the_one_of_the_header() -> None:
    response = Client().get("/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy-Report-Only"])
    assert nonce
    assert f'<style id="plotly.js-style-global" nonce="{nonce.group(1)}">' in response.text
    assert (
        Client().get("/")["Content-Security-Policy-Report-Only"]
        != response["Content-Security-Policy-Report-Only"]
    )  # a fresh nonce per response


def test_production_enforces_a_policy_without_unsafe_sources() -> None:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "from django.conf import settings; from django.utils.csp import build_policy;"
        "print(bool(settings.SECURE_CSP_REPORT_ONLY)); print(build_policy(settings.SECURE_CSP, 'N'))"
    )
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "exemple.fr",
        "DATABASE_URL": "postgresql://nobody@localhost/none",
    }
    env.pop("CSP_MODE", None)
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert out[0] == "False"
    policy = directives(out[1])
    assert "'unsafe-inline'" not in out[1] and "'unsafe-eval'" not in out[1]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'nonce-N'"]


def test_no_template_carries_inline_script_handler_or_style_attribute() -> None:
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in PDF_TEMPLATES:
            continue
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>(?!\s*</script>)",
            r"\son[a-z]+=",
            r"\sstyle=",
        ):
            if re.search(pattern, text.replace("json_script", "")):
                offenders.append((name, pattern))
    assert offenders == []


IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
VALUES = "CODGEO;TX_CHOM;TX_PAUV\n94080;7,5;9,1\n94067;6,2;s\n42218;15,3;24\n42095;12;18,2\n"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_main_pages_run_under_the_enforced_policy(
    live_server: Any, page: Any, settings: Any, tmp_path: Path
) -> None:
    settings.SECURE_CSP = settings.CONTENT_SECURITY_POLICY
    settings.SECURE_CSP_REPORT_ONLY = {}
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path
    geo = mini_geography()
    assert catalogue_import(data=CATALOGUE_CSV.encode(), file_name="c.csv").status == "reussi"
    assert values_import(data=VALUES.encode(), file_name="v.csv", year=2021).status == "reussi"
    peers(geo.vincennes, 6)
    camille = make_user("camille", Role.CATALYST)
    done = submitted(camille, geo.vincennes, 2, 2)
    draft = start(camille, geo.vincennes)
    make_user("nadia", Role.NETWORK_ADMIN, is_staff=True)
    from pratiques.aggregates import release_aggregates

    release_aggregates()  # the analytics page reads the release (issue 23)

    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda error: violations.append(str(error)))

    page.goto(f"{live_server.url}/territoires/commune/94080/")
    # The fragment arrives by HTMX; its first chart (a picture drawn on the server) loads and shows.
    page.locator("#territory-indicators .chart-image").first.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('#territory-indicators .chart-image'); return i && i.complete && i.naturalWidth > 0; }"
    )
    page.goto(f"{live_server.url}/territoires/recherche/?q=vinc")

    browser_login(page, live_server, "camille")
    page.goto(f"{live_server.url}/pratiques/evaluations/{done.pk}/resultats/")
    page.wait_for_function(
        "() => { const i = document.querySelector('#radar-chart'); return i && i.complete && i.naturalWidth > 0; }"
    )
    page.goto(f"{live_server.url}/pratiques/evaluations/{draft.pk}/")
    practice = page.locator("fieldset.practice").first
    practice.get_by_role("radio", name=re.compile("^Au quotidien")).check()
    practice.locator(".save-state.saved").wait_for()  # the HTMX autosave
    assert Assessment.objects.get(pk=draft.pk).answers.count() == 1

    page.context.clear_cookies()
    browser_login(page, live_server, "nadia")
    page.goto(f"{live_server.url}/pratiques/administration/analyses/")
    page.locator("#distribution-chart .main-svg").first.wait_for()
    for url in ("/observatoire/imports/", "/observatoire/rapports/", "/admin/"):
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
    assert violations == []
