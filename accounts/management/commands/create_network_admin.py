"""A first network admin without createsuperuser: prints a generated password once.

Network admins are not staff: they work in the platform's own pages; Django's admin is for
superusers (technical maintenance)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from config.roles import Role


class Command(BaseCommand):
    help = "Crée (ou promeut) un administrateur du réseau et affiche son mot de passe initial."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="Par défaut, un mot de passe aléatoire est généré.")

    @transaction.atomic
    def handle(
        self, *args: Any, username: str, email: str, password: str | None, **options: Any
    ) -> None:
        if not username.strip():
            raise CommandError("L'identifiant ne peut pas être vide.")
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        new_password = password or (secrets.token_urlsafe(12) if created else None)
        if new_password:
            user.set_password(new_password)
        if email:
            user.email = email
        user.save()
        user.groups.add(Group.objects.get(name=Role.NETWORK_ADMIN.value))
        self.stdout.write(f"« {username} » est administrateur du réseau.")
        if new_password:
            self.stdout.write(
                f"Mot de passe initial : {new_password} (à changer à la première connexion)"
            )
