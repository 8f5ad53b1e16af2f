"""`manage.py release_aggregates`: the dated release (« diffusion ») of practice aggregates.

Planned monthly (cron or scheduler: `0 6 1 * * manage.py release_aggregates`); a network admin
can also trigger one from the analytics page.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from config.refusals import Refused
from pratiques.aggregates import release_aggregates


class Command(BaseCommand):
    help = (
        "Calcule et publie une nouvelle diffusion des agrégats de pratiques (secret statistique)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            release = release_aggregates(trigger="commande")
        except Refused as refusal:  # at most one release per calendar month
            raise CommandError(refusal.text) from refusal
        rows = release.aggregates.values_list("status", flat=True)
        counts = {s: 0 for s in ("published", "below", "suppressed")}
        for status in rows:
            counts[status] += 1
        self.stdout.write(
            f"{release} : {release.people} personnes ; {counts['published']} territoires publiés, "
            f"{counts['suppressed']} masqués (secret secondaire), {counts['below']} sous le seuil."
        )
