"""Load (or reload) the geography fixture; idempotent, reports what changed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.typography import french_seconds
from territoires.geography import GEOGRAPHY_FIXTURE, build_rows, geography_load


class Command(BaseCommand):
    help = (
        "Charge la géographie (régions, départements, EPCI, communes) depuis le fichier livré, "
        "ou depuis un dossier data/ du paquet Etalab (--depuis-json). Deux passages successifs "
        "ne changent rien ; la commande dit ce qui a été créé, mis à jour ou a disparu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fichier", default=str(GEOGRAPHY_FIXTURE))
        parser.add_argument("--depuis-json", dest="json_dir", default="")
        parser.add_argument(
            "--supprimer-disparus",
            dest="prune",
            action="store_true",
            help="Supprimer les territoires disparus de la source (sauf s'ils sont référencés).",
        )

    def handle(self, *args: Any, fichier: str, json_dir: str, prune: bool, **options: Any) -> None:
        start = time.perf_counter()
        if json_dir:
            rows = build_rows(Path(json_dir))
        else:
            if not Path(fichier).exists():
                raise CommandError(f"Fichier introuvable : {fichier}")
            rows = None
        report = geography_load(rows=rows, path=Path(fichier), prune=prune)
        for line in report.lines():
            self.stdout.write(line)
        verdict = "changements appliqués" if report.changed else "aucun changement"
        self.stdout.write(
            f"Géographie : {verdict} ({french_seconds(time.perf_counter() - start)})."
        )
