"""The real French geography: built from Etalab's « découpage administratif » JSON files into a
compact CSV shipped in fixtures/geographie/, and loaded from it idempotently.

The CSV is not a ``.json`` file on purpose: every ``fixtures/*.json`` is loaded into every test
database, the 36 000 territories must not be.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from territoires.models import ECHELON_OF_LEVEL, EPCI_KIND_WORDS, Level, Territory
from territoires.text import normalize, search_prefixes, search_words

VINTAGE = "6.0.0"
GEOGRAPHY_FIXTURE = (
    settings.BASE_DIR / "fixtures" / "geographie" / f"decoupage-administratif-{VINTAGE}.csv.gz"
)
COLUMNS = [
    "level",
    "code",
    "name",
    "population",
    "kind",
    "region",
    "departement",
    "epci",
    "postal_codes",
    "commune",
    "former_names",
    "former_codes",
]
# Former names are joined with this separator in the CSV (no name contains it).
FORMER_SEPARATOR = " | "
# Parents are loaded before their children.
LEVEL_ORDER = [
    Level.COUNTRY,
    Level.REGION,
    Level.DEPARTEMENT,
    Level.EPCI,
    Level.COMMUNE,
    Level.ARRONDISSEMENT,
]
COMPARED = [
    "name",
    "population",
    "kind",
    "region_id",
    "departement_id",
    "epci_id",
    "postal_codes",
    "commune_id",
    "former_names",
    "former_codes",
]


def _read_json(folder: Path, name: str) -> list[dict[str, Any]]:
    with open(folder / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def _same(a: str, b: str) -> bool:
    return normalize(a) == normalize(b)


def former_commune_names(entries: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Communes déléguées and associées by the code of their chef-lieu (the commune they joined),
    when their name differs from it."""
    current = {c["code"]: c["nom"] for c in entries if c.get("type") == "commune-actuelle"}
    names: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        if entry.get("type") not in ("commune-deleguee", "commune-associee"):
            continue
        head = entry.get("chefLieu", "")
        if (
            head in current
            and not _same(entry["nom"], current[head])
            and not any(_same(entry["nom"], known) for known in names[head])
        ):
            names[head].append(entry["nom"])
    return names


def former_epci_names(
    epcis: list[dict[str, Any]], earlier: list[Path], epci_of_commune: dict[str, str]
) -> dict[str, list[str]]:
    """Earlier names of today's EPCI, read in earlier vintages of the package: the same SIREN
    under another name, or a SIREN gone since then whose member communes (most of them) now
    belong to one EPCI (a merger, as far as the data shows)."""
    today = {e["code"]: e["nom"] for e in epcis}
    names: dict[str, list[str]] = defaultdict(list)

    def add(code: str, name: str) -> None:
        if not _same(name, today[code]) and not any(_same(name, n) for n in names[code]):
            names[code].append(name)

    for folder in earlier:
        for epci in _read_json(folder, "epci"):
            if not epci.get("nom"):
                continue
            if epci["code"] in today:
                add(epci["code"], epci["nom"])
                continue
            heirs = [
                epci_of_commune[m["code"]]
                for m in epci.get("membres", [])
                if m.get("code") in epci_of_commune
            ]
            if heirs:
                heir, count = max(
                    ((code, heirs.count(code)) for code in set(heirs)), key=lambda p: p[1]
                )
                if count * 2 > len(epci.get("membres", [])):
                    add(heir, epci["nom"])
    return names


def build_rows(folder: Path, earlier: list[Path] | None = None) -> list[dict[str, str]]:
    """Rows of the derived fixture from the package's ``data/`` folder (and earlier vintages'
    folders, for former EPCI names).

    Populations: communes, arrondissements municipaux and EPCI as published (population
    municipale); départements, régions and France are the sum of their communes (the source
    gives none for them; arrondissements are never added on top of their commune).
    """
    regions = _read_json(folder, "regions")
    departements = _read_json(folder, "departements")
    epcis = _read_json(folder, "epci")
    entries = _read_json(folder, "communes")
    communes = [c for c in entries if c.get("type") == "commune-actuelle"]
    arrondissements = [c for c in entries if c.get("type") == "arrondissement-municipal"]
    formerly = former_commune_names(entries)

    epci_of_commune = {m["code"]: e["code"] for e in epcis for m in e.get("membres", [])}
    epci_formerly = former_epci_names(epcis, earlier or [], epci_of_commune)
    commune_by_code = {c["code"]: c for c in communes}
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for commune in communes:
        population = commune.get("population") or 0
        totals[("region", commune["region"])] += population
        totals[("departement", commune["departement"])] += population
        totals[("pays", "FR")] += population

    def row(level: Level, code: str, name: str, population: int | None, **extra: str) -> dict:
        values = {column: "" for column in COLUMNS}
        values.update(level=level.value, code=code, name=name, **extra)
        values["population"] = "" if population is None else str(population)
        return values

    rows = [row(Level.COUNTRY, "FR", "France", totals[("pays", "FR")])]
    for region in sorted(regions, key=lambda r: r["code"]):
        rows.append(
            row(
                Level.REGION,
                region["code"],
                region["nom"],
                totals[("region", region["code"])],
                kind=region.get("zone", ""),
            )
        )
    for dep in sorted(departements, key=lambda d: d["code"]):
        rows.append(
            row(
                Level.DEPARTEMENT,
                dep["code"],
                dep["nom"],
                totals[("departement", dep["code"])],
                kind=dep.get("zone", ""),
                region=dep["region"],
            )
        )
    for epci in sorted(epcis, key=lambda e: e["code"]):
        # An EPCI may straddle départements: its parents are those of its most populous member.
        members = [
            commune_by_code[m["code"]] for m in epci["membres"] if m["code"] in commune_by_code
        ]
        main = max(members, key=lambda c: c.get("population") or 0) if members else None
        rows.append(
            row(
                Level.EPCI,
                epci["code"],
                epci["nom"],
                epci.get("populationMunicipale"),
                kind=epci.get("type", ""),
                region=main["region"] if main else "",
                departement=main["departement"] if main else "",
                former_names=FORMER_SEPARATOR.join(epci_formerly.get(epci["code"], [])),
            )
        )
    for commune in sorted(communes, key=lambda c: c["code"]):
        rows.append(
            row(
                Level.COMMUNE,
                commune["code"],
                commune["nom"],
                commune.get("population"),
                kind=commune.get("zone", ""),
                region=commune["region"],
                departement=commune["departement"],
                epci=epci_of_commune.get(commune["code"], ""),
                postal_codes=" ".join(commune.get("codesPostaux", [])),
                former_names=FORMER_SEPARATOR.join(formerly.get(commune["code"], [])),
                # The INSEE codes of the communes merged into it (« anciensCodes »).
                former_codes=" ".join(sorted(commune.get("anciensCodes", []))),
            )
        )
    for arrondissement in sorted(arrondissements, key=lambda c: c["code"]):
        rows.append(
            row(
                Level.ARRONDISSEMENT,
                arrondissement["code"],
                arrondissement["nom"],
                arrondissement.get("population"),
                kind=arrondissement.get("zone", ""),
                region=arrondissement["region"],
                departement=arrondissement["departement"],
                epci=epci_of_commune.get(arrondissement["commune"], ""),
                postal_codes=" ".join(arrondissement.get("codesPostaux", [])),
                commune=arrondissement["commune"],
            )
        )
    return rows


def write_fixture(rows: list[dict[str, str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    # mtime=0: the same data gives the same bytes, so git sees no change on a rebuild.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(buffer.getvalue().encode("utf-8"))


def read_fixture(path: Path = GEOGRAPHY_FIXTURE) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


@dataclass
class GeographyReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    disappeared: list[str] = field(default_factory=list)
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()) or self.deleted)

    def lines(self) -> list[str]:
        out = []
        for level in LEVEL_ORDER:
            out.append(
                f"  {level.label} : {self.created.get(level.value, 0)} créé(s), "
                f"{self.updated.get(level.value, 0)} mis à jour"
            )
        out.append(f"  Disparus de la source : {len(self.disappeared)}")
        out.extend(f"    - {key}" for key in self.disappeared[:20])
        if len(self.disappeared) > 20:
            out.append(f"    … et {len(self.disappeared) - 20} autre(s)")
        if self.deleted:
            out.append(f"  Supprimés : {self.deleted}")
        return out


@transaction.atomic
def geography_load(
    *, rows: list[dict[str, str]] | None = None, path: Path | None = None, prune: bool = False
) -> GeographyReport:
    """Create or update the territories of the rows; report what changed.

    Only differing rows are written, so a second run writes nothing. Territories gone from the
    source are reported; with ``prune`` they are deleted unless something still refers to them.
    """
    if rows is None:
        rows = read_fixture(path or GEOGRAPHY_FIXTURE)
    report = GeographyReport()
    by_level: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_level[row["level"]].append(row)
    pk_of: dict[tuple[str, str], int] = {}
    # Département code and name by primary key: the search context of its communes and EPCI.
    context_of: dict[int, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for level in LEVEL_ORDER:
        existing = {
            t.code: t
            for t in Territory.objects.filter(level=level).only(
                "id", "code", "search_name", "search_words", "search_prefixes", *COMPARED
            )
        }
        for t in existing.values():
            pk_of[(level.value, t.code)] = t.pk
        to_create: list[tuple] = []
        to_update: list[Territory] = []
        for row in by_level.get(level.value, []):
            seen.add((level.value, row["code"]))
            values: dict[str, Any] = {
                "name": row["name"],
                "population": int(row["population"]) if row["population"] else None,
                "kind": row["kind"],
                "region_id": pk_of.get(("region", row["region"])) if row["region"] else None,
                "departement_id": (
                    pk_of.get(("departement", row["departement"])) if row["departement"] else None
                ),
                "epci_id": pk_of.get(("epci", row["epci"])) if row["epci"] else None,
                "postal_codes": row["postal_codes"],
                "commune_id": (
                    pk_of.get(("commune", row["commune"])) if row.get("commune") else None
                ),
                "former_names": (
                    row["former_names"].split(FORMER_SEPARATOR) if row.get("former_names") else []
                ),
                "former_codes": (row.get("former_codes") or "").split(),
            }
            context = [EPCI_KIND_WORDS] if level == Level.EPCI else []
            if level != Level.DEPARTEMENT:
                context += context_of.get(values["departement_id"], [])
            current = existing.get(row["code"])
            if current is None:
                to_create.append(_new_row(level, row["code"], values, context))
            else:
                keys = _keys(row["code"], values, context)
                if (
                    any(getattr(current, key) != value for key, value in values.items())
                    or current.search_prefixes != keys
                    or current.search_words != search_words(values["name"])
                ):
                    for key, value in values.items():
                        setattr(current, key, value)
                    current.search_name = normalize(current.name)
                    current.search_words = search_words(current.name)
                    current.search_prefixes = keys
                    to_update.append(current)
        if level == Level.DEPARTEMENT:
            for row in by_level.get(level.value, []):
                context_of[pk_of.get(("departement", row["code"]), 0)] = [row["code"], row["name"]]
        if to_create:
            _copy_create(to_create, rebuild_index=len(to_create) > BULK_INDEX_THRESHOLD)
            for pk, code in Territory.objects.filter(level=level).values_list("id", "code"):
                pk_of[(level.value, code)] = pk
            if level == Level.DEPARTEMENT:
                for row in by_level.get(level.value, []):
                    context_of[pk_of[("departement", row["code"])]] = [row["code"], row["name"]]
        if len(to_update) > BULK_INDEX_THRESHOLD:
            _copy_update(to_update)
        elif to_update:
            Territory.objects.bulk_update(
                to_update,
                [f.removesuffix("_id") for f in COMPARED]
                + ["search_name", "search_words", "search_prefixes"],
                batch_size=1000,
            )
        report.created[level.value] = len(to_create)
        report.updated[level.value] = len(to_update)
        report.disappeared.extend(
            f"{level.value}:{code} {t.name}"
            for code, t in existing.items()
            if (level.value, code) not in seen
        )
    if prune:
        report.deleted = _prune(report.disappeared)
    return report


COPY_FIELDS = [
    "level",
    "code",
    "name",
    "population",
    "echelon",
    "kind",
    "region_id",
    "departement_id",
    "epci_id",
    "postal_codes",
    "commune_id",
    "former_names",
    "former_codes",
    "search_name",
    "search_words",
    "search_prefixes",
    "description",
    "created_at",
    "updated_at",
    "is_demo",
]


BULK_INDEX_THRESHOLD = 5000
GIN_INDEX = "territory_search_prefixes"


def _keys(code: str, values: dict[str, Any], context: list[str]) -> list[str]:
    return search_prefixes(
        values["name"],
        code,
        values["postal_codes"],
        context=context,
        former_names=values["former_names"],
        former_codes=values["former_codes"],
    )


def _new_row(level: Level, code: str, values: dict[str, Any], context: list[str]) -> tuple:
    """A COPY row; the keys array is written as a PostgreSQL literal (keys are [a-z0-9] only)."""
    keys = _keys(code, values, context)
    return (
        level.value,
        code,
        values["name"],
        values["population"],
        ECHELON_OF_LEVEL[level].value,
        values["kind"],
        values["region_id"],
        values["departement_id"],
        values["epci_id"],
        values["postal_codes"],
        values["commune_id"],
        values["former_names"],
        values["former_codes"],
        normalize(values["name"]),
        search_words(values["name"]),
        "{" + ",".join(f'"{key}"' for key in keys) + "}",
    )


def _copy_create(rows: list[tuple], *, rebuild_index: bool = False) -> None:
    """Insert with COPY (text format), much faster than bulk_create for 35 000 rows.

    For a first load the GIN index is dropped and rebuilt once, cheaper than 35 000 insertions.
    """
    now = timezone.now()
    table = Territory._meta.db_table
    columns = ", ".join(f'"{name}"' for name in COPY_FIELDS)
    if rebuild_index:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP INDEX IF EXISTS "{GIN_INDEX}"')
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row((*row, "", now, now, False))
    if rebuild_index:
        with connection.cursor() as cursor:
            # Run the deferred foreign-key checks now: an index cannot be built while they wait.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(f'CREATE INDEX "{GIN_INDEX}" ON {table} USING gin ("search_prefixes")')


UPDATED_FIELDS = [*COMPARED, "search_name", "search_words", "search_prefixes"]


def _copy_update(territories: list[Territory]) -> None:
    """Many rows changed (a new vintage, new search keys): COPY them into a temporary table and
    update in one statement — ``bulk_update`` took minutes for 36 000 rows of arrays."""
    table = Territory._meta.db_table
    columns = ", ".join(f'"{name}"' for name in ["id", *UPDATED_FIELDS])
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE territory_stage ON COMMIT DROP AS "
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY territory_stage ({columns}) FROM STDIN") as copy:
            for t in territories:
                copy.write_row(
                    (
                        t.pk,
                        *(getattr(t, name) for name in COMPARED),
                        t.search_name,
                        t.search_words,
                        "{" + ",".join(f'"{key}"' for key in t.search_prefixes) + "}",
                    )
                )
        assignments = ", ".join(f'"{name}" = s."{name}"' for name in UPDATED_FIELDS)
        # As for a first load: the GIN index is rebuilt once rather than updated row by row.
        cursor.execute(f'DROP INDEX IF EXISTS "{GIN_INDEX}"')
        cursor.execute(
            f"UPDATE {table} t SET {assignments}, updated_at = now() "
            f"FROM territory_stage s WHERE t.id = s.id"
        )
        # Run the deferred foreign-key checks now: an index cannot be built while they wait.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f'CREATE INDEX "{GIN_INDEX}" ON {table} USING gin ("search_prefixes")')
        cursor.execute("DROP TABLE territory_stage")


def _prune(disappeared: list[str]) -> int:
    deleted = 0
    # Children first, so a commune's deletion never waits on its EPCI.
    for entry in reversed(disappeared):
        key = entry.split(" ", 1)[0]
        level, _, code = key.partition(":")
        try:
            with transaction.atomic():
                deleted += Territory.objects.filter(level=level, code=code).delete()[0]
        except ProtectedError:
            continue
    return deleted
