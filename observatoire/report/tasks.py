"""Background task of the report batches (worker: ``manage.py db_worker``)."""

from __future__ import annotations

import logging
from typing import Any

from django.tasks import task

logger = logging.getLogger(__name__)


@task()
def generate_reports(batch_id: str) -> dict[str, Any]:
    from observatoire.report.batch import batch_processes, batch_run

    # Each pool process warms its own Chromium and WeasyPrint before its first report.
    progress = batch_run(batch_id, processes=batch_processes())
    return {k: progress[k] for k in ("id", "total", "done", "rendered", "cached", "failed")}


@task()
def pregenerate_reports(reason: str = "") -> dict[str, Any]:
    """Regenerate the reports people read after a data change (``report.pregenerate``): one
    batch per level, listed on the batch page like any other."""
    from observatoire.report.batch import batch_create, batch_processes, batch_run
    from observatoire.report.pregenerate import targets

    summary: dict[str, Any] = {"reason": reason, "rendered": 0, "cached": 0, "failed": 0}
    for level, codes in targets().items():
        batch_id = batch_create(level=level, codes=codes)["id"]
        progress = batch_run(batch_id, processes=batch_processes())
        for key in ("rendered", "cached", "failed"):
            summary[key] += progress[key]
    return summary
