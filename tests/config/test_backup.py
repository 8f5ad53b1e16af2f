"""make backup / make restore: a real pg_dump and pg_restore round trip on a scratch database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from config.backup import backup, conninfo, restore, summary
from pratiques.models import Answer
from tests.conftest import make_user
from tests.factories import mini_geography
from tests.pratiques.helpers import answer_all, start, submitted

SCRATCH = "restore_round_trip"


@pytest.fixture
def scratch() -> str:
    """An empty database on the same server, dropped afterwards."""
    admin = psycopg.connect(conninfo(connection), autocommit=True)
    admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
    admin.execute(f"CREATE DATABASE {SCRATCH}")
    url = psycopg.conninfo.make_conninfo(conninfo(connection), dbname=SCRATCH)
    yield url
    admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
    admin.close()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row_and_every_answer(scratch: str, tmp_path: Path) -> None:
    from config.roles import Role

    geo = mini_geography()
    alice = make_user("alice", Role.CATALYST)
    bob = make_user("bob", Role.CATALYST)
    submitted(alice, geo.vincennes, 2, 1)
    draft = start(bob, geo.vincennes)
    answer_all(draft, 3, 2)
    Answer.objects.filter(assessment=draft).update(comment="avec « guillemets »\net une ligne")
    before = summary(connection)
    assert before["answers"] == 48

    path = backup(conninfo(connection), tmp_path / "sauvegarde.dump")
    assert path.read_bytes()[:5] == b"PGDMP"  # pg_dump custom format
    restore(scratch, path)
    with psycopg.connect(scratch) as restored:
        assert summary(restored) == before

    # Restoring again over a database that changed since replaces its content.
    with psycopg.connect(scratch, autocommit=True) as restored:
        restored.execute("DELETE FROM pratiques_answer WHERE frequency = 3")
    restore(scratch, path)
    with psycopg.connect(scratch) as restored:
        assert summary(restored) == before


def test_a_missing_backup_is_a_french_message_and_exit_1(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "config.backup", "restore", str(tmp_path / "absente.dump")],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Sauvegarde introuvable" in result.stderr
