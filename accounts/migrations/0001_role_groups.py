"""The three role groups, owned by the accounts app (they were created by territoires 0002).

`get_or_create`: on a database where territoires 0002 already created them, nothing changes.
"""

from django.db import migrations

ROLES = ["catalyseur", "administrateur", "elu"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
