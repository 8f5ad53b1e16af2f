"""Indicator values partitioned by year (LIST), existing rows carried over; checksums of imports.

Each year that has values gets its partition ``observatoire_indicatorvalue_y<year>``; rows of a
year the loader has not given a partition yet land in ``observatoire_indicatorvalue_default``.
The foreign keys of the values leave the database (Django still cascades deletions): the loader
checks and locks the ids it writes (``observatoire.imports.partitions``).
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

TABLE = "observatoire_indicatorvalue"
COLUMNS = "indicator_id, territory_id, year, value"


def territory_index_name(schema_editor: Any, apps: Any) -> str:
    model = apps.get_model("observatoire", "IndicatorValue")
    return schema_editor._create_index_name(model._meta.db_table, ["territory_id"], suffix="")


def partition(apps: Any, schema_editor: Any) -> None:
    index = territory_index_name(schema_editor, apps)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_unpartitioned")
        cursor.execute(
            f"""CREATE TABLE {TABLE} (
                indicator_id bigint NOT NULL,
                territory_id bigint NOT NULL,
                year smallint NOT NULL CONSTRAINT {TABLE}_year_check CHECK (year >= 0),
                value double precision NULL
            ) PARTITION BY LIST (year)"""
        )
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
        cursor.execute(f"SELECT DISTINCT year FROM {TABLE}_unpartitioned ORDER BY year")
        for (year,) in cursor.fetchall():
            cursor.execute(
                f"CREATE TABLE {TABLE}_y{int(year)} PARTITION OF {TABLE} FOR VALUES IN ({int(year)})"
            )
        cursor.execute(
            f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {COLUMNS} FROM {TABLE}_unpartitioned"
        )
        cursor.execute(f"DROP TABLE {TABLE}_unpartitioned")
        cursor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey "
            "PRIMARY KEY (indicator_id, territory_id, year)"
        )
        cursor.execute(f'CREATE INDEX "{index}" ON {TABLE} (territory_id)')
        cursor.execute(f"ANALYZE {TABLE}")


def unpartition(apps: Any, schema_editor: Any) -> None:
    index = territory_index_name(schema_editor, apps)
    with schema_editor.connection.cursor() as cursor:
        # The restored foreign keys are checked now, not at the commit (the index follows).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_partitioned")
        cursor.execute(
            f"ALTER TABLE {TABLE}_partitioned RENAME CONSTRAINT {TABLE}_pkey TO {TABLE}_ppkey"
        )
        cursor.execute(f'ALTER INDEX "{index}" RENAME TO "{index}_p"')
        cursor.execute(
            f"""CREATE TABLE {TABLE} (
                indicator_id bigint NOT NULL
                    REFERENCES observatoire_indicator (id) DEFERRABLE INITIALLY DEFERRED,
                territory_id bigint NOT NULL
                    REFERENCES territoires_territory (id) DEFERRABLE INITIALLY DEFERRED,
                year smallint NOT NULL CHECK (year >= 0),
                value double precision NULL,
                CONSTRAINT {TABLE}_pkey PRIMARY KEY (indicator_id, territory_id, year)
            )"""
        )
        cursor.execute(f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {COLUMNS} FROM {TABLE}_partitioned")
        cursor.execute(f"DROP TABLE {TABLE}_partitioned")
        cursor.execute(f'CREATE INDEX "{index}" ON {TABLE} (territory_id)')


class Migration(migrations.Migration):
    dependencies = [
        ("observatoire", "0006_reportbatch"),
        ("territoires", "0007_merge_0005_network_admins_not_staff_0006_search_words"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="indicatorvalue",
                    name="indicator",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="values",
                        to="observatoire.indicator",
                    ),
                ),
                migrations.AlterField(
                    model_name="indicatorvalue",
                    name="territory",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="indicator_values",
                        to="territoires.territory",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(partition, unpartition)],
        ),
        migrations.CreateModel(
            name="ValuesDigest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="année")),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("pays", "France"),
                            ("region", "Région"),
                            ("departement", "Département"),
                            ("epci", "Intercommunalité (EPCI)"),
                            ("commune", "Commune"),
                            ("arrondissement", "Arrondissement municipal"),
                            ("projet", "Territoire de projet"),
                        ],
                        max_length=16,
                        verbose_name="niveau",
                    ),
                ),
                ("digest", models.CharField(max_length=64, verbose_name="empreinte")),
                ("rows", models.PositiveIntegerField(default=0, verbose_name="valeurs")),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="observatoire.indicator",
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="observatoire.importrun",
                        verbose_name="import",
                    ),
                ),
            ],
            options={
                "verbose_name": "empreinte de valeurs importées",
                "verbose_name_plural": "empreintes de valeurs importées",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("indicator", "year", "level"), name="values_digest_unique"
                    )
                ],
            },
        ),
    ]
