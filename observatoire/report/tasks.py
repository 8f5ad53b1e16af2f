"""Background task of the report batches (worker: ``manage.py db_worker``)."""

from __future__ import annotations

import logging
from typing import Any

from django.tasks import task

from observatoire.report.batch import (
    batch_create,
    batch_processes,
    batch_run,
    read_progress,
    write_progress,
)

logger = logging.getLogger(__name__)


@task()
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
    result = generate_reports.enqueue(progress["id"])
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
    task_id = str(generate_reports.enqueue(progress["id"]).id)
    current = read_progress(progress["id"]) or progress
    if current["status"] == "queued":  # not already taken (an immediate backend runs it inline)
        current["task_id"] = task_id
        write_progress(current)
    return current


@task()
def pregenerate_reports(reason: str = "") -> dict[str, Any]:
    """Regenerate the reports people read after a data change (``report.pregenerate``): one
    batch per level, listed on the batch page like any other."""
    from observatoire.report.pregenerate import targets

    summary: dict[str, Any] = {"reason": reason, "rendered": 0, "cached": 0, "failed": 0}
    for level, codes in targets().items():
        batch_id = batch_create(level=level, codes=codes)["id"]
        progress = batch_run(batch_id, processes=batch_processes())
        for key in ("rendered", "cached", "failed"):
            summary[key] += progress[key]
    return summary
