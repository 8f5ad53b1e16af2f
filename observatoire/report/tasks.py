"""Background task of the report batches (worker: ``manage.py db_worker``)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection
from django.tasks import task

from config import queues
from observatoire import liveness
from observatoire.report.batch import (
    batch_create,
    batch_processes,
    batch_run,
    read_progress,
    write_progress,
)

logger = logging.getLogger(__name__)


@task
def generate_reports(batch_id: str) -> dict[str, Any]:
    # Each pool process warms its own Chromium and WeasyPrint before its first report.
    progress = batch_run(batch_id, processes=batch_processes())
    return {k: progress[k] for k in ("id", "total", "done", "rendered", "cached", "failed")}


def batch_start(
    *, level: str, codes: list[str] | None = None, inline: bool = False
) -> dict[str, Any]:
    """Create a batch and run it now (``inline``) or enqueue it for the task worker."""
    progress = batch_create(level=level, codes=codes)
    if inline:
        return batch_run(progress["id"])
    result = queues.on_long_queue(generate_reports).enqueue(progress["id"])
    progress["task_id"] = str(result.id)
    stored = read_progress(progress["id"])
    if not stored or stored["status"] == "queued":
        write_progress(progress)
    return read_progress(progress["id"]) or progress


def requeue(progress: dict[str, Any]) -> dict[str, Any]:
    """Queue a batch whose worker died again; batch_run resumes it after ``last_code``."""
    progress["status"] = "queued"
    progress["resumed"] = progress.get("resumed", 0) + 1
    write_progress(progress)
    task_id = str(queues.on_long_queue(generate_reports).enqueue(progress["id"]).id)
    current = read_progress(progress["id"]) or progress
    if current["status"] == "queued":  # not already taken (an immediate backend runs it inline)
        current["task_id"] = task_id
        write_progress(current)
    return current


def batch_resume_if_orphaned(progress: dict[str, Any]) -> dict[str, Any]:
    """Queues again a batch « en cours » whose worker died; it resumes after its last report."""
    if progress.get("status") != "running" or not liveness._orphaned(
        liveness.BATCH_NAMESPACE, progress["id"]
    ):
        return progress
    with connection.cursor() as cursor:  # one resumer at a time, re-reading under the lock
        cursor.execute(
            "SELECT pg_try_advisory_lock(%s, %s)",
            [liveness.BATCH_NAMESPACE, liveness._key(progress["id"])],
        )
        (ours,) = cursor.fetchone()
    if not ours:
        return progress  # a worker took it in the meantime
    try:
        current = read_progress(progress["id"]) or progress
        if current.get("status") == "running":
            logger.warning("Lot de rapports %s orphelin : remis en file", progress["id"])
            current = requeue(current)
        return current
    finally:
        liveness.release(liveness.BATCH_NAMESPACE, progress["id"])
