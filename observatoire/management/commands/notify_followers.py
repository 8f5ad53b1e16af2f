"""Report-changed e-mails to officials who follow a territory (run hourly by `manage.py scheduler`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from config.tasks import enqueue_on_commit


class Command(BaseCommand):
    help = (
        "Prévient par e-mail les élu·e·s dont un territoire suivi a un rapport modifié "
        "(un e-mail par changement, jamais deux)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--inline", action="store_true", help="Tout de suite, sans passer par le worker."
        )

    def handle(self, *args: Any, inline: bool, **options: Any) -> None:
        if inline:
            from observatoire.follows import followers_notify

            self.stdout.write(f"{followers_notify()} e-mail(s) envoyé(s).")
            return
        from observatoire.tasks import notify_followers

        enqueue_on_commit(notify_followers)
        self.stdout.write("Tâche mise en file pour le worker (manage.py db_worker).")
