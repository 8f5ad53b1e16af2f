"""A territory's report in one straight line: key → collect → draw → render → file.

``get_report`` is the one way in. The key hashes the template version and ``dependency_stamp``
(territory, indicator data, released practice figures, grid, maturity, fragility profile,
resources, examples) in a few aggregate queries: a second download of unchanged data is a file
read. On a miss, ``collect`` reads every figure once (``data.ReportData``), ``charts.draw`` draws
the images from it, ``render`` writes the PDF; the file is kept unless a chart is missing, and
the territory's older files are removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Sum

from observatoire.dialogues.results_queries import perceived_stamp
from observatoire.models import ImportRun, Indicator, IndicatorValue, PeerDistribution
from observatoire.report import charts, render
from observatoire.report.collect import collect_report_data
from observatoire.report.data import TEMPLATE_VERSION
from observatoire.report.examples import examples_stamp
from pratiques.aggregates import territory_release_stamp
from pratiques.models import GridVersion, Resource, ResourceAttachment
from territoires.models import (
    FragilityReading,
    Level,
    MaturityAssessment,
    MaturityProfile,
    SizeSegment,
    Territory,
)

logger = logging.getLogger(__name__)


def report_key(territory: Territory) -> str:
    stamp = {"template": TEMPLATE_VERSION, **dependency_stamp(territory)}
    payload = json.dumps(stamp, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def report_dir(territory: Territory) -> Path:
    path = Path(settings.CACHE_DIR) / "reports" / territory.level
    path.mkdir(parents=True, exist_ok=True)
    return path


def report_path(territory: Territory, key: str) -> Path:
    return report_dir(territory) / f"{territory.code}-{key}.pdf"


def get_report(territory: Territory) -> tuple[bytes, bool]:
    """The territory's PDF and whether it came from the cache."""
    key = report_key(territory)
    path = report_path(territory, key)
    try:
        return path.read_bytes(), True
    except FileNotFoundError:
        pass
    data = collect_report_data(territory)
    images = charts.draw(data)
    pdf = render.render_pdf(data, images)
    if not images.complete:
        return pdf, False
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pdf)
    tmp.replace(path)
    for old in report_dir(territory).glob(f"{territory.code}-*.pdf"):
        if old != path:
            old.unlink(missing_ok=True)
    return pdf, False


# --- what a report depends on ------------------------------------------------------------


def _observatoire_stamp(territory: Territory) -> list[Any]:
    """Import runs, indicator catalogue and peer distributions of the level, in one query."""
    runs, indicators = ImportRun._meta.db_table, Indicator._meta.db_table
    parts = [
        f"SELECT count(*) FROM {runs}",
        f"SELECT max(finished_at) FROM {runs}",
        f"SELECT max(id) FROM {runs}",
        f"SELECT count(*) FROM {indicators}",
        f"SELECT max(id) FROM {indicators}",
    ]
    params: list[Any] = []
    # The peers' quantiles behind the percentiles.
    table = PeerDistribution._meta.db_table
    for expression in ("count(*)", "max(id)", "sum(count)"):
        parts.append(f"SELECT {expression} FROM {table} WHERE level = %s")
        params.append(territory.level)
    sql = "SELECT " + ", ".join(f"({part})" for part in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchone())


def _stamp(queryset: Any, *fields: str) -> list[Any]:
    aggregates = {"n": Count("pk")} | {f"m{i}": Max(f) for i, f in enumerate(fields)}
    row = queryset.aggregate(**aggregates)
    return [row[k] for k in sorted(row)]


def dependency_stamp(territory: Territory) -> dict[str, Any]:
    """Everything a cached report depends on, in a few aggregate queries."""
    stamp: dict[str, Any] = {
        "territory": [territory.pk, territory.name, territory.population, territory.updated_at],
        "segments": list(
            SizeSegment.objects.values_list("pk", "label", "min_population", "priority_lever")
        ),
    }
    if territory.level == Level.PROJECT:
        stamp["members"] = list(territory.memberships.values_list("member_id", flat=True))
    stamp["maturity"] = _stamp(
        MaturityAssessment.objects.filter(territory=territory), "assessed_at", "pk"
    )
    stamp["maturity_profiles"] = list(
        MaturityProfile.objects.values_list("pk", "label", "description")
    )
    stamp["fragility"] = _stamp(
        FragilityReading.objects.filter(territory=territory), "recorded_at", "pk"
    )
    stamp["observatoire"] = _observatoire_stamp(territory)
    # The territory's own values (a demo reload without an import run changes them).
    stamp["values"] = list(
        IndicatorValue.objects.filter(territory=territory)
        .aggregate(n=Count("value"), s=Max("year"), t=Sum("value"))
        .values()
    )
    version = GridVersion.objects.current()
    if version is not None:
        stamp["grid"] = [version.pk, version.label]
    # Practice figures change only at a release, and only where their people changed
    # (pratiques.aggregates): a release that leaves them as they were regenerates nothing.
    stamp["release"] = territory_release_stamp(territory)
    stamp["resources"] = _stamp(Resource.objects.all(), "updated_at", "pk") + _stamp(
        ResourceAttachment.objects.all(), "pk"
    )
    stamp["examples"] = examples_stamp()
    stamp["dialogue"] = perceived_stamp(territory)
    return stamp
