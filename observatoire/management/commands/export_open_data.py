"""Regenerates the open-data files of /donnees/ inline (the task ``bulk_export_task`` does the
same in the worker)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from observatoire.opendata import bulk_export, folder


class Command(BaseCommand):
    help = "Génère les fichiers des données ouvertes (CSV, Parquet, datapackage.json)."

    def handle(self, *args: Any, **options: Any) -> None:
        package = bulk_export()
        rows = sum(r["rows"] for r in package["resources"])
        self.stdout.write(f"{len(package['resources'])} fichiers, {rows} lignes : {folder()}")
