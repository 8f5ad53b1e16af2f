"""Network admins work in the platform's own pages (/comptes/personnes/, curation…): they are no
longer staff, so Django's technical admin (superusers only) stops greeting them with « aucune
permission »."""

from django.db import migrations


def clear_staff(apps, schema_editor):
    User = apps.get_model("auth", "User")
    User.objects.filter(groups__name="administrateur", is_superuser=False, is_staff=True).update(
        is_staff=False
    )


class Migration(migrations.Migration):
    dependencies = [("territoires", "0004_mandates_follows")]

    operations = [migrations.RunPython(clear_staff, migrations.RunPython.noop)]
