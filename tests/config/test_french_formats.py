"""French dates and numbers everywhere (issue 28): « 1er décembre 2026 », « semaine du 2 novembre
2026 », « 1er centile », years without a thousands space, decimal commas in timings, and no
template that prints an ISO date or an abbreviated month."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

from config.typography import french_count, french_date, french_seconds, french_week
from observatoire.readings import centile, population_band
from territoires.models import SizeSegment


def render(text: str, **context: object) -> str:
    return Template(text).render(Context(context))


def test_dates() -> None:
    assert french_date(date(2026, 12, 1)) == "1er décembre 2026"
    assert french_date(date(2026, 3, 21)) == "21 mars 2026"
    assert french_week(date(2026, 11, 2)) == "semaine du 2 novembre 2026"
    assert render("{{ d|fr_date }}", d=date(2026, 12, 1)) == "1er décembre 2026"
    assert render("{{ d|fr_date }}", d="2025-03-01") == "1er mars 2025"  # a stored ISO date
    assert render("{{ d|fr_week }}", d=date(2026, 11, 2)) == "semaine du 2 novembre 2026"
    noon = datetime(2026, 12, 1, 11, 5, tzinfo=UTC)  # 12 h 05 in Paris
    assert render("{{ d|fr_datetime }}", d=noon) == "1er décembre 2026 à 12 h 05"


def test_numbers() -> None:
    assert centile(1) == "1er centile" and centile(58) == "58e centile"
    assert render("{{ y|year }}", y=2022) == "2022"
    assert french_seconds(1.54) == "1,54\u00a0s" and french_seconds(12.25) == "12,2\u00a0s"
    assert french_count(1, "valeur") == "1 valeur"
    assert french_count(1204, "valeur") == "1\u202f204 valeurs"
    middle = SizeSegment(
        label="moins de 50 000 habitants", min_population=20_000, max_population=50_000
    )
    assert population_band(middle) == "de 20\u202f000 à 50\u202f000 habitants"


ISO_IN_TEMPLATES = re.compile(
    r'\|date:"(?:[^"]*Y-m-d[^"]*|c|[^"]*\bM\b[^"]*|[^"]*\bb\b[^"]*|[^"]*\bN\b[^"]*)"|isoformat'
)


def test_no_template_prints_an_iso_date_or_an_abbreviated_month() -> None:
    folder = Path(settings.BASE_DIR) / "templates"
    found = [
        f"{path.relative_to(folder)}: {match[0]}"
        for path in folder.rglob("*")
        if path.suffix in {".html", ".txt"}
        for match in ISO_IN_TEMPLATES.finditer(path.read_text())
    ]
    assert found == []
    # Full dates go through fr_date (« 1er »), not Django's |date:"j F Y" (« 1 décembre »).
    spelled = [
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.suffix in {".html", ".txt"} and '|date:"j F' in path.read_text()
    ]
    assert spelled == []
