"""Migration 0007 carries the values of an unpartitioned table into partitions by year, and back."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("observatoire", "0006_reportbatch")]
AFTER = [("observatoire", "0007_indicatorvalue_partitioned")]


def migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indicator_id, territory_id, year, value FROM observatoire_indicatorvalue "
            "ORDER BY 1, 2, 3"
        )
        return cursor.fetchall()


def partitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = 'observatoire_indicatorvalue'::regclass ORDER BY 1"""
        )
        return [name for (name,) in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_the_values_are_carried_into_partitions_and_back(geo: Any) -> None:
    from observatoire.models import Indicator

    indicator = Indicator.objects.create(code="TX_TEST", label="Test")
    try:
        migrate(BEFORE)
        assert partitions() == []
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO observatoire_indicatorvalue (indicator_id, territory_id, year, value) "
                "VALUES (%s, %s, 2019, 1.5), (%s, %s, 2021, NULL), (%s, %s, 2021, 3)",
                [
                    indicator.pk,
                    geo.vincennes.pk,
                    indicator.pk,
                    geo.vincennes.pk,
                    indicator.pk,
                    geo.saint_etienne.pk,
                ],
            )
        carried = rows()
        migrate(AFTER)
        assert partitions() == [
            "observatoire_indicatorvalue_default",
            "observatoire_indicatorvalue_y2019",
            "observatoire_indicatorvalue_y2021",
        ]
        assert rows() == carried
        migrate(BEFORE)
        assert partitions() == [] and rows() == carried
    finally:
        migrate(AFTER)
