"""Writes of the Observatoire: imports of the catalogue and of values, each recorded as an ImportRun."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from config.typography import french_count, french_seconds
from observatoire import liveness
from observatoire.imports.catalogue import read_catalogue_file
from observatoire.imports.digests import digests_forget, digests_store
from observatoire.imports.distributions import (
    distributions_delete,
    distributions_write,
    segment_groups,
)
from observatoire.imports.loading import (
    Load,
    additive_aggregates_refresh,
    arrondissement_totals_refresh,
    peer_distributions_refresh,
    values_file_load,
)
from observatoire.imports.problems import STORED_PROBLEMS_MAX, FileRefused, Problem, storable
from observatoire.imports.values import read_values_file
from observatoire.models import (
    ApiCallCount,
    ImportKind,
    ImportRun,
    ImportStatus,
    Indicator,
    IndicatorValue,
)
from territoires.models import Fragility, Level, Territory

logger = logging.getLogger(__name__)

Progress = Callable[[float, str], None]


def _no_progress(fraction: float, label: str) -> None:
    return None


def import_file_store(*, data: bytes, file_name: str) -> tuple[str, str]:
    """Keep an uploaded file (the background task reads it); returns (path, sha256)."""
    digest = hashlib.sha256(data).hexdigest()
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(file_name).suffix.lower()[:8] or ".csv"
    path = folder / f"{digest}{suffix}"
    if not path.exists():
        path.write_bytes(data)
    return str(path), digest


def import_run_create(
    *,
    kind: ImportKind,
    data: bytes,
    file_name: str,
    user: User | None = None,
    dry_run: bool,
    year: int | None = None,
    level: str = Level.COMMUNE,
    code_column: str = "CODGEO",
    confirms: ImportRun | None = None,
) -> ImportRun:
    path, digest = import_file_store(data=data, file_name=file_name)
    return ImportRun.objects.create(
        kind=kind,
        dry_run=dry_run,
        user=user if user is not None and user.is_authenticated else None,
        file_name=storable(Path(file_name).name, 255),
        file_path=path,
        sha256=digest,
        year=year,
        level=level,
        code_column=code_column or "CODGEO",
        confirms=confirms,
    )


def import_run_confirm(*, dry_run: ImportRun, user: User | None = None) -> ImportRun:
    """The real import of a file whose dry run found no problem."""
    return ImportRun.objects.create(
        kind=dry_run.kind,
        dry_run=False,
        user=user if user is not None and user.is_authenticated else None,
        file_name=dry_run.file_name,
        file_path=dry_run.file_path,
        sha256=dry_run.sha256,
        year=dry_run.year,
        level=dry_run.level,
        code_column=dry_run.code_column,
        confirms=dry_run,
    )


def import_run_execute(
    *, run: ImportRun, data: bytes | None = None, progress: Progress | None = None
) -> ImportRun:
    """Runs an import while holding its liveness lock: a run left « en cours » by a process that
    died is found and marked « échoué » (observatoire.liveness)."""
    liveness.hold(liveness.IMPORT_NAMESPACE, run.pk)
    try:
        return _import_run_execute(run=run, data=data, progress=progress)
    finally:
        liveness.release(liveness.IMPORT_NAMESPACE, run.pk)


def _import_run_execute(
    *, run: ImportRun, data: bytes | None = None, progress: Progress | None = None
) -> ImportRun:
    """Run an import (dry or real). Any problem → status « refusé » and nothing written; any
    other error → « échoué », nothing written. The run never stays « en cours »."""
    progress = progress or _no_progress
    started = time.monotonic()
    try:
        run.status = ImportStatus.RUNNING
        run.save(update_fields=["status"])
        if data is None:
            data = Path(run.file_path).read_bytes()
        if run.kind == ImportKind.CATALOGUE:
            _catalogue_execute(run, data, progress)
        else:
            _values_execute(run, data, progress)
        run.status = ImportStatus.SUCCEEDED
        run.problems, run.problem_count = [], 0
    except FileRefused as refused:
        run.status = ImportStatus.REFUSED
        run.problem_count = refused.total
        run.problems = [problem.as_dict() for problem in refused.problems[:STORED_PROBLEMS_MAX]]
        run.created = run.updated = run.unchanged = 0
        run.message = (
            f"Fichier refusé : {run.problem_count} problème(s) à corriger. Rien n’a été enregistré."
        )
    except Exception as exc:
        logger.exception("Import %s en échec", run.pk)
        run.status = ImportStatus.FAILED
        run.problems, run.problem_count = [], 0
        run.created = run.updated = run.unchanged = 0
        run.message = f"Échec technique : {storable(str(exc), 300)}. Rien n’a été enregistré."
    run.duration = round(time.monotonic() - started, 3)
    run.finished_at = timezone.now()
    run.progress = 100
    run.progress_label = str(run.get_status_display())
    _run_finish(run)
    return run


def _run_finish(run: ImportRun) -> None:
    """Store the outcome; if the full report cannot be stored, the run still ends « échoué »."""
    run.message = storable(run.message, 4_000)
    run.file_name = storable(run.file_name, 255)
    try:
        with transaction.atomic():  # a savepoint: a failed save leaves the connection usable
            run.save()
    except Exception:
        logger.exception("Import %s : rapport impossible à enregistrer", run.pk)
        run.status = ImportStatus.FAILED
        run.problems, run.problem_count = [], 0
        run.message = "Échec technique : le rapport de l’import n’a pas pu être enregistré."
        try:
            ImportRun.objects.filter(pk=run.pk).update(
                status=run.status,
                problems=[],
                problem_count=0,
                created=0,
                updated=0,
                unchanged=0,
                message=run.message,
                progress=100,
                progress_label=str(run.get_status_display()),
                finished_at=run.finished_at,
                duration=run.duration,
            )
        except Exception:
            logger.exception("Import %s : statut impossible à enregistrer", run.pk)


def _catalogue_execute(run: ImportRun, data: bytes, progress: Progress) -> None:
    progress(0.1, "lecture du catalogue")
    fragilities = dict(Fragility.objects.values_list("label", "pk"))
    catalogue = read_catalogue_file(data, file_name=run.file_name, fragilities=fragilities)
    run.rows_read = run.values_read = catalogue.rows_read
    if catalogue.problems:
        raise FileRefused(catalogue.problems)
    progress(0.5, "comparaison avec le catalogue en base")
    with transaction.atomic():
        existing = {
            indicator.code: indicator
            for indicator in Indicator.objects.select_for_update().filter(
                code__in=list(catalogue.indicators)
            )
        }
        to_create, to_update = [], []
        rerank: list[int] = []
        fields = sorted({name for values in catalogue.indicators.values() for name in values})
        for code, values in catalogue.indicators.items():
            indicator = existing.get(code)
            if indicator is None:
                to_create.append(Indicator(code=code, **values))
            elif any(getattr(indicator, name) != value for name, value in values.items()):
                if indicator.kind != values.get("kind", indicator.kind):
                    rerank.append(indicator.pk)
                for name, value in values.items():
                    setattr(indicator, name, value)
                to_update.append(indicator)
        run.created, run.updated = len(to_create), len(to_update)
        run.unchanged = len(catalogue.indicators) - run.created - run.updated
        if not run.dry_run:
            Indicator.objects.bulk_create(to_create)
            Indicator.objects.bulk_update(to_update, fields)
            if rerank:  # a count is ranked on its rate: the peers' distributions change with it
                years = IndicatorValue.objects.filter(indicator_id__in=rerank).values_list(
                    "year", flat=True
                )
                peer_distributions_refresh(indicator_ids=rerank, years=sorted(set(years)))
    run.layout = "catalogue"
    run.message = _summary(run)


def _values_execute(run: ImportRun, data: bytes, progress: Progress) -> None:
    started = time.monotonic()
    progress(0.02, "lecture du fichier")
    # A commune file may also give Paris, Lyon and Marseille by arrondissement municipal.
    levels = [run.level, Level.ARRONDISSEMENT] if run.level == Level.COMMUNE else [run.level]
    territory_codes = dict(Territory.objects.filter(level__in=levels).values_list("code", "pk"))
    indicator_codes = dict(Indicator.objects.values_list("code", "pk"))
    values_file = read_values_file(
        data,
        file_name=run.file_name,
        year=run.year,
        level=run.level,
        code_column=run.code_column,
        territory_codes=territory_codes,
        indicator_codes=indicator_codes,
    )
    logger.debug("lecture et vérification : %.2f s", time.monotonic() - started)
    run.layout = values_file.layout
    run.rows_read, run.values_read = values_file.rows_read, values_file.values_read
    if values_file.problems:
        raise FileRefused(values_file.problems, total=values_file.problem_total)
    if not values_file.values_read:
        raise FileRefused([Problem(None, None, "fichier", "Aucune valeur à importer.")])
    progress(0.15, "vérification terminée")
    with transaction.atomic():
        load = values_file_load(
            values_file, level=run.level, dry_run=run.dry_run, progress=progress
        )
        counts = load.counts
        aggregates, distributions, loaded_in, refreshed_in = 0, 0, time.monotonic() - started, 0.0
        arrondissements: list[int] = []
        if run.dry_run:
            transaction.set_rollback(True)
        elif counts.created or counts.updated:
            if run.level == Level.COMMUNE:
                progress(0.88, "communes à arrondissements")
                arrondissements = arrondissement_totals_refresh(
                    indicator_ids=load.indicator_ids,
                    years=load.years,
                    present=values_file.territory_ids(),
                    table=load.table,
                )
                progress(0.9, "agrégats des effectifs")
                aggregates = additive_aggregates_refresh(
                    indicator_ids=load.indicator_ids, years=load.years, table=load.table
                )
                # Upper levels' rows of counts were rewritten: their checksums no longer hold.
                digests_forget(
                    [(i, y) for i in load.indicator_ids for y in load.years],
                    levels=[level for level in Level.values if level != run.level],
                )
            progress(0.93, "distributions parmi les pairs")
            refresh_started = time.monotonic()
            distributions = _distributions_refresh(load, arrondissements)
            refreshed_in = time.monotonic() - refresh_started
            logger.debug("distributions : %.2f s", refreshed_in)
        if not run.dry_run:
            # Checksums of the rows as they now are, with them (a failed run keeps the old ones).
            digests_store(load.written(), level=run.level, run=run)
            progress(0.98, "rattachement de la partition")
            load.finish()
    run.created, run.updated, run.unchanged = counts.created, counts.updated, counts.unchanged
    run.message = _summary(run) + f" Méthode : {counts.method}."
    if arrondissements:
        run.message += (
            f" Effectifs de Paris, Lyon ou Marseille sommés de leurs arrondissements "
            f"(absents du fichier) : {french_count(len(arrondissements), 'valeur')}."
        )
    if aggregates:
        run.message += (
            f" Effectifs sommés des communes vers EPCI, départements, régions et France : "
            f"{french_count(aggregates, 'valeur recalculée', 'valeurs recalculées')}."
        )
    if distributions:
        run.message += (
            f" Chargement {french_seconds(loaded_in)} ; "
            f"{french_count(distributions, 'distribution')} parmi les pairs recalculée"
            f"{'s' if distributions > 1 else ''} en {french_seconds(refreshed_in)}."
        )


def _distributions_refresh(load: Load, extra_territories: list[int]) -> int:
    """Peer distributions of what the load changed: from the frame in memory for the file's
    levels (a national load), by PostgreSQL for the other levels and for the groups where
    rows outside the file (communes summed from their arrondissements) take part."""
    rows = load.memory_rows()
    if rows is None:
        return peer_distributions_refresh(
            indicator_ids=load.indicator_ids, years=load.years, table=load.table
        )
    redo = segment_groups(extra_territories)
    distributions_delete(indicator_ids=load.indicator_ids, years=load.years)
    written = distributions_write([row for row in rows if f"{row[2]}:{row[3]}" not in redo])
    return written + peer_distributions_refresh(
        indicator_ids=load.indicator_ids,
        years=load.years,
        table=load.table,
        skip_levels=load.memory_levels,
        groups=sorted(redo),
        replace=False,
    )


def _summary(run: ImportRun) -> str:
    prefix = (
        "Essai à blanc sans problème ; l’import donnerait — " if run.dry_run else "Import réussi — "
    )
    if run.kind == ImportKind.CATALOGUE:
        noun, ending = "indicateurs", ""
    else:
        noun, ending = "valeurs", "e"
    return (
        f"{prefix}{noun} : {run.created} créé{ending}(s), {run.updated} modifié{ending}(s), "
        f"{run.unchanged} inchangé{ending}(s) ; {run.changed} changement(s)."
    )


def catalogue_import(
    *,
    data: bytes,
    file_name: str,
    user: User | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportRun:
    run = import_run_create(
        kind=ImportKind.CATALOGUE, data=data, file_name=file_name, user=user, dry_run=dry_run
    )
    return import_run_execute(run=run, data=data, progress=progress)


def values_import(
    *,
    data: bytes,
    file_name: str,
    year: int | None,
    level: str = Level.COMMUNE,
    code_column: str = "CODGEO",
    user: User | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportRun:
    run = import_run_create(
        kind=ImportKind.VALUES,
        data=data,
        file_name=file_name,
        user=user,
        dry_run=dry_run,
        year=year,
        level=level,
        code_column=code_column,
    )
    return import_run_execute(run=run, data=data, progress=progress)


def api_call_counted(client: str, minute: int) -> int:
    """Counts one anonymous API call of ``client`` in ``minute``; returns the calls so far this
    minute. One statement on the common path; the first call of a minute also forgets the
    minutes before the previous one."""
    table = ApiCallCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (client, minute, calls) VALUES (%s, %s, 1) "
            f"ON CONFLICT (client, minute) DO UPDATE SET calls = {table}.calls + 1 "
            "RETURNING calls",
            [client[:64], minute],
        )
        row = cursor.fetchone()
        calls = int(row[0]) if row else 1
        if calls == 1:
            cursor.execute(f"DELETE FROM {table} WHERE minute < %s", [minute - 1])
    return calls
