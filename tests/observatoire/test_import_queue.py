"""Short jobs first: an import enqueued after a batch of reports runs before it (each queue has
its worker), and its page says where it stands in the short jobs' queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from observatoire.models import ImportKind, ImportRun, ImportStatus
from observatoire.report.tasks import batch_start
from observatoire.services import import_run_create
from observatoire.tasks import import_run_task
from tests.conftest import logged_in

# The worker opens and closes its own connections: committed data, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "long"]}
}
CATALOGUE = (
    "code;libelle;unite;source;millesime;domaine;polarite;additif\n"
    "RSA;Allocataires du RSA;personnes;Essai;2022;Pauvreté / lutte contre l'exclusion;"
    "fragilite;oui\n"
)


@pytest.fixture(autouse=True)
def database_tasks(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = DATABASE
    settings.CACHE_DIR = tmp_path


def enqueue_import(user: User | None = None) -> ImportRun:
    run = import_run_create(
        kind=ImportKind.CATALOGUE,
        data=CATALOGUE.encode(),
        file_name="catalogue.csv",
        user=user,
        dry_run=True,
    )
    import_run_task.enqueue(run.pk)
    return run


def test_an_import_enqueued_after_a_batch_finishes_first(geo: Any) -> None:
    batch = batch_start(level="commune")
    run = enqueue_import()
    batch_task = DBTaskResult.objects.get(task_path__endswith="generate_reports")
    assert batch_task.queue_name == "long"
    assert DBTaskResult.objects.get(task_path__endswith="import_run_task").queue_name == "default"

    # The short jobs' worker, as `make run` and compose start it, takes the import at once.
    call_command("db_worker", queue_name="default", batch=True, no_startup_delay=True)
    run.refresh_from_db()
    assert run.status == ImportStatus.SUCCEEDED
    batch_task.refresh_from_db()
    assert batch_task.status == TaskResultStatus.READY  # still waiting for the long worker

    call_command("db_worker", queue_name="long", batch=True, no_startup_delay=True)
    batch_task.refresh_from_db()
    assert batch_task.status == TaskResultStatus.SUCCESSFUL
    assert batch_task.finished_at > DBTaskResult.objects.get(pk=run_task_pk(run)).finished_at
    assert batch["level"] == "commune"


def run_task_pk(run: ImportRun) -> Any:
    return DBTaskResult.objects.get(
        task_path__endswith="import_run_task", args_kwargs__args__0=run.pk
    ).pk


def test_the_import_page_says_where_it_stands_in_the_queue(
    nadia: User, geo: Any, django_assert_max_num_queries: Any
) -> None:
    batch_start(level="commune")  # on the long queue: not before the import
    first = enqueue_import(nadia)
    second = enqueue_import(nadia)
    client = logged_in(nadia)

    page = client.get(f"/observatoire/imports/{first.pk}/").content.decode()
    assert "Prochain traitement de la file des tâches courtes" in page
    assert "lot de rapports" not in page

    with django_assert_max_num_queries(12):
        page = client.get(f"/observatoire/imports/{second.pk}/").content.decode()
    assert "Position dans la file des tâches courtes : 2<sup>e</sup>" in page
    assert "avant lui : un import d’indicateurs" in page

    DBTaskResult.objects.filter(args_kwargs__args__0=first.pk).update(
        status=TaskResultStatus.RUNNING
    )
    page = client.get(f"/observatoire/imports/{second.pk}/").content.decode()
    assert "Prochain traitement" in page and "en cours : un import d’indicateurs" in page

    call_command("db_worker", queue_name="default", batch=True, no_startup_delay=True)
    second.refresh_from_db()
    assert second.status == ImportStatus.SUCCEEDED
    page = client.get(f"/observatoire/imports/{second.pk}/").content.decode()
    assert 'data-field="queue"' not in page
