"""Generate the PDF reports of every territory of a level, in the worker or inline."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from observatoire.report.batch import BATCH_LEVELS
from observatoire.report.tasks import batch_start


class Command(BaseCommand):
    help = (
        "Génère les rapports PDF de tous les territoires d'un niveau (tâche de fond ou --inline)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--niveau",
            dest="level",
            default="epci",
            choices=[level.value for level in BATCH_LEVELS],
            help="Niveau des territoires (défaut : epci).",
        )
        parser.add_argument("--code", action="append", dest="codes", help="Limiter à ce code.")
        parser.add_argument(
            "--inline", action="store_true", help="Générer ici plutôt que dans le travailleur."
        )

    def handle(
        self, *args: Any, level: str, codes: list[str] | None, inline: bool, **options: Any
    ) -> None:
        progress = batch_start(level=level, codes=codes, inline=inline)
        if progress["status"] != "finished":
            self.stdout.write(
                f"Lot {progress['id']} mis en file : lancez « manage.py db_worker » ; "
                f"avancement sur /observatoire/rapports/{progress['id']}/"
            )
            return
        self.stdout.write(
            f"{progress['done']} rapports traités en {progress['seconds']} s : "
            f"{progress['rendered']} produits, {progress['cached']} déjà à jour, "
            f"{progress['failed']} en échec."
        )
        for failure in progress["failures"]:
            self.stderr.write(f"  échec {failure['code']} {failure['name']} : {failure['error']}")
        if progress["failed"] and not progress["rendered"] and not progress["cached"]:
            raise CommandError("Aucun rapport n'a pu être généré.")
