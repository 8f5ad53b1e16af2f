"""A first network admin without createsuperuser: prints a generated password once.

Network admins are not staff: they work in the platform's own pages; Django's admin is for
superusers (technical maintenance)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.people import person_ensure
from config.roles import Role


class Command(BaseCommand):
    help = "Crée (ou promeut) un administrateur du réseau et affiche son mot de passe initial."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="Par défaut, un mot de passe aléatoire est généré.")

    def handle(
        self, *args: Any, username: str, email: str, password: str | None, **options: Any
    ) -> None:
        if not username.strip():
            raise CommandError("L'identifiant ne peut pas être vide.")
        _user, new_password = person_ensure(
            username=username, role=Role.NETWORK_ADMIN, email=email, password=password
        )
        self.stdout.write(f"« {username} » est administrateur du réseau.")
        if new_password:
            self.stdout.write(
                f"Mot de passe initial : {new_password} (à changer à la première connexion)"
            )
