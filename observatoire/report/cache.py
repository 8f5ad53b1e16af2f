"""Finished PDFs on disk, keyed by everything they depend on.

The key hashes the template version and ``sources.dependency_stamp`` (territory, indicator data,
assessments, grid, maturity, fragility profile, resources): a second download of unchanged data is
a file read; any change gives a new key, so the report is rebuilt and the old file removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from django.conf import settings

from observatoire.report import render, sources
from observatoire.report.collect import collect_report_data
from observatoire.report.data import TEMPLATE_VERSION
from territoires.models import Territory

logger = logging.getLogger(__name__)


def report_key(territory: Territory) -> str:
    stamp = {"template": TEMPLATE_VERSION, **sources.dependency_stamp(territory)}
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
    pdf = render.render_pdf(data)
    if not data.complete:
        return pdf, False
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pdf)
    tmp.replace(path)
    for old in report_dir(territory).glob(f"{territory.code}-*.pdf"):
        if old != path:
            old.unlink(missing_ok=True)
    return pdf, False
