"""Fragility readings typed before their indicator source was a choice of the catalogue: a code
that names an indicator but for its case is corrected, any other is flagged « à vérifier »."""

from django.db import migrations


def check_sources(apps, schema_editor):
    Indicator = apps.get_model("observatoire", "Indicator")
    FragilityReading = apps.get_model("territoires", "FragilityReading")
    codes = {code.lower(): code for code in Indicator.objects.values_list("code", flat=True)}
    for reading in FragilityReading.objects.filter(source="indicateur"):
        known = codes.get(reading.indicator_code.strip().lower())
        if known:
            if known != reading.indicator_code or reading.indicator_unknown:
                reading.indicator_code, reading.indicator_unknown = known, False
                reading.save(update_fields=["indicator_code", "indicator_unknown"])
        elif not reading.indicator_unknown:
            reading.indicator_unknown = True
            reading.save(update_fields=["indicator_unknown"])


class Migration(migrations.Migration):
    dependencies = [
        ("observatoire", "0003_level_arrondissement"),
        ("territoires", "0005_fragility_indicator_unknown"),
    ]

    operations = [migrations.RunPython(check_sources, migrations.RunPython.noop)]
