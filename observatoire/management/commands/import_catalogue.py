"""`manage.py import_catalogue FILE [--dry-run]`: indicator definitions from a CSV or XLSX file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.typography import french_count, french_seconds
from observatoire.imports.problems import PRINTED_PROBLEMS_MAX, Problem
from observatoire.management.commands._progress import ProgressBar
from observatoire.models import ImportRun, ImportStatus
from observatoire.services import catalogue_import


def read_file(file: str) -> tuple[bytes, str]:
    """The bytes of the file named on the command line, or a French error (non-zero exit)."""
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"Fichier introuvable : {file}")
    try:
        return path.read_bytes(), path.name
    except (OSError, MemoryError) as exc:
        raise CommandError(f"Lecture du fichier impossible : {exc.__class__.__name__}.") from exc


def report_run(command: BaseCommand, run: ImportRun) -> None:
    """Print the outcome; a refused or failed run ends the command with a non-zero status."""
    command.stdout.write(
        f"{run.file_name} ({run.sha256[:12]}…) : "
        f"{french_count(run.rows_read, 'ligne lue', 'lignes lues')}, "
        f"{french_count(run.values_read, 'valeur')}, en {french_seconds(run.duration or 0)}."
    )
    if run.status == ImportStatus.SUCCEEDED:
        command.stdout.write(command.style.SUCCESS(run.message))
        return
    # The stored report keeps the first STORED_PROBLEMS_MAX problems, more than are printed.
    problems = [Problem(**problem) for problem in run.problems]
    for problem in problems[:PRINTED_PROBLEMS_MAX]:
        command.stderr.write(str(problem))
    printed = min(len(problems), PRINTED_PROBLEMS_MAX)
    if run.problem_count > printed:
        command.stderr.write(f"… et {run.problem_count - printed} autre(s) problème(s).")
    raise CommandError(run.message)


class Command(BaseCommand):
    help = (
        "Importe le catalogue des indicateurs (colonnes code;libelle;unite;source;millesime;"
        "domaine;polarite ; domaine = libellé exact d’une des 16 fragilités)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Fichier CSV ou XLSX.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Vérifier seulement, sans rien enregistrer."
        )

    def handle(self, *args: Any, file: str, dry_run: bool, **options: Any) -> None:
        data, name = read_file(file)
        bar = ProgressBar(cast(TextIO, self.stderr._out))  # the raw stream: no style, no ending
        run = catalogue_import(data=data, file_name=name, dry_run=dry_run, progress=bar)
        bar(1.0, str(run.get_status_display()))
        bar.close()
        report_run(self, run)
