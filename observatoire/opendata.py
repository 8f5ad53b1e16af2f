"""Bulk open-data files (« /donnees/ »): complete CSV and Parquet files with a Frictionless
``datapackage.json`` (every column, each file's size, row count and SHA-256, Etalab 2.0).

CSV as the national open-data portal's quality guide asks: UTF-8, comma, snake_case headers,
codes as text, empty cells for missing values. Rows are streamed from a server-side cursor in
batches (CSV and Parquet written batch by batch), so memory stays bounded whatever the vintage.
The files are written into a fresh folder, then swapped in: readers never see half a set.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.tasks import task

from config.spreadsheets import csv_writer
from pratiques import disclosure
from pratiques.aggregates import latest_release
from pratiques.models import GridStatus

BATCH = 50_000
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
# Frictionless type → Arrow type (pyarrow is imported when files are written, not by every
# process that imports the tasks).
ARROW = {"string": "string", "integer": "int64", "number": "float64"}


def folder() -> Path:
    return Path(settings.CACHE_DIR) / "donnees"


def _rows(sql: str, params: list[Any]) -> Iterator[list[tuple[Any, ...]]]:
    """The rows in batches from a server-side cursor (``DECLARE … CURSOR``, then ``FETCH``): a
    plain cursor would bring the whole result (11.6 M rows for a national vintage) into memory
    at ``execute``. Called inside a transaction, so the cursor needs no ``WITH HOLD`` copy."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(BATCH):
            yield batch


def _tables() -> list[dict[str, Any]]:
    """name, title, columns (name, type, description) and the SQL of each file."""
    from observatoire.models import IndicatorValue

    years = sorted(set(IndicatorValue.objects.values_list("year", flat=True).distinct()))
    territory_cols = [
        (
            "niveau",
            "string",
            "Niveau : pays, region, departement, epci, commune, arrondissement, projet",
        ),
        ("code", "string", "Code officiel (INSEE, SIREN) ou identifiant du projet"),
        ("nom", "string", "Nom"),
        ("population", "integer", "Population municipale"),
        ("code_region", "string", "Code de la région"),
        ("code_departement", "string", "Code du département"),
        ("siren_epci", "string", "SIREN de l’intercommunalité"),
    ]
    tables: list[dict[str, Any]] = [
        {
            "name": "territoires",
            "title": "Territoires",
            "columns": territory_cols,
            "sql": (
                "SELECT t.level, t.code, t.name, t.population, r.code, d.code, e.code "
                "FROM territoires_territory t "
                "LEFT JOIN territoires_territory r ON r.id = t.region_id "
                "LEFT JOIN territoires_territory d ON d.id = t.departement_id "
                "LEFT JOIN territoires_territory e ON e.id = t.epci_id "
                "WHERE NOT t.is_demo AND t.archived_at IS NULL ORDER BY t.level, t.code"
            ),
            "params": [],
        },
        {
            "name": "grille",
            "title": "Grille des pratiques (versions publiées et archivées)",
            "columns": [
                ("version", "string", "Version de la grille"),
                ("axe_code", "string", "Code de l’axe"),
                ("situation_code", "string", "Code de la situation"),
                ("situation_cle", "string", "Clé stable de la situation"),
                ("pratique_code", "string", "Code de la pratique"),
                ("pratique_cle", "string", "Clé stable de la pratique"),
                ("pratique", "string", "Libellé de la pratique"),
            ],
            "sql": (
                "SELECT v.slug, a.code, s.code, s.key::text, p.code, p.key::text, p.label "
                "FROM pratiques_practice p "
                "JOIN pratiques_situation s ON s.id = p.situation_id "
                "JOIN pratiques_axis a ON a.id = s.axis_id "
                "JOIN pratiques_gridversion v ON v.id = p.version_id "
                "WHERE v.status <> %s "
                "ORDER BY v.slug, a.order, a.code, s.order, s.code, p.order, p.code"
            ),
            "params": [GridStatus.DRAFT],
        },
    ]
    for year in years:
        tables.append(
            {
                "name": f"valeurs_{year}",
                "title": f"Valeurs des indicateurs, millésime {year}",
                "columns": [
                    ("indicateur", "string", "Code de l’indicateur"),
                    ("niveau", "string", "Niveau du territoire"),
                    ("code", "string", "Code du territoire"),
                    ("annee", "integer", "Année"),
                    ("valeur", "number", "Valeur (vide : non disponible ou secret statistique)"),
                ],
                "rows": lambda year=year: _value_rows(year),
            }
        )
    return tables


def _value_rows(year: int) -> Iterator[list[tuple[Any, ...]]]:
    """A vintage's values, indicator by indicator in code order, in batches of ``BATCH`` rows.

    One query per indicator (at most one row per territory: ~36 000) sorts its rows in memory;
    a single ``ORDER BY i.code, t.level, t.code`` over a national vintage sorted 11.6 M rows on
    disk. The order of the file is the same."""
    from observatoire.models import Indicator

    batch: list[tuple[Any, ...]] = []
    for pk, code in (
        Indicator.objects.filter(is_demo=False).order_by("code").values_list("pk", "code")
    ):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.level, t.code, v.year, v.value "
                "FROM observatoire_indicatorvalue v "
                "JOIN territoires_territory t ON t.id = v.territory_id "
                "WHERE v.indicator_id = %s AND v.year = %s AND NOT t.is_demo "
                "ORDER BY t.level, t.code",
                [pk, year],
            )
            batch.extend((code, *row) for row in cursor.fetchall())
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _released_rows() -> Iterator[list[tuple[Any, ...]]]:
    """The latest release's published figures, one row per scope and practice (as the CSV of a
    territory's page); scopes below the threshold carry no figure."""
    release = latest_release()
    if release is None:
        return
    from pratiques.models import ReleasedAggregate

    batch: list[tuple[Any, ...]] = []
    for scope, status, figures in (
        ReleasedAggregate.objects.filter(release=release)
        .order_by("scope")
        .values_list("scope", "status", "figures")
        .iterator(chunk_size=2_000)
    ):
        level, _, code = scope.partition(":")
        if status != disclosure.PUBLISHED:
            batch.append(
                (level, code, status, disclosure.count_label(None), None, None, None, None, None)
            )
            continue
        people = disclosure.count_label(figures.get("people"))
        for key, cell in sorted(figures.get("practices", {}).items()):
            batch.append(
                (
                    level,
                    code,
                    status,
                    people,
                    key,
                    cell.get("in_house"),
                    cell.get("partnership"),
                    cell.get("both"),
                    cell.get("develop"),
                )
            )
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


RELEASED: dict[str, Any] = {
    "name": "agregats_diffuses",
    "title": "Agrégats diffusés des auto-évaluations (dernière diffusion)",
    "columns": [
        ("niveau", "string", "Niveau du territoire"),
        ("code", "string", "Code du territoire"),
        ("statut", "string", "published, below (sous le seuil), suppressed"),
        ("personnes", "string", "Personnes prises en compte (« environ N » ou « moins de k »)"),
        ("pratique_cle", "string", "Clé stable de la pratique"),
        ("en_interne_pct", "integer", "Part « en interne », en %"),
        ("en_partenariat_pct", "integer", "Part « en partenariat », en %"),
        ("les_deux_pct", "integer", "Part « les deux », en %"),
        ("a_developper_pct", "integer", "Part « à développer », en %"),
    ],
}


def _write(
    target: Path,
    name: str,
    columns: list[tuple[str, str, str]],
    batches: Iterator[list[tuple[Any, ...]]],
) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, getattr(pa, ARROW[t])()) for c, t, _ in columns])
    csv_path, parquet_path = target / f"{name}.csv", target / f"{name}.parquet"
    count = 0
    with (
        open(csv_path, "w", encoding="utf-8", newline="") as handle,
        pq.ParquetWriter(parquet_path, schema) as parquet,
    ):
        writer = csv_writer(handle, lineterminator="\n", delimiter=",")
        writer.writerow([c for c, _, _ in columns])
        for batch in batches:
            writer.writerows(["" if v is None else v for v in row] for row in batch)
            parquet.write_batch(
                pa.record_batch(
                    [[row[i] for row in batch] for i in range(len(columns))], schema=schema
                )
            )
            count += len(batch)
    return {"rows": count, "csv": csv_path, "parquet": parquet_path}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def bulk_export(*, now: datetime | None = None) -> dict[str, Any]:
    """Writes every file and the ``datapackage.json``; returns the package descriptor."""
    now = now or datetime.now(UTC)
    final = folder()
    work = final.with_name("donnees.en-cours")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    resources = []
    # One transaction: the server-side cursors live in it, and every file reads one snapshot.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:  # must be the transaction's first statement
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        tables = _tables()
        written = [
            (
                t,
                _write(
                    work,
                    t["name"],
                    t["columns"],
                    t["rows"]() if "rows" in t else _rows(t["sql"], t["params"]),
                ),
            )
            for t in tables
        ]
        written.append(
            (RELEASED, _write(work, RELEASED["name"], RELEASED["columns"], _released_rows()))
        )
    for table, result in written:
        fields = [{"name": c, "type": t, "description": d} for c, t, d in table["columns"]]
        csv_path: Path = result["csv"]
        parquet_path: Path = result["parquet"]
        resources.append(
            {
                "name": table["name"],
                "title": table["title"],
                "path": csv_path.name,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ","},
                "bytes": csv_path.stat().st_size,
                "hash": f"sha256:{_sha256(csv_path)}",
                "rows": result["rows"],
                "schema": {"fields": fields},
                # The same rows in Parquet (Frictionless validates the CSV; this is its twin).
                "parquet": {
                    "path": parquet_path.name,
                    "mediatype": "application/vnd.apache.parquet",
                    "bytes": parquet_path.stat().st_size,
                    "hash": f"sha256:{_sha256(parquet_path)}",
                    "rows": result["rows"],
                },
            }
        )
    package = {
        "name": "ingenierie-territoriale",
        "title": "Ingénierie territoriale — données ouvertes",
        "licenses": [LICENCE],
        "created": now.isoformat(timespec="seconds"),
        "resources": resources,
    }
    (work / "datapackage.json").write_text(
        json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    old = final.with_name("donnees.ancien")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    work.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return package


def current_package() -> dict[str, Any] | None:
    path = folder() / "datapackage.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


# Here rather than in tasks.py: the report pre-generation enqueues it, and tasks.py imports that.
@task
def bulk_export_task() -> int:
    """Regenerates the open-data files (« /donnees/ »); returns the number of files described."""
    return len(bulk_export()["resources"])
