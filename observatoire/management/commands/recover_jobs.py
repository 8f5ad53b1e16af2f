"""Before a worker starts: imports left « en cours » by a dead process end « échoué », report
batches left « en cours » are queued again and resume (see observatoire.liveness)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from observatoire.liveness import import_runs_fail_orphaned
from observatoire.report.batch import running_batches
from observatoire.report.tasks import batch_resume_if_orphaned


class Command(BaseCommand):
    help = "Reprend les tâches dont le processus s'est arrêté (imports en échec, lots de rapports relancés)."

    def handle(self, *args: Any, **options: Any) -> None:
        failed = import_runs_fail_orphaned()
        resumed = 0
        for batch in running_batches():
            resumed += batch_resume_if_orphaned(batch).get("status") != "running"
        self.stdout.write(
            f"{failed} import(s) orphelin(s) marqué(s) en échec ; {resumed} lot(s) de rapports relancé(s)."
        )
