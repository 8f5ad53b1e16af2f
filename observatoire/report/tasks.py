"""Background task of the report batches (worker: ``manage.py db_worker``)."""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def generate_reports(batch_id: str) -> dict[str, Any]:
    from observatoire.report import charts
    from observatoire.report.batch import batch_run

    charts.ensure_exporter()
    progress = batch_run(batch_id)
    return {k: progress[k] for k in ("id", "total", "done", "rendered", "cached", "failed")}
