from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from config.backup import conninfo
from observatoire import liveness
from observatoire.models import ImportRun, Indicator, IndicatorValue
from tests.conftest import committed, logged_in, ok
from tests.observatoire.conftest import CATALOGUE_CSV

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path


def upload(client: Client, kind: str, text: bytes, name: str = "f.csv", **fields: Any) -> Any:
    prefix = "catalogue" if kind == "catalogue" else "valeurs"
    data = {"kind": kind, f"{prefix}-file": SimpleUploadedFile(name, text)}
    data.update({f"{prefix}-{key}": value for key, value in fields.items()})
    with committed():  # the dry run is enqueued when the request commits
        return client.post("/observatoire/imports/", data)


def test_it_checks_the_role(alice: User, elise: User) -> None:
    assert logged_in(alice).get("/observatoire/imports/").status_code == 403
    assert logged_in(elise).post("/observatoire/imports/", {}).status_code == 403
    assert Client().get("/observatoire/imports/").status_code == 302


def test_it_works_as_a_full_page_and_as_a_fragment(nadia: User, htmx: dict[str, str]) -> None:
    client = logged_in(nadia)
    html = client.get("/observatoire/imports/").content.decode()
    assert "<html" in html and "Essai à blanc".lower() in html.lower()
    assert 'enctype="multipart/form-data"' in html
    fragment = client.get("/observatoire/imports/", headers=htmx).content.decode()
    assert "<html" not in fragment and 'id="import-runs"' in fragment


def test_catalogue_then_values_dry_run_then_confirm(
    nadia: User, geo: Any, htmx: dict[str, str], django_assert_max_num_queries: Any
) -> None:
    client = logged_in(nadia)
    response = upload(client, "catalogue", CATALOGUE_CSV.encode("cp1252"))
    dry = ImportRun.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/observatoire/imports/{dry.pk}/"
    )
    assert (dry.status, dry.dry_run, dry.created, dry.user) == ("reussi", True, 3, nadia)
    assert Indicator.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "Seraient créées" in page and "Confirmer l’import" in page
    with committed():
        confirmed = client.post(f"/observatoire/imports/{dry.pk}/confirmer/")
    real = ImportRun.objects.get(confirms=dry)
    assert confirmed["Location"] == f"/observatoire/imports/{real.pk}/"
    assert (real.status, real.dry_run, real.created) == ("reussi", False, 3)
    assert Indicator.objects.count() == 3
    # Confirming twice imports once.
    with committed():
        client.post(f"/observatoire/imports/{dry.pk}/confirmer/")
    assert ImportRun.objects.filter(confirms=dry).count() == 1

    response = upload(
        client,
        "valeurs",
        b"CODGEO;TX_CHOM\n94080;7,5\n94067;6,2\n",
        year=2021,
        level="commune",
        code_column="CODGEO",
    )
    dry = ImportRun.objects.filter(kind="valeurs").get()
    assert (dry.status, dry.created) == ("reussi", 2)
    assert IndicatorValue.objects.count() == 0
    fragment = client.get(response["Location"], headers=htmx)
    assert fragment.content.decode().strip().startswith('<div id="import-run"')
    with committed():
        confirmed = client.post(f"/observatoire/imports/{dry.pk}/confirmer/", headers=htmx)
    assert confirmed.status_code == 200 and confirmed["HX-Redirect"].startswith(
        "/observatoire/imports/"
    )
    assert IndicatorValue.objects.count() == 2
    with django_assert_max_num_queries(8):
        ok(client.get("/observatoire/imports/"))


def test_a_refused_file_shows_every_problem_and_cannot_be_confirmed(
    nadia: User, catalogue: dict[str, Indicator]
) -> None:
    client = logged_in(nadia)
    text = b"CODGEO;TX_CHOM;INCONNU\n94080;7,5;1\n99999;x;2\n94080;1;1\n"
    response = upload(client, "valeurs", text, year=2021, level="commune", code_column="CODGEO")
    run = ImportRun.objects.get(kind="valeurs")
    assert run.status == "refuse" and run.problem_count == 4
    html = client.get(response["Location"]).content.decode()
    for expected in [
        "4 problèmes à corriger",
        "indicateur inconnu",
        "code de territoire inconnu",
        "valeur non numérique",
        "ligne en double",
        "« x » n’est pas un nombre.",
    ]:
        assert expected in html
    assert "Confirmer l’import" not in html
    response = client.post(f"/observatoire/imports/{run.pk}/confirmer/")
    assert response.status_code == 302
    assert not ImportRun.objects.filter(confirms=run).exists()
    assert IndicatorValue.objects.count() == 0


def test_a_running_import_is_polled(nadia: User, geo: Any, htmx: dict[str, str]) -> None:
    run = ImportRun.objects.create(
        kind="valeurs",
        file_name="gros.csv",
        sha256="0" * 64,
        status="en_cours",
        progress=42,
        progress_label="copie",
    )
    # Its worker is alive: it holds the run's liveness lock (observatoire/liveness.py).
    with psycopg.connect(conninfo(connection), autocommit=True) as worker:
        worker.execute("SELECT pg_advisory_lock(%s, %s)", [liveness.IMPORT_NAMESPACE, run.pk])
        html = (
            logged_in(nadia).get(f"/observatoire/imports/{run.pk}/", headers=htmx).content.decode()
        )
    assert 'hx-trigger="every 1s"' in html and 'value="42"' in html and "copie" in html


def test_bad_form_input_is_redisplayed(nadia: User) -> None:
    client = logged_in(nadia)
    response = upload(client, "valeurs", b"a;b\n", name="notes.pdf", year=1800)
    assert response.status_code == 400
    html = response.content.decode()
    assert "envoyez un fichier CSV ou XLSX" in html
    assert not ImportRun.objects.exists()


def test_an_unknown_import_is_a_404(nadia: User) -> None:
    assert logged_in(nadia).get("/observatoire/imports/999/").status_code == 404
    assert logged_in(nadia).post("/observatoire/imports/999/confirmer/").status_code == 404
