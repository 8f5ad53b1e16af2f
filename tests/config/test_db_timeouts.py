"""PostgreSQL time limits per process kind: short for web requests, long for background work."""

from __future__ import annotations

import pytest
from django.db import connection

from config.db_timeouts import connection_options, process_kind


def test_the_kind_comes_from_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROCESS_KIND", raising=False)
    assert process_kind(["/srv/.venv/bin/gunicorn", "config.wsgi"]) == "web"
    assert process_kind(["manage.py", "runserver"]) == "web"
    assert process_kind(["manage.py", "db_worker"]) == "worker"
    assert process_kind(["manage.py", "import_indicateurs", "x.csv"]) == "command"
    assert process_kind(["pytest"]) == "command"


def test_the_environment_names_the_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCESS_KIND", "web")
    assert process_kind(["manage.py", "db_worker"]) == "web"


def test_web_gives_up_sooner_than_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROCESS_KIND", raising=False)
    assert connection_options(["gunicorn"]) == "-c statement_timeout=30000 -c lock_timeout=5000"
    assert connection_options(["manage.py", "db_worker"]) == (
        "-c statement_timeout=3600000 -c lock_timeout=60000"
    )


@pytest.mark.django_db
def test_every_connection_carries_its_limits() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("1h",)
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone() == ("1min",)
