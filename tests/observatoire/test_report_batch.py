from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, override_settings

from observatoire.report import render
from observatoire.report.batch import read_progress
from observatoire.report.tasks import batch_start
from tests.conftest import logged_in, ok

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def cache_dir(settings: Any, tmp_path: Any) -> Any:
    settings.CACHE_DIR = tmp_path
    # The worker's pool processes would open the real database, not the test one.
    settings.REPORT_BATCH_PROCESSES = 1
    return tmp_path


def test_the_worker_renders_on_one_process_unless_configured(settings: Any) -> None:
    from observatoire.report.batch import batch_processes

    del settings.REPORT_BATCH_PROCESSES
    assert batch_processes() == 1
    settings.REPORT_BATCH_PROCESSES = 2
    assert batch_processes() == 2


def test_a_short_batch_does_not_pay_for_a_pool() -> None:
    from observatoire.report.batch import POOL_MIN_REPORTS, effective_processes

    assert effective_processes(2, 5) == 1
    assert effective_processes(2, POOL_MIN_REPORTS) == 2
    assert effective_processes(1, 1255) == 1


@pytest.mark.chromium
@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_the_task_generates_every_report_of_the_level(geo: Any, cache_dir: Any) -> None:
    progress = batch_start(level="commune")
    assert progress["status"] == "finished"
    assert (progress["total"], progress["done"], progress["failed"]) == (5, 5, 0)
    assert progress["rendered"] == 5
    assert progress["per_minute"] > 0 and progress["processes"] == 1  # shown on the batch page
    assert len(list((cache_dir / "reports" / "commune").glob("*.pdf"))) == 5
    # A second batch finds every report up to date.
    again = batch_start(level="commune")
    assert (again["rendered"], again["cached"]) == (0, 5)


@pytest.mark.chromium
@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_a_failing_report_is_listed_and_the_batch_goes_on(
    geo: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real_render = render.render_pdf

    def render_or_fail(data: Any, images: Any) -> bytes:
        if data.territory.code == "42095":
            raise RuntimeError("gabarit cassé")
        return real_render(data, images)

    monkeypatch.setattr(render, "render_pdf", render_or_fail)
    progress = batch_start(level="commune", codes=["42001", "42095", "42218", "00000"])
    assert progress["status"] == "finished"
    assert (progress["total"], progress["done"], progress["rendered"]) == (4, 4, 2)
    assert progress["failed"] == 2
    failures = {f["code"]: f["error"] for f in progress["failures"]}
    assert "gabarit cassé" in failures["42095"]
    assert failures["00000"] == "territoire introuvable"
    assert "Rapport en échec : commune 42095" in caplog.text
    assert read_progress(progress["id"]) == progress


@pytest.mark.chromium
@pytest.mark.django_db
def test_the_command_runs_inline(geo: Any, capsys: pytest.CaptureFixture) -> None:
    call_command("generate_reports", "--niveau", "epci", "--inline")
    out = capsys.readouterr().out
    assert "2 rapports traités" in out and "0 en échec" in out


@pytest.mark.chromium
@pytest.mark.django_db
def test_the_command_enqueues_for_the_worker(geo: Any, capsys: pytest.CaptureFixture) -> None:
    call_command("generate_reports", "--niveau", "region")
    assert "mis en file" in capsys.readouterr().out
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="generate_reports").count() == 1


@pytest.mark.django_db
def test_the_batch_page_is_for_network_admins(alice: User, elise: User) -> None:
    assert logged_in(alice).get("/observatoire/rapports/").status_code == 403
    assert logged_in(elise).get("/observatoire/rapports/").status_code == 403
    assert Client().get("/observatoire/rapports/").status_code == 302
    assert logged_in(alice).get("/observatoire/rapports/abc/").status_code == 403


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_the_batch_page_starts_a_batch_and_shows_its_progress(
    geo: Any, nadia: User, htmx: dict, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(nadia)
    page = client.get("/observatoire/rapports/").content.decode()
    assert "<html" in page and "Aucun lot" in page
    response = client.post("/observatoire/rapports/", {"level": "epci"})
    assert response.status_code == 302
    progress_url = response["Location"]
    with django_assert_max_num_queries(
        5
    ):  # session, user, groups, the batch, the generated reports
        full = ok(client.get(progress_url)).content.decode()
    assert "<html" in full and "<progress" in full and "2 / 2" in full and "Terminé" in full
    assert (
        "Rapports disponibles (2)" in full and "/rapport.pdf" in full
    )  # links to each generated PDF
    assert "db_worker" not in full
    assert "rapports/min</strong> sur 1 processus" in full
    fragment = client.get(progress_url, headers=htmx).content.decode()
    assert "<html" not in fragment and fragment.strip().startswith('<section id="progress"')
    listing = client.get("/observatoire/rapports/", headers=htmx).content.decode()
    assert "<html" not in listing and "terminé" in listing


@pytest.mark.chromium
@pytest.mark.django_db
def test_a_running_batch_polls_its_progress(geo: Any, nadia: User) -> None:
    progress = batch_start(level="epci")  # the database backend: waits for a worker
    client = logged_in(nadia)
    page = client.get(f"/observatoire/rapports/{progress['id']}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "En attente" in page
    listing = client.get("/observatoire/rapports/").content.decode()
    assert 'hx-trigger="every 2s"' in listing and "en attente" in listing


@pytest.mark.django_db
def test_unknown_batch_and_bad_level(nadia: User) -> None:
    client = logged_in(nadia)
    assert client.get("/observatoire/rapports/0123abcd/").status_code == 404
    response = client.post("/observatoire/rapports/", {"level": "planete"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
