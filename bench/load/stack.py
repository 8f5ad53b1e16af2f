"""The production stack on this machine: production settings, collectstatic, gunicorn on loopback.

Shared by run.py (load) and faults.py. The embedded PostgreSQL of the checkout (with
`setup_platform --demo` data) or DATABASE_URL; nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def production_env(**extra: str) -> dict[str, str]:
    # Production settings name their database; on this machine it is the embedded server, started
    # here (and kept alive by this process) when no DATABASE_URL is given.
    if not os.environ.get("DATABASE_URL"):
        sys.path.insert(0, str(ROOT))
        from config.embedded_db import embedded_database_url

        os.environ["DATABASE_URL"] = embedded_database_url(ROOT / ".pgdata")
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",  # loopback, no TLS; clients say X-Forwarded-Proto: https
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **extra,
    }
    os.environ.update(env)  # this process (Django setup for the data) sees the same settings
    return env


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def collectstatic(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


class Gunicorn:
    def __init__(self, env: dict[str, str], port: int, workers: int, log: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
                "--access-logfile",
                str(log),
                "--access-logformat",
                '%(s)s %(m)s "%(U)s" %(M)s',
            ],
            cwd=ROOT,
            env=env,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/health/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn ne répond pas sur /health/")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)

    def status_counts(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for line in self.log.read_text().splitlines():
            status = int(line.split()[0])
            counts[status] = counts.get(status, 0) + 1
        return counts
