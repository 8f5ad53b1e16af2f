from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Accounts, role spaces and dashboards: the floor above the three domain apps."""

    name = "accounts"
    verbose_name = "Comptes"
