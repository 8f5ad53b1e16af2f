from __future__ import annotations

from typing import Any

import pytest

from observatoire.report import render
from observatoire.report.data import collect_report_data, summarize_assessments
from tests.observatoire.report_helpers import pdf_text
from tests.observatoire.report_samples import sample_grid, sample_records


def test_no_summary_below_the_anonymity_threshold() -> None:
    situations, practices = sample_grid()
    assert summarize_assessments(sample_records(4), situations, practices, threshold=5) is None
    summary = summarize_assessments(sample_records(5), situations, practices, threshold=5)
    assert summary is not None and summary.count == 5


def test_summary_quartiles_carrying_and_barycentre() -> None:
    situations, practices = sample_grid()
    records = sample_records(9)
    summary = summarize_assessments(records, situations, practices, threshold=5)
    assert summary is not None
    first = summary.situations[0]
    values = sorted(r.situation_scores["1"] for r in records)
    assert first.median == values[4] and first.q1 <= first.median <= first.q3
    carry = summary.practices[0]
    assert carry.in_house + carry.partnership + carry.both == carry.answered == 9
    assert abs(sum(summary.barycentre) - 100) < 1e-9
    develop = summary.most_to_develop
    assert develop == sorted(develop, key=lambda p: (-p.to_develop, p.code))


def test_unanswered_situations_are_left_out_not_zero() -> None:
    situations, practices = sample_grid()
    records = sample_records(5)
    for record in records[:2]:
        del record.situation_scores["8"]
    summary = summarize_assessments(records, situations, practices, threshold=5)
    eighth = summary.situations[-1]
    assert eighth.answered == 3
    assert eighth.median == sorted(r.situation_scores["8"] for r in records[2:])[1]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [4, 5])
def test_the_practice_section_needs_five_assessments(
    geo: Any, settings: Any, tmp_path: Any, count: int
) -> None:
    settings.CACHE_DIR = tmp_path
    data = collect_report_data(geo.vincennes)
    situations, practices = sample_grid()
    records = sample_records(count)
    data.assessment_count = count
    data.grid_label = "2024"
    data.practices = summarize_assessments(records, situations, practices, threshold=5)
    text = pdf_text(render.render_pdf(data))
    if count == 4:
        assert "Seuls 4 autodiagnostics concernent ce territoire" in text
        assert "à partir de 5 autodiagnostics" in text
        assert "Couverture par axe et par situation" not in text
    else:
        assert "Synthèse anonymisée de 5 autodiagnostics" in text
        assert "Couverture par axe et par situation" in text
        assert "Barycentre Gestion – Action – Vision" in text
        assert "Trouver et diversifier des financements" in text
