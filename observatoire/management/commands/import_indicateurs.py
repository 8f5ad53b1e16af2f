"""`manage.py import_indicateurs FILE --annee YYYY [--dry-run]`: indicator values (wide or long)."""

from __future__ import annotations

from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandParser

from observatoire.management.commands._progress import ProgressBar
from observatoire.management.commands.import_catalogue import read_file, report_run
from observatoire.services import values_import
from territoires.models import Level


class Command(BaseCommand):
    help = (
        "Importe des valeurs d’indicateurs : fichier large (une colonne par indicateur, code "
        "du territoire dans CODGEO) ou long (indicateur, code, annee, valeur), CSV ou XLSX."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Fichier CSV ou XLSX.")
        parser.add_argument(
            "--annee",
            type=int,
            help="Année des valeurs (obligatoire pour un fichier large ; un fichier long peut "
            "porter une colonne « annee »).",
        )
        parser.add_argument(
            "--niveau",
            default=Level.COMMUNE.value,
            choices=[level for level in Level.values if level != Level.PROJECT],
            help="Niveau des territoires du fichier (défaut : commune).",
        )
        parser.add_argument(
            "--colonne-code",
            default="CODGEO",
            help="Colonne du code du territoire (défaut : CODGEO).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Vérifier seulement, sans rien enregistrer."
        )

    def handle(
        self,
        *args: Any,
        file: str,
        annee: int | None,
        niveau: str,
        colonne_code: str,
        dry_run: bool,
        **options: Any,
    ) -> None:
        data, name = read_file(file)
        bar = ProgressBar(cast(TextIO, self.stderr._out))  # the raw stream: no style, no ending
        run = values_import(
            data=data,
            file_name=name,
            year=annee,
            level=niveau,
            code_column=colonne_code,
            dry_run=dry_run,
            progress=bar,
        )
        bar(1.0, str(run.get_status_display()))
        bar.close()
        report_run(self, run)
