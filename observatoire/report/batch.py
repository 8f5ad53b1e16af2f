"""Generating the reports of a whole level (e.g. the 1 255 EPCI), inline or in a task worker.

Progress lives on the batch's ``ReportBatch`` row (as an import's on its ``ImportRun``), written
by the worker and read by the admin page; a report that fails is logged, counted and listed, and
the batch goes on with the next territory.

In the worker, a batch can render on ``settings.REPORT_BATCH_PROCESSES`` processes, each with its
own warm Chromium and WeasyPrint (``spawn``: no connection or browser thread is inherited). The
default is 1; set 2 on a machine whose cores are free. A pool pays its start (Django, Chromium and
WeasyPrint in each process) before its first report, so a batch of fewer than
``POOL_MIN_REPORTS`` territories renders here (docs/benchmarks.md, « rendu du rapport (deuxième passe) »).
Inline (``--inline``, tests) it renders here.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from observatoire.models import BatchStatus, ReportBatch
from observatoire.report.cache import get_report
from territoires.models import Level, Territory

logger = logging.getLogger(__name__)

BATCH_LEVELS = [
    Level.COMMUNE,
    Level.ARRONDISSEMENT,
    Level.EPCI,
    Level.DEPARTEMENT,
    Level.REGION,
    Level.PROJECT,
]
MAX_LISTED_FAILURES = 200
# Measured (bench_batch, 8 EPCI, load 15): first report after 8.6 s in this process, 51 s through
# a pool of 2; after that the pool went 1.55 × faster. Short batches stay in this process.
POOL_MIN_REPORTS = 40


# Progress keys stored as datetimes (ISO 8601 strings in the progress dict).
_DATETIMES = ("created_at", "started_at", "finished_at")
_COLUMNS = [f.name for f in ReportBatch._meta.concrete_fields if f.name != "extra"]


def _as_progress(batch: ReportBatch) -> dict[str, Any]:
    progress = {name: getattr(batch, name) for name in _COLUMNS}
    for name in _DATETIMES:
        if progress[name] is not None:
            progress[name] = progress[name].isoformat()
    return {**progress, **batch.extra}


def read_progress(batch_id: str) -> dict[str, Any] | None:
    if not batch_id.isalnum() or len(batch_id) > 64:  # ids are uuid4 hex (32 characters)
        return None
    batch = ReportBatch.objects.filter(pk=batch_id).first()
    return _as_progress(batch) if batch else None


def latest_batches(limit: int = 5) -> list[dict[str, Any]]:
    return [_as_progress(batch) for batch in ReportBatch.objects.order_by("-created_at")[:limit]]


def running_batches() -> list[dict[str, Any]]:
    batches = ReportBatch.objects.filter(status=BatchStatus.RUNNING).order_by("created_at")
    return [_as_progress(batch) for batch in batches]


def write_progress(progress: dict[str, Any]) -> None:
    """Store the batch's progress on its row: one statement (an upsert), visible at once."""
    values = {name: progress.get(name) for name in _COLUMNS if name in progress}
    for name in _DATETIMES:
        if isinstance(when := values.get(name), str):
            values[name] = datetime.fromisoformat(when)
    batch = ReportBatch(**values, extra={k: v for k, v in progress.items() if k not in _COLUMNS})
    ReportBatch.objects.bulk_create(
        [batch],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=[name for name in [*_COLUMNS, "extra"] if name != "id"],
    )


def batch_create(*, level: str, codes: list[str] | None = None) -> dict[str, Any]:
    """Record a new batch (status « en attente ») and return its progress."""
    progress = {
        "id": uuid.uuid4().hex,
        "level": level,
        "codes": codes,
        "status": "queued",
        "total": None,
        "done": 0,
        "rendered": 0,
        "cached": 0,
        "failed": 0,
        "failures": [],
        "created_at": timezone.now().isoformat(),
        "started_at": None,
        "finished_at": None,
        "seconds": None,
    }
    write_progress(progress)
    return progress


def batch_processes() -> int:
    return max(1, int(getattr(settings, "REPORT_BATCH_PROCESSES", 1) or 1))


def effective_processes(processes: int, count: int) -> int:
    """Processes a batch of ``count`` reports really uses: a pool only when it pays off."""
    return processes if processes > 1 and count >= POOL_MIN_REPORTS else 1


def _process_start() -> None:
    """A pool process: Django, then Chromium and WeasyPrint warmed before its first report."""
    import django

    os.environ["REPORT_WARMUP"] = "0"  # warmed right below, not a second time by the app's start
    django.setup()
    from observatoire.report import warm

    try:
        warm.warm()
    except Exception:
        logger.exception("Préchauffage d'un processus de rendu impossible")


def _one(territory: Territory) -> tuple[bool | None, str]:
    """(cache hit, "") or (None, the error): one report, whatever happens."""
    try:
        _, hit = get_report(territory)
    except Exception as error:  # the worker must survive any one report
        logger.exception("Rapport en échec : %s %s", territory.level, territory.code)
        return None, repr(error)[:300]
    return hit, ""


def _one_by_pk(pk: int) -> tuple[bool | None, str]:
    territory = Territory.objects.select_related("epci", "departement", "region").get(pk=pk)
    return _one(territory)


def _results(
    territories: list[Territory], processes: int
) -> Iterator[tuple[Territory, tuple[bool | None, str]]]:
    if processes <= 1 or len(territories) <= 1:
        for territory in territories:
            yield territory, _one(territory)
        return
    from django.db import connections

    connections.close_all()  # the pool's processes open their own
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_process_start) as pool:
        futures = {pool.submit(_one_by_pk, t.pk): t for t in territories}
        for future in as_completed(futures):
            territory = futures[future]
            try:
                yield territory, future.result()
            except Exception as error:  # a pool process that died
                yield territory, (None, repr(error)[:300])


def batch_run(batch_id: str, *, processes: int = 1) -> dict[str, Any]:
    """Generate every report of the batch on ``processes`` processes; one failure never stops
    the others.

    A batch taken up again after its worker died (see observatoire.liveness) keeps its counts
    and goes on after the last territory it recorded (in code order).
    """
    from observatoire import liveness

    liveness.hold(liveness.BATCH_NAMESPACE, batch_id)
    try:
        return _batch_run(batch_id, processes=processes)
    finally:
        liveness.release(liveness.BATCH_NAMESPACE, batch_id)


def _batch_run(batch_id: str, *, processes: int = 1) -> dict[str, Any]:
    progress = read_progress(batch_id)
    if progress is None:
        raise ValueError(f"Lot de rapports inconnu : {batch_id}")
    chosen = Territory.objects.filter(level=progress["level"]).order_by("code")
    if progress["codes"]:
        chosen = chosen.filter(code__in=progress["codes"])
    territories = list(chosen.select_related("epci", "departement", "region"))
    missing = sorted(set(progress["codes"] or []) - {t.code for t in territories})
    resume_after = progress.get("last_code") if progress["done"] else None
    progress.update(status="running", total=len(territories) + len(missing))
    progress["started_at"] = progress["started_at"] or timezone.now().isoformat()
    write_progress(progress)
    start = time.perf_counter() - (progress["seconds"] or 0)
    last_write = start
    if resume_after is None:
        for code in missing:
            progress["done"] += 1
            progress["failed"] += 1
            progress["failures"].append(
                {"code": code, "name": "", "error": "territoire introuvable"}
            )
    else:
        territories = [t for t in territories if t.code > resume_after]
    processes = effective_processes(processes, len(territories))
    progress["processes"] = processes
    for territory, (hit, error) in _results(territories, processes):
        if hit is None:
            progress["failed"] += 1
            if len(progress["failures"]) < MAX_LISTED_FAILURES:
                progress["failures"].append(
                    {"code": territory.code, "name": territory.name, "error": error}
                )
        else:
            progress["cached" if hit else "rendered"] += 1
        progress["done"] += 1
        progress["last_code"] = territory.code
        now = time.perf_counter()
        if now - last_write > 0.5:
            _rate(progress, now - start)
            write_progress(progress)
            last_write = now
    progress["status"] = "finished"
    _rate(progress, time.perf_counter() - start)
    progress["finished_at"] = timezone.now().isoformat()
    write_progress(progress)
    return progress


def generated_reports(level: str, limit: int = 200) -> tuple[list[Territory], int]:
    """Territories of a level whose PDF is on disk (from a batch or a visit), and how many."""
    folder = Path(settings.CACHE_DIR) / "reports" / level
    codes = (
        sorted({p.name.rsplit("-", 1)[0] for p in folder.glob("*.pdf")}) if folder.is_dir() else []
    )
    territories = list(
        Territory.objects.filter(level=level, code__in=codes[:limit]).order_by("name")
    )
    return territories, len(codes)


def _rate(progress: dict[str, Any], seconds: float) -> None:
    """Elapsed seconds and reports per minute, shown on the batch page."""
    progress["seconds"] = round(seconds, 1)
    progress["per_minute"] = round(60 * progress["done"] / seconds) if seconds > 0 else None
