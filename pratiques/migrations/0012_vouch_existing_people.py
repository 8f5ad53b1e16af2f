"""Who counts, for the data already there (docs/secret-statistique.md, « Données existantes »):

- an active account whose history says « Invitation acceptée » (invited by a network admin) is
  vouched for, source « invitation »;
- an active account imported in a campaign's population (not one that joined by the open link)
  is vouched for, source « campagne »;
- the demonstration's catalysts (their assessments are marked demo) are vouched for, source
  « démonstration ».
Everyone else (open sign-ups) waits for an admin's approval: their assessments leave figures
about others at the next release.
"""

from __future__ import annotations

from django.db import migrations


def vouch_existing(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Vouch = apps.get_model("pratiques", "Vouch")
    LogEntry = apps.get_model("admin", "LogEntry")
    Invitee = apps.get_model("pratiques", "Invitee")
    Assessment = apps.get_model("pratiques", "Assessment")
    sources: dict[int, str] = {}
    for user_id in Assessment.objects.filter(is_demo=True).values_list("user_id", flat=True):
        sources.setdefault(user_id, "demo")
    for user_id in Invitee.objects.filter(source="import", user__isnull=False).values_list(
        "user_id", flat=True
    ):
        sources.setdefault(user_id, "campagne")
    for object_id in LogEntry.objects.filter(
        change_message__startswith="Invitation acceptée"
    ).values_list("object_id", flat=True):
        if object_id and object_id.isdigit():
            sources.setdefault(int(object_id), "invitation")
    active = set(
        User.objects.filter(pk__in=list(sources), is_active=True).values_list("pk", flat=True)
    )
    Vouch.objects.bulk_create(
        [Vouch(user_id=u, source=s) for u, s in sources.items() if u in active],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("pratiques", "0011_release_keyed_noise_budget_records"),
    ]

    operations = [migrations.RunPython(vouch_existing, migrations.RunPython.noop)]
