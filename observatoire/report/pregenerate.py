"""Reports generated in the background when their data change, so that a download is
nearly always a cached file.

Triggers: an indicator import (``observatoire.tasks.import_run_task``), a release of practice
aggregates and a grid publication (signals on ``pratiques`` models, connected in
``ObservatoireConfig.ready``: ``pratiques`` never imports ``observatoire``). Each enqueues one
task, after the commit, that regenerates the reports people actually read: every territory whose
report is in the cache (someone downloaded it), every followed territory, and the levels of
``settings.REPORT_PREGENERATE_LEVELS`` (régions and départements by default). A report whose key
did not change is a file read and is skipped as « déjà à jour ».
"""

from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.tasks import task

from config import queues
from config.tasks import enqueue_on_commit
from territoires.models import Follow, Level, Territory

logger = logging.getLogger(__name__)

DEFAULT_LEVELS = [Level.REGION, Level.DEPARTEMENT]


def targets() -> dict[str, list[str]]:
    """Territory codes to regenerate, by level."""
    codes: dict[str, set[str]] = defaultdict(set)
    root = Path(settings.CACHE_DIR) / "reports"
    if root.is_dir():
        for path in root.glob("*/*.pdf"):
            codes[path.parent.name].add(path.stem.rsplit("-", 1)[0])
    for level, code in Follow.objects.values_list("territory__level", "territory__code"):
        codes[level].add(code)
    levels = getattr(settings, "REPORT_PREGENERATE_LEVELS", DEFAULT_LEVELS)
    for level, code in Territory.objects.filter(level__in=levels).values_list("level", "code"):
        codes[level].add(code)
    return {level: sorted(found) for level, found in codes.items() if level in Level.values}


def pregenerate_enqueue(reason: str) -> None:
    """Enqueue the regeneration once the current transaction commits (never inside it, never
    after a rollback). A second task finds the reports up to date: file reads."""
    enqueue_on_commit(queues.on_long_queue(pregenerate_reports), reason)
    # The open-data files of /donnees/ change on the same three events.
    from observatoire.opendata import bulk_export_task

    enqueue_on_commit(queues.on_long_queue(bulk_export_task))


def on_release_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        pregenerate_enqueue("diffusion des agrégats de pratiques")


def on_grid_version_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from pratiques.models import GridStatus

    # A publication (``version_publish``) saves the status of an existing version; a grid
    # created as published (reference data, fixtures) changes no report already made.
    fields = kwargs.get("update_fields") or ()
    if instance.status == GridStatus.PUBLISHED and "status" in fields:
        pregenerate_enqueue("publication d'une grille")


def connect() -> None:
    from django.db.models.signals import post_save

    from pratiques.models import GridVersion, Release

    post_save.connect(on_release_saved, sender=Release, dispatch_uid="report-pregen-release")
    post_save.connect(on_grid_version_saved, sender=GridVersion, dispatch_uid="report-pregen-grid")


@task
def pregenerate_reports(reason: str = "") -> dict[str, Any]:
    """Regenerate the reports people read after a data change (``report.pregenerate``): one
    batch per level, listed on the batch page like any other."""
    # Imported here: this module is loaded at start-up (signals), the rendering stack is not.
    from observatoire.report.batch import batch_create, batch_processes, batch_run

    summary: dict[str, Any] = {"reason": reason, "rendered": 0, "cached": 0, "failed": 0}
    for level, codes in targets().items():
        batch_id = batch_create(level=level, codes=codes)["id"]
        progress = batch_run(batch_id, processes=batch_processes())
        for key in ("rendered", "cached", "failed"):
            summary[key] += progress[key]
    return summary
