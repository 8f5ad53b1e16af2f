from django.db import migrations, models

from territoires.text import search_words


def fill_search_words(apps, schema_editor):
    """Derived from the name (load_geography keeps it up to date afterwards)."""
    Territory = apps.get_model("territoires", "Territory")
    batch = []
    for territory in Territory.objects.only("id", "name").iterator(chunk_size=5000):
        territory.search_words = search_words(territory.name)
        batch.append(territory)
        if len(batch) >= 5000:
            Territory.objects.bulk_update(batch, ["search_words"])
            batch = []
    if batch:
        Territory.objects.bulk_update(batch, ["search_words"])


class Migration(migrations.Migration):
    dependencies = [
        ("territoires", "0005_fragility_indicator_unknown"),
    ]

    operations = [
        migrations.AddField(
            model_name="territory",
            name="search_words",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_words, migrations.RunPython.noop),
    ]
