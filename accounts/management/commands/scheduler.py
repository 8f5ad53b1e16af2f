"""The recurring jobs (accounts.schedule.JOBS): `--once` runs each one now (for a crontab or a
check); without it, the process stays up and runs them when due (compose's ``scheduler``)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from accounts.schedule import JOBS, Job, due

TICK_SECONDS = 60


class Command(BaseCommand):
    help = "Lance les travaux récurrents (relances, rappels, e-mails de suivi) quand ils sont dus."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Chaque travail une fois, puis s'arrête."
        )

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        last: dict[str, dt.datetime] = {}
        while True:
            now = timezone.localtime()
            for job in JOBS:
                if once or due(job, last.get(job.name), now):
                    self._run(job)
                    last[job.name] = now
            if once:
                return
            close_old_connections()
            time.sleep(TICK_SECONDS)

    def _run(self, job: Job) -> None:
        try:
            count = job.run()
        except Exception as error:  # one failing job never stops the others
            self.stderr.write(f"{job.label} : échec ({error.__class__.__name__} : {error})")
            return
        self.stdout.write(f"{job.label} : {count}")
