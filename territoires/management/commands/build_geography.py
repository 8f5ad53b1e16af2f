"""Rebuild the shipped geography fixture from a new vintage of Etalab's package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from territoires.geography import GEOGRAPHY_FIXTURE, build_rows, write_fixture


class Command(BaseCommand):
    help = (
        "Reconstruit fixtures/geographie/…csv.gz depuis le dossier data/ du paquet npm "
        "@etalab/decoupage-administratif (communes.json, epci.json, departements.json, regions.json)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("data_dir", help="Dossier data/ du paquet (après npm pack + tar xzf).")
        parser.add_argument(
            "--versions-anterieures",
            dest="earlier",
            nargs="*",
            default=[],
            help="Dossiers data/ de versions antérieures du paquet : anciens noms des EPCI.",
        )
        parser.add_argument(
            "--sortie", default=str(GEOGRAPHY_FIXTURE), help="Fichier .csv.gz à écrire."
        )

    def handle(
        self, *args: Any, data_dir: str, sortie: str, earlier: list[str], **options: Any
    ) -> None:
        folder = Path(data_dir)
        missing = [
            n
            for n in ("communes", "epci", "departements", "regions")
            if not (folder / f"{n}.json").exists()
        ]
        if missing:
            raise CommandError(
                f"Fichiers manquants dans {folder} : {', '.join(m + '.json' for m in missing)}."
            )
        missing_earlier = [e for e in earlier if not (Path(e) / "epci.json").exists()]
        if missing_earlier:
            raise CommandError(f"epci.json manquant dans : {', '.join(missing_earlier)}.")
        rows = build_rows(folder, [Path(e) for e in earlier])
        write_fixture(rows, Path(sortie))
        counts: dict[str, int] = {}
        for row in rows:
            counts[row["level"]] = counts.get(row["level"], 0) + 1
        summary = ", ".join(f"{level} {n}" for level, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Écrit {sortie} : {summary}."))
