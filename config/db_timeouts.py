"""PostgreSQL time limits per process kind: a web request gives up fast, background work does not.

A web process (gunicorn, `runserver`) that waits on a lock or runs away holds a worker thread and a
connection that the next visitors need: it stops after a few seconds and answers an error. The
worker (`db_worker`), the management commands (imports, releases, backups) and the tests may run
long statements on purpose: they get limits in minutes, only against a statement that never ends.
"""

from __future__ import annotations

import os
from pathlib import Path

# Milliseconds: (statement_timeout, lock_timeout) per kind.
TIMEOUTS = {
    "web": (30_000, 5_000),
    "worker": (3_600_000, 60_000),
    "command": (3_600_000, 60_000),
}


def process_kind(argv: list[str]) -> str:
    """`web`, `worker` or `command`, from `PROCESS_KIND` or the command line that started us."""
    declared = os.environ.get("PROCESS_KIND", "")
    if declared in TIMEOUTS:
        return declared
    program = Path(argv[0]).name if argv else ""
    command = argv[1] if len(argv) > 1 else ""
    if program.startswith(("gunicorn", "uvicorn")) or command == "runserver":
        return "web"
    if command == "db_worker":
        return "worker"
    return "command"


def connection_options(argv: list[str]) -> str:
    """libpq `options` that set both limits for every connection of this process."""
    statement, lock = TIMEOUTS[process_kind(argv)]
    statement = int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", statement))
    lock = int(os.environ.get("DB_LOCK_TIMEOUT_MS", lock))
    return f"-c statement_timeout={statement} -c lock_timeout={lock}"
