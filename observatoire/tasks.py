"""Background work of the Observatoire (Django tasks; `manage.py db_worker` in production)."""

from __future__ import annotations

from django.db import connections
from django.tasks import task

from config.tasks import enqueue_on_commit
from observatoire.models import ImportRun, ImportStatus
from observatoire.opendata import bulk_export_task  # noqa: F401  (defined beside its service)
from observatoire.services import import_run_execute


class ProgressWriter:
    """Writes an import's progress through its own connection, so that a page polling the run
    sees it while the import's transaction is still open."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.last = -1
        self.connection = connections.create_connection("default")

    def __call__(self, fraction: float, label: str) -> None:
        percent = max(0, min(99, round(fraction * 100)))
        if percent == self.last:
            return
        self.last = percent
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportRun._meta.db_table} SET progress = %s, progress_label = %s "
                "WHERE id = %s",
                [percent, label[:200], self.run_id],
            )

    def close(self) -> None:
        self.connection.close()


@task
def import_run_task(run_id: int) -> str:
    run = ImportRun.objects.get(pk=run_id)
    writer = ProgressWriter(run_id)
    try:
        run = import_run_execute(run=run, progress=writer)
    finally:
        writer.close()
    enqueue_on_commit(notify_followers)  # a new vintage changes reports that officials follow
    if run.status == ImportStatus.SUCCEEDED and not run.dry_run:
        from observatoire.report.pregenerate import pregenerate_enqueue

        pregenerate_enqueue("import d'indicateurs")  # downloads then find the new reports ready
    return run.status


@task
def notify_followers() -> int:
    """E-mails officials whose followed territory's report changed (``observatoire.follows``)."""
    from observatoire.follows import followers_notify

    return followers_notify()
