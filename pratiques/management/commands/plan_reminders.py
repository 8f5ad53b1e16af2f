"""Sends the development plans' reminders due today, inline (cron: once a day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pratiques.plan.reminders import plan_reminders_send


class Command(BaseCommand):
    help = "Envoie les rappels d'échéance des plans de développement (relançable : chaque rappel part une fois)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = plan_reminders_send()
        self.stdout.write(f"{sent} rappel(s) envoyé(s).")
