"""A national vintage: its own partition, checksums that skip what is unchanged, peer
distributions computed in memory equal to PostgreSQL's, nothing left behind by a failure."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from observatoire.imports import distributions, loading, partitions
from observatoire.models import Indicator, PeerDistribution, ValuesDigest
from territoires.models import Territory
from tests.observatoire.test_import_arrondissements import paris  # noqa: F401
from tests.observatoire.test_import_values import WIDE_LATIN1, run_values, snapshot


def partitions_of_values() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = %s::regclass ORDER BY 1""",
            [partitions.TABLE],
        )
        return [name for (name,) in cursor.fetchall()]


def leftover_load_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE %s", ["%\\_load%"])
        return [name for (name,) in cursor.fetchall()]


def distribution_rows() -> dict[tuple, tuple[int, list[float]]]:
    return {
        (d.indicator_id, d.year, d.level, d.segment_id): (d.count, d.quantiles)
        for d in PeerDistribution.objects.all()
    }


def digests() -> list[tuple]:
    return sorted(ValuesDigest.objects.values_list("indicator__code", "year", "level", "digest"))


@pytest.fixture
def bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "BULK_ROWS", 1)


def test_a_national_load_gets_its_own_partition(
    catalogue: dict[str, Indicator], bulk: None
) -> None:
    before = partitions_of_values()
    run_values(WIDE_LATIN1, year=2020)
    run = run_values(WIDE_LATIN1, year=2021)
    assert run.status == "reussi", run.message
    assert "partition neuve" in run.message
    assert set(partitions_of_values()) - set(before) == {
        partitions.partition_name(2020),
        partitions.partition_name(2021),
    }
    assert leftover_load_tables() == []
    # Read through the ORM as before, each year from its partition.
    assert {year for _, _, year, _ in snapshot()} == {2020, 2021}
    assert len(snapshot()) == 2 * (15 + 7)


def test_a_small_file_goes_to_the_default_partition_then_moves_with_its_vintage(
    catalogue: dict[str, Indicator], monkeypatch: pytest.MonkeyPatch
) -> None:
    run_values("CODGEO;TX_CHOM\n94080;8,0\n")
    before = snapshot()
    monkeypatch.setattr(loading, "BULK_ROWS", 1)
    run = run_values("CODGEO;TX_PAUV\n94080;9,1\n")
    assert "partition neuve" in run.message
    # The year's rows left the default partition for their own, TX_CHOM included.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {partitions.DEFAULT}")
        assert cursor.fetchone()[0] == 0
    assert set(before) <= set(snapshot())


def test_a_reimport_is_skipped_by_its_checksums(
    catalogue: dict[str, Indicator], bulk: None
) -> None:
    run_values(WIDE_LATIN1)
    before, kept = snapshot(), digests()
    assert len(kept) == 3
    again = run_values(WIDE_LATIN1)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 15)
    assert "empreintes identiques" in again.message
    assert snapshot() == before and digests() == kept


def test_only_the_changed_indicator_is_written(
    catalogue: dict[str, Indicator], bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_values(WIDE_LATIN1)
    staged: list[list[int]] = []
    copy_blocks = loading.copy_blocks

    def spy(table: str, blocks: Any, **kwargs: Any) -> int:
        blocks = list(blocks)
        staged.append(sorted({int(i) for block in blocks for i in block.indicator_ids}))
        return copy_blocks(table, blocks, **kwargs)

    monkeypatch.setattr(loading, "copy_blocks", spy)
    run = run_values(WIDE_LATIN1.replace(b"7,5", b"7,6"))
    assert (run.created, run.updated, run.unchanged) == (0, 1, 14)
    assert staged == [[catalogue["TX_CHOM"].pk]]
    assert ("TX_CHOM", "94080", 2021, 7.6) in snapshot()


def test_a_value_written_by_another_file_is_restored_by_the_full_file(
    catalogue: dict[str, Indicator],
) -> None:
    run_values(WIDE_LATIN1)
    run_values("CODGEO;TX_CHOM\n94080;8,0\n")
    run = run_values(WIDE_LATIN1)
    assert (run.created, run.updated, run.unchanged) == (0, 1, 14)
    assert ("TX_CHOM", "94080", 2021, 7.5) in snapshot()


def test_counts_summed_up_the_levels_forget_the_checksums_of_those_levels(
    catalogue: dict[str, Indicator],
) -> None:
    run_values("CODGEO;P21_POP\n94;70000\n", level="departement")
    assert ("P21_POP", 2021, "departement") in {d[:3] for d in digests()}
    run_values(WIDE_LATIN1)  # sums the communes into the département
    assert ("P21_POP", 2021, "departement") not in {d[:3] for d in digests()}
    run = run_values("CODGEO;P21_POP\n94;70000\n", level="departement")
    assert run.updated == 1  # not skipped: the row had been rewritten by the sum


def test_peer_distributions_from_memory_equal_postgresql(
    paris: Territory,  # noqa: F811
    catalogue: dict[str, Indicator],
    bulk: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    compute = loading.memory_distributions

    def spy(*args: Any) -> Any:
        calls.append(1)
        return compute(*args)

    monkeypatch.setattr(loading, "memory_distributions", spy)
    # Paris given by its arrondissements only: its summed count joins the communes' peers.
    text = (
        "CODGEO;P21_POP;TX_CHOM;TX_PAUV\n"
        "75101;15917;8,1;s\n75115;229713;6,9;12,5\n"
        "94080;48193;7,5;9,1\n94067;21071;6,2;8,0\n42218;173136;15,3;21,4\n"
        "42095;16817;-;18,3\n42001;512;;4,0\n"
    )
    run = run_values(text)
    assert run.status == "reussi", run.message
    assert calls == [1]
    in_memory = distribution_rows()
    assert in_memory
    indicator_ids = [indicator.pk for indicator in catalogue.values()]
    distributions.peer_distributions_refresh(indicator_ids=indicator_ids, years=[2021])
    in_sql = distribution_rows()
    assert in_memory.keys() == in_sql.keys()
    for key, (count, quantiles) in in_sql.items():
        assert in_memory[key][0] == count
        assert in_memory[key][1] == pytest.approx(quantiles, rel=1e-12, abs=1e-12)


def test_a_failed_national_load_leaves_values_checksums_and_partitions(
    catalogue: dict[str, Indicator], bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_values(WIDE_LATIN1)
    before, kept, tables = snapshot(), digests(), partitions_of_values()
    distributions_before = distribution_rows()

    def broken(self: partitions.PartitionLoad) -> None:
        raise RuntimeError("disque plein")

    monkeypatch.setattr(partitions.PartitionLoad, "attach", broken)
    run = run_values(WIDE_LATIN1.replace(b"7,5", b"7,6").replace(b"9,1", b"9,2"))
    assert run.status == "echec"
    assert "Rien n’a été enregistré" in run.message
    assert snapshot() == before
    assert digests() == kept
    assert partitions_of_values() == tables
    assert distribution_rows() == distributions_before
    assert leftover_load_tables() == []


def test_a_refused_file_commits_nothing(catalogue: dict[str, Indicator], bulk: None) -> None:
    run = run_values("CODGEO;TX_CHOM\n94080;7,5\n99999;1\n")
    assert run.status == "refuse"
    assert snapshot() == [] and digests() == []
    assert partitions.partition_name(2021) not in partitions_of_values()


@pytest.mark.django_db(transaction=True)
def test_readers_of_another_year_never_wait_for_a_national_load(
    catalogue: dict[str, Indicator], bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_values(WIDE_LATIN1, year=2020)
    reached, release = threading.Event(), threading.Event()
    build_keys = partitions.PartitionLoad.build_keys

    def paused(self: partitions.PartitionLoad) -> None:
        build_keys(self)
        reached.set()  # the new vintage is loaded and indexed, not yet attached
        release.wait(30)

    monkeypatch.setattr(partitions.PartitionLoad, "build_keys", paused)
    result: dict[str, Any] = {}

    def load() -> None:
        try:
            result["run"] = run_values(WIDE_LATIN1, year=2021)
        finally:
            connection.close()

    thread = threading.Thread(target=load)
    thread.start()
    try:
        assert reached.wait(60)
        vincennes = Territory.objects.get(code="94080")
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")  # a blocked read fails instead of waiting
            cursor.execute(f"SELECT count(*) FROM {partitions.TABLE} WHERE year = 2020")
            assert cursor.fetchone()[0] == 15 + 7
            cursor.execute(
                f"SELECT count(*) FROM {partitions.TABLE} WHERE territory_id = %s",
                [vincennes.pk],
            )
            assert cursor.fetchone()[0] == 3
            cursor.execute("SET lock_timeout = 0")
    finally:
        release.set()
        thread.join(60)
        assert result["run"].status == "reussi", result["run"].message
        with connection.cursor() as cursor:  # the test database keeps no partition of its own
            for name in partitions_of_values():
                if name != partitions.DEFAULT:
                    cursor.execute(f"ALTER TABLE {partitions.TABLE} DETACH PARTITION {name}")
                    cursor.execute(f"DROP TABLE {name}")
