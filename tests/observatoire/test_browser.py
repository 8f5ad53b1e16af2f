"""The admin journey (upload, dry run, confirm) and the territory among its peers, in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from config.roles import Role
from observatoire.models import IndicatorValue
from observatoire.services import catalogue_import
from tests.conftest import browser_login, make_user
from tests.factories import mini_geography
from tests.observatoire.conftest import CATALOGUE_CSV

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
VALUES = "CODGEO;TX_CHOM;TX_PAUV\n94080;7,5;9,1\n94067;6,2;s\n42218;15,3;24\n42095;12;18,2\n"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_admin_checks_then_imports_values_and_sees_them_among_peers(
    live_server: Any, page: Any, settings: Any, tmp_path: Path
) -> None:
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path
    mini_geography()
    make_user("nadia", Role.NETWORK_ADMIN, first_name="Nadia", last_name="Admin")
    assert catalogue_import(data=CATALOGUE_CSV.encode(), file_name="c.csv").status == "reussi"

    browser_login(page, live_server, "nadia")
    page.goto(f"{live_server.url}/observatoire/imports/")
    page.set_input_files(
        "#id_valeurs-file",
        files=[{"name": "valeurs.csv", "mimeType": "text/csv", "buffer": VALUES.encode()}],
    )
    page.fill("#id_valeurs-year", "2021")
    page.get_by_role("button", name="Vérifier les valeurs (essai à blanc)").click()
    page.get_by_text("Essai à blanc sans problème").wait_for()
    assert page.get_by_text("valeurs : 8 créée(s)").is_visible()
    assert IndicatorValue.objects.count() == 0
    page.get_by_role("button", name="Confirmer l’import").click()
    page.get_by_text("Import réussi").wait_for()
    assert IndicatorValue.objects.count() == 8

    page.goto(f"{live_server.url}/territoires/commune/94067/indicateurs/")
    page.locator("#distribution-0").scroll_into_view_if_needed()
    page.wait_for_function(  # the chart, a picture drawn on the server, is loaded
        "() => { const i = document.querySelector('#distribution-0'); return i && i.complete && i.naturalWidth > 0; }"
    )
    assert page.get_by_text("n.d.").count() >= 1  # the secret poverty rate, never 0
    assert page.get_by_role("link", name="Télécharger les données (CSV)").is_visible()
