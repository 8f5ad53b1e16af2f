"""Kept as a no-op: the role groups moved to `accounts/migrations/0001_role_groups.py`.

Already applied on existing databases (and other migrations depend on it), so it stays in the graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("territoires", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations: list[migrations.operations.base.Operation] = []
