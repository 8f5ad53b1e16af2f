from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_the_database_is_postgresql_18() -> None:
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        (version,) = cursor.fetchone()
    assert int(version) >= 180000


def test_two_processes_share_one_embedded_server(tmp_path: Path) -> None:
    """Two processes started at once join the same server rather than fight over it."""
    data_dir = tmp_path / "pgdata"
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(settings.BASE_DIR)!r})
        from pathlib import Path
        from config.embedded_db import embedded_database_url
        import psycopg
        import os, time
        url = embedded_database_url(Path({str(data_dir)!r}))
        with psycopg.connect(url) as conn:
            started = conn.execute("SELECT pg_postmaster_start_time()::text").fetchone()[0]
        # Stay alive until the other process has joined too: both must be served together.
        Path({str(tmp_path)!r}, f"ready-{{os.getpid()}}").touch()
        deadline = time.monotonic() + 60
        while len(list(Path({str(tmp_path)!r}).glob("ready-*"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        print(url, started)
        """
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=90)[0].strip() for p in processes]
    assert all(p.returncode == 0 for p in processes)
    assert outputs[0] == outputs[1]  # same socket, same postmaster
    assert (data_dir / "PG_VERSION").read_text().strip() == "18"
