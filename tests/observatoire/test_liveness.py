"""Jobs whose process died: an import ends « échoué », a report batch resumes where it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from config.backup import conninfo
from observatoire import liveness
from observatoire.models import ImportKind, ImportRun, ImportStatus
from observatoire.report import batch as batch_module
from observatoire.report.batch import batch_create, read_progress
from observatoire.report.tasks import batch_resume_if_orphaned
from tests.conftest import logged_in

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def running_import() -> ImportRun:
    return ImportRun.objects.create(
        kind=ImportKind.VALUES,
        dry_run=False,
        status=ImportStatus.RUNNING,
        file_name="valeurs.csv",
        sha256="0" * 64,
        progress=2,
    )


@pytest.fixture
def other_process() -> Any:
    """Another process's connection to the database (a live worker)."""
    with psycopg.connect(conninfo(connection), autocommit=True) as other:
        yield other


@pytest.mark.django_db
def test_an_import_whose_worker_died_ends_failed(nadia, other_process) -> None:
    dead, alive = running_import(), running_import()
    other_process.execute("SELECT pg_advisory_lock(%s, %s)", [liveness.IMPORT_NAMESPACE, alive.pk])
    assert liveness.import_runs_fail_orphaned() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == ImportStatus.FAILED and dead.finished_at is not None
    assert "Rien n’a été enregistré" in dead.message
    assert alive.status == ImportStatus.RUNNING  # its worker still holds the lock


@pytest.mark.django_db
def test_the_polled_page_of_an_orphaned_import_stops_polling(nadia, htmx) -> None:
    run = running_import()
    response = logged_in(nadia).get(f"/observatoire/imports/{run.pk}/", headers=htmx)
    assert response.status_code == 200
    html = response.content.decode()
    assert "le processus qui exécutait l’import s’est arrêté" in html
    assert "every 1s" not in html


@pytest.mark.django_db
def test_an_import_holds_its_lock_while_it_runs(monkeypatch, other_process) -> None:
    from observatoire import services

    seen = {}

    def probe(*, run: ImportRun, data: bytes | None, progress: Any) -> ImportRun:
        seen["free"] = other_process.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", [liveness.IMPORT_NAMESPACE, run.pk]
        ).fetchone()[0]
        return run

    monkeypatch.setattr(services, "_import_run_execute", probe)
    run = running_import()
    services.import_run_execute(run=run, data=b"")
    assert seen["free"] is False  # another process sees the import as alive
    assert other_process.execute(
        "SELECT pg_try_advisory_lock(%s, %s)", [liveness.IMPORT_NAMESPACE, run.pk]
    ).fetchone()[0]  # and released once it is over


def test_a_batch_whose_worker_died_resumes_after_its_last_report(
    db: None, geo: Any, settings: Any, tmp_path: Path, monkeypatch, other_process
) -> None:
    settings.TASKS = IMMEDIATE
    settings.CACHE_DIR = tmp_path
    rendered: list[str] = []
    monkeypatch.setattr(
        batch_module,
        "get_report",
        lambda territory: rendered.append(territory.code) or (b"", False),
    )
    codes = ["42095", "42218", "94067", "94080"]
    progress = batch_create(level="commune", codes=codes)
    # The worker died after two reports (as last written to the progress file).
    progress.update(status="running", total=4, done=2, rendered=2, last_code="42218", seconds=3.0)
    batch_module.write_progress(progress)

    other_process.execute(
        "SELECT pg_advisory_lock(%s, %s)",
        [liveness.BATCH_NAMESPACE, liveness._key(progress["id"])],
    )
    assert batch_resume_if_orphaned(progress)["status"] == "running"  # still alive
    other_process.execute("SELECT pg_advisory_unlock_all()")

    call_command("recover_jobs")
    final = read_progress(progress["id"])
    assert rendered == ["94067", "94080"]  # only what was left
    assert final["status"] == "finished"
    assert (final["done"], final["rendered"], final["failed"], final["resumed"]) == (4, 4, 0, 1)
