"""Daily: tell each owner whose directory profile passed 13 months without confirmation."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prévient les catalyseurs dont la fiche de l'annuaire n'est plus confirmée (13 mois)."

    def handle(self, *args: Any, **options: Any) -> None:
        from pratiques.directory.services import reconfirm_reminders_send

        count = reconfirm_reminders_send()
        plural = "s" if count > 1 else ""
        self.stdout.write(f"{count} personne{plural} prévenue{plural}.")
