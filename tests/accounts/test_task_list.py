"""« Tâches de fond »: the worker's queue and history, for network admins only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.tasks_page import duration_text
from tests.conftest import logged_in, ok

URL = "/espace/administration/taches/"
pytestmark = pytest.mark.django_db


def result(path: str, status: str, *, ran: float | None = None, **extra: Any) -> DBTaskResult:
    now = timezone.now()
    values: dict[str, Any] = {
        "task_path": path,
        "status": status,
        "args_kwargs": {"args": [], "kwargs": {}},
        "priority": 0,
        "queue_name": "default",
        "backend_name": "default",
        "enqueued_at": now - timedelta(seconds=10),
    }
    if ran is not None:
        values["started_at"] = now - timedelta(seconds=8)
        values["finished_at"] = values["started_at"] + timedelta(seconds=ran)
    values.update(extra)
    return DBTaskResult.objects.create(**values)


def test_it_works(nadia: User, django_assert_max_num_queries: Any) -> None:
    result("observatoire.tasks.import_run_task", "SUCCESSFUL", ran=2.4)
    result(
        "observatoire.report.tasks.generate_reports",
        "FAILED",
        ran=65,
        exception_class_path="builtins.MemoryError",
    )
    result("pratiques.tasks.release_aggregates_task", "READY")
    for _ in range(20):
        result("observatoire.tasks.notify_followers", "SUCCESSFUL", ran=0.1)
    client = logged_in(nadia)
    with django_assert_max_num_queries(8):
        html = ok(client.get(URL)).content.decode()
    assert "Import d’indicateurs" in html and "2,4 s" in html
    assert "Rapports PDF en lot" in html and "en échec" in html and "MemoryError" in html
    assert "1 min 05 s" in html
    assert "Diffusion des agrégats" in html and "en attente" in html
    assert "observatoire.tasks" not in html  # the domain's words, not Python paths


def test_the_filter(nadia: User, htmx: dict[str, str]) -> None:
    result("observatoire.tasks.import_run_task", "SUCCESSFUL", ran=1)
    result("pratiques.tasks.release_aggregates_task", "READY")
    client = logged_in(nadia)
    html = client.get(URL, {"statut": "READY"}).content.decode()
    assert "Diffusion des agrégats" in html and "Import d’indicateurs" not in html
    assert "En attente (1)" in html and "Terminée (1)" in html
    # No template swaps the list in: an HTMX request gets the whole page.
    page = client.get(URL, headers=htmx).content.decode()
    assert "<html" in page and 'id="tasks"' in page
    assert "Aucune tâche dans cet état." in client.get(URL, {"statut": "FAILED"}).text
    assert ok(client.get(URL, {"statut": "n'importe quoi", "page": "x"}))


def test_it_checks_the_role(alice: User, elise: User) -> None:
    assert Client().get(URL).status_code == 302
    assert logged_in(alice).get(URL).status_code == 403
    assert logged_in(elise).get(URL).status_code == 403


def test_the_admin_space_links_to_it(nadia: User) -> None:
    assert URL in logged_in(nadia).get("/espace/administration/").text


def test_durations_in_french() -> None:
    assert duration_text(timedelta(seconds=0.25)) == "0,2 s"
    assert duration_text(timedelta(seconds=185)) == "3 min 05 s"
    assert duration_text(timedelta(hours=2, minutes=3)) == "2 h 03 min"
