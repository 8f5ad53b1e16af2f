from django.db import migrations, models


def kinds_from_catalogue(apps, schema_editor):  # noqa: ANN001, ANN201
    """Additive indicators are counts, « % » ones rates; anything else stays « non précisée »."""
    Indicator = apps.get_model("observatoire", "Indicator")
    Indicator.objects.filter(additive=True).update(kind="effectif")
    Indicator.objects.filter(additive=False, unit="%").update(kind="taux")


class Migration(migrations.Migration):
    dependencies = [("observatoire", "0002_peerdistribution")]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("effectif", "effectif (positionné pour 1 000 habitants)"),
                    ("taux", "taux ou part"),
                    ("valeur", "valeur par habitant, moyenne ou médiane"),
                    ("", "nature non précisée par la source"),
                ],
                help_text=(
                    "Un effectif est situé parmi les pairs rapporté à la population (pour 1 000 "
                    "habitants) ; un taux, une part ou une valeur médiane tels quels."
                ),
                max_length=10,
                verbose_name="nature",
            ),
        ),
        migrations.RunPython(kinds_from_catalogue, migrations.RunPython.noop),
    ]
