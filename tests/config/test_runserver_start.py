"""A server started as `make run` starts it (autoreloader, the warm-up in its serving child)
logs no traceback: the warm-up imports nothing the server is still importing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The settings' server, this test process's test database."""
    url = urllib.parse.urlsplit(settings.DATABASE_URL)
    return urllib.parse.urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.mark.parametrize(
    "chromium_state", [pytest.param("installed", marks=pytest.mark.chromium), "missing"]
)
def test_a_server_start_logs_no_traceback(chromium_state: str, tmp_path: Any) -> None:
    if chromium_state == "installed" and not (
        os.environ.get("BROWSER_PATH") or __import__("shutil").which("chromium")
    ):
        pytest.skip("Chromium introuvable.")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "0",
        "DEMO_MODE": "1",
        "CACHE_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "INFO",
    }
    env.pop("REPORT_WARMUP", None)
    if chromium_state == "missing":
        env["BROWSER_PATH"] = str(tmp_path / "pas-de-chromium")
    log = tmp_path / "runserver.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 180
        healthy = False
        while time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            if not healthy:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=30):
                        healthy = True
                except OSError:
                    pass
            if healthy and "Rapports prêts" in log.read_text():
                break
            time.sleep(0.5)
        assert healthy, log.read_text()
    finally:
        os.killpg(server.pid, 15)
        server.wait(30)
    text = log.read_text()
    assert "Rapports prêts" in text, text
    assert "Traceback" not in text, text
    assert "partially initialized" not in text, text
    if chromium_state == "missing":
        assert "sans graphiques" in text
        assert text.count("Graphiques indisponibles") == 1
    else:
        assert "graphiques compris" in text
