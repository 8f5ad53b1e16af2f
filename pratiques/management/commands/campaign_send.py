"""Sends the campaign invitations and the reminders due today, inline (cron: once a day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pratiques.campaigns.sending import campaign_messages_run


class Command(BaseCommand):
    help = "Envoie les invitations et les relances dues des campagnes ouvertes (relançable)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--campagne", type=int, default=None, help="identifiant d'une campagne")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = campaign_messages_run(campaign_id=options["campagne"])
        self.stdout.write(f"{sent} message(s) envoyé(s).")
