"""Is the process running an import or a report batch still alive? PostgreSQL advisory locks say.

The process that runs a job holds a session-level advisory lock keyed on it; PostgreSQL releases
it when that process's connection ends, killed worker included. A job still marked « en cours »
whose lock nobody holds is orphaned: an import is marked « échoué » (its transaction died with
the connection: nothing half-written), a report batch is queued again and resumes where it was.
Works across web and worker replicas, since the database is the one place they share.
"""

from __future__ import annotations

import logging
import zlib

from django.db import connection
from django.utils import timezone

from observatoire.models import ImportRun, ImportStatus

logger = logging.getLogger(__name__)

IMPORT_NAMESPACE = 711_001
BATCH_NAMESPACE = 711_002


def _key(job: int | str) -> int:
    return job if isinstance(job, int) else zlib.crc32(job.encode()) - 2**31


def hold(namespace: int, job: int | str) -> None:
    """Mark this process as the one running ``job`` (until release() or the connection's end)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [namespace, _key(job)])


def release(namespace: int, job: int | str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [namespace, _key(job)])


def _orphaned(namespace: int, job: int | str) -> bool:
    """True when nobody holds the job's lock; the lock is then briefly ours, and released."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [namespace, _key(job)])
        (free,) = cursor.fetchone()
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [namespace, _key(job)])
    return bool(free)


def import_runs_fail_orphaned() -> int:
    """Marks « échoué » every import « en cours » whose process died; returns how many."""
    failed = 0
    for run in ImportRun.objects.filter(status=ImportStatus.RUNNING).only("pk"):
        if not _orphaned(IMPORT_NAMESPACE, run.pk):
            continue
        updated = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.RUNNING).update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            progress=100,
            progress_label=str(ImportStatus.FAILED.label),
            created=0,
            updated=0,
            unchanged=0,
            message=(
                "Échec technique : le processus qui exécutait l’import s’est arrêté. "
                "Rien n’a été enregistré ; relancez l’import."
            ),
        )
        if updated:
            logger.warning("Import %s orphelin marqué en échec", run.pk)
            failed += updated
    return failed
