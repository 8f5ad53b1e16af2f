"""Up to 3 inspiring examples in the territory report, only when some match."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User

from observatoire.report.cache import dependency_stamp
from observatoire.report.collect import collect_report_data
from observatoire.report.data import ReportImages
from observatoire.report.render import render_html
from territoires.models import Fragility
from territoires.services import fragility_record
from tests.pratiques.directory_helpers import example


def read_fragility(territory: Any, fragility: Fragility, user: User) -> None:
    fragility_record(
        territory=territory,
        fragility=fragility,
        level=3,
        source="diagnostic",
        user=user,
        diagnosis_author="Mairie",
        diagnosis_date=datetime.date(2026, 1, 15),
    )


@pytest.mark.django_db
def test_up_to_three_matching_examples(geo: Any, nadia: User) -> None:
    fragility = Fragility.objects.order_by("order").first()
    assert fragility is not None
    before = dependency_stamp(geo.firminy)
    for index in range(5):
        example(f"Exemple {index}", fragilities=[fragility.code], territories=[geo.firminy])
    example("Sans rapport", territories=[geo.firminy])
    assert dependency_stamp(geo.firminy) != before  # a new example renews the cached report
    assert collect_report_data(geo.firminy).examples == []  # no fragility read yet
    read_fragility(geo.firminy, fragility, nadia)
    data = collect_report_data(geo.firminy)
    assert len(data.examples) == 3
    assert "Sans rapport" not in [e.title for e in data.examples]
    html = render_html(data, ReportImages())
    assert "Exemples inspirants" in html and "Exemple 4" in html


@pytest.mark.django_db
def test_no_part_without_a_match(geo: Any) -> None:
    html = render_html(collect_report_data(geo.vincennes), ReportImages())
    assert "Exemples inspirants" not in html
