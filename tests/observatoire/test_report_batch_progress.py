"""A report batch's progress lives on its ReportBatch row (as an import's on its ImportRun)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from observatoire.models import BatchStatus, ReportBatch
from observatoire.report.batch import (
    batch_create,
    latest_batches,
    read_progress,
    running_batches,
    write_progress,
)
from tests.conftest import logged_in, ok


@pytest.fixture(autouse=True)
def cache_dir(settings: Any, tmp_path: Path) -> Path:
    settings.CACHE_DIR = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_progress_round_trips_through_the_row(cache_dir: Path) -> None:
    progress = batch_create(level="epci", codes=["200046977"])
    stored = read_progress(progress["id"])
    assert stored is not None
    assert stored["status"] == "queued" and stored["codes"] == ["200046977"]
    assert stored["created_at"] == progress["created_at"]
    stored.update(status="running", total=1, done=1, rendered=1, last_code="200046977")
    stored.update(seconds=1.5, per_minute=40, processes=1, started_at=stored["created_at"])
    stored["failures"] = [{"code": "x", "name": "", "error": "territoire introuvable"}]
    stored["eta_seconds"] = 12  # a key without a column is kept as written
    write_progress(stored)
    assert read_progress(progress["id"]) == stored
    row = ReportBatch.objects.get(pk=progress["id"])
    assert (row.status, row.done, row.per_minute, row.extra) == (
        "running",
        1,
        40,
        {"eta_seconds": 12},
    )
    assert not (cache_dir / "report-batches").exists()  # no more progress files


@pytest.mark.django_db
def test_unknown_or_malformed_ids_read_nothing() -> None:
    assert read_progress("0123abcd") is None
    assert read_progress("../../etc/passwd") is None
    assert read_progress("x" * 100) is None


@pytest.mark.django_db
def test_latest_first_and_running_ones_for_the_resumption() -> None:
    first = batch_create(level="epci")
    second = batch_create(level="region")
    write_progress({**first, "status": BatchStatus.RUNNING.value})
    assert [b["id"] for b in latest_batches()] == [second["id"], first["id"]]
    assert [b["id"] for b in latest_batches(1)] == [second["id"]]
    assert [b["id"] for b in running_batches()] == [first["id"]]


@pytest.mark.django_db
def test_the_listing_reads_every_batch_in_one_query(
    nadia: User, django_assert_num_queries: Any
) -> None:
    for level in ("epci", "region", "departement"):
        batch_create(level=level)
    client = logged_in(nadia)
    with django_assert_num_queries(4):  # session, user, groups, the batches
        html = ok(client.get("/observatoire/rapports/")).content.decode()
    assert html.count("Suivre le lot") == 3 and "en attente" in html


@pytest.mark.django_db
def test_the_technical_admin_lists_batches(nadia: User) -> None:
    batch_create(level="epci")
    nadia.is_staff = nadia.is_superuser = True
    nadia.save()
    html = ok(logged_in(nadia).get("/admin/observatoire/reportbatch/")).content.decode()
    assert "Intercommunalité (EPCI)" in html and "en attente" in html
