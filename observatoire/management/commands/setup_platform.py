"""Bring a database to a working platform: schema, reference data, optional demo data."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from config.people import person_ensure
from config.roles import Role

APPS = ["territoires", "pratiques", "observatoire"]

DEMO_PASSWORD = "demo-catalyseurs-2026"
DEMO_ACCOUNTS = [
    ("admin-demo", Role.NETWORK_ADMIN, "Administratrice", "Démo", False),
    ("catalyseur-demo", Role.CATALYST, "Camille", "Catalyseur (démo)", False),
    ("elu-demo", Role.OFFICIAL, "Élise", "Élue (démo)", False),
]


class Command(BaseCommand):
    help = "Migre la base, charge les données de référence et, avec --demo, les données de démonstration."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo", action="store_true", help="Charger aussi les données de démonstration."
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="Ne pas appliquer les migrations."
        )

    def handle(self, *args: Any, demo: bool, no_migrate: bool, **options: Any) -> None:
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("createcachetable", verbosity=0)
        for app in APPS:
            self.stdout.write(f"Données de référence : {app}")
            import_module(f"{app}.setup").load_reference(stdout=self.stdout)
        if demo:
            self._demo_accounts()
            for app in APPS:
                self.stdout.write(f"Données de démonstration : {app}")
                import_module(f"{app}.setup").load_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Plateforme prête."))
        if demo:
            self._print_demo_credentials()

    @transaction.atomic
    def _demo_accounts(self) -> None:
        for username, role, first, last, staff in DEMO_ACCOUNTS:
            person_ensure(
                username=username,
                role=role,
                email=f"{username}@demo.invalid",
                password=DEMO_PASSWORD,
                keep_password=True,
                first_name=first,
                last_name=last,
                staff=staff,
            )

    def _print_demo_credentials(self) -> None:
        bar = "=" * 72
        self.stdout.write(bar)
        self.stdout.write(
            "COMPTES DE DÉMONSTRATION — données de démonstration, jamais en production"
        )
        for username, role, *_ in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {role.label:<32} identifiant : {username:<18} mot de passe : {DEMO_PASSWORD}"
            )
        self.stdout.write(bar)
