"""Background task of the report batches (worker: ``manage.py db_worker``)."""

from __future__ import annotations

import logging
from typing import Any

from django.tasks import task

logger = logging.getLogger(__name__)


@task()
def generate_reports(batch_id: str) -> dict[str, Any]:
    from observatoire.report import charts
    from observatoire.report.batch import batch_run

    try:
        charts.warm_exporter()  # start Chromium before the first report, not during it
    except Exception:  # a report without its charts fails alone, in batch_run, and is listed
        logger.exception("Export des graphiques indisponible (Chromium ?)")
    progress = batch_run(batch_id)
    return {k: progress[k] for k in ("id", "total", "done", "rendered", "cached", "failed")}


@task()
def pregenerate_reports(reason: str = "") -> dict[str, Any]:
    """Regenerate the reports people read after a data change (``report.pregenerate``): one
    batch per level, listed on the batch page like any other."""
    from observatoire.report import charts
    from observatoire.report.batch import batch_create, batch_run
    from observatoire.report.pregenerate import targets

    try:
        charts.warm_exporter()
    except Exception:
        logger.exception("Export des graphiques indisponible (Chromium ?)")
    summary: dict[str, Any] = {"reason": reason, "rendered": 0, "cached": 0, "failed": 0}
    for level, codes in targets().items():
        progress = batch_run(batch_create(level=level, codes=codes)["id"])
        for key in ("rendered", "cached", "failed"):
            summary[key] += progress[key]
    return summary
