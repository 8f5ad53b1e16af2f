"""The territory report's « Fragilités perçues » part and its cache key."""

from __future__ import annotations

import re
from typing import Any

import pytest

from observatoire.dialogues.models import DialogueStatus
from observatoire.report.cache import dependency_stamp
from observatoire.report.collect import collect_report_data
from observatoire.report.data import ReportImages
from observatoire.report.render import render_html
from tests.observatoire.dialogues.results_helpers import freeze, populated

pytestmark = pytest.mark.django_db


def test_the_territory_report_shows_the_latest_published_dialogue(geo: Any, elise: Any) -> None:
    before = dependency_stamp(geo.vincennes)
    assert collect_report_data(geo.vincennes).perceived is None
    dialogue = populated(
        geo.vincennes,
        {"collectivites-territoriales": 8, "associations": 6},
        organiser=elise,
        title="Regards croisés",
    )
    freeze(dialogue)  # closed, not published: nothing in the report yet
    assert collect_report_data(geo.vincennes).perceived is None
    dialogue.status = DialogueStatus.PUBLISHED
    dialogue.save()
    assert dependency_stamp(geo.vincennes) != before  # the cached PDF is rebuilt
    data = collect_report_data(geo.vincennes)
    assert data.perceived is not None and data.perceived.results.shown
    html = re.sub(r"\s+", " ", render_html(data, ReportImages()))
    assert "Fragilités perçues" in html and "Regards croisés" in html
    assert "environ" in html and "profils représentés" in html
    # The first page says it in one sentence, with what stands out (figures shown, level words).
    sentence = data.summary.perceived
    assert sentence.startswith("dialogue « Regards croisés », clos le ") and "réponses" in sentence
    strong = [r.label for r in data.perceived.rows if r.perceived.words == "forte"]
    if strong:
        assert "perçues comme fortes : " + ", ".join(strong) in sentence
    assert f"<strong>Fragilités perçues</strong> : {sentence}" in html.replace("&#x27;", "'")


def test_no_perceived_sentence_without_a_published_dialogue(geo: Any) -> None:
    assert collect_report_data(geo.vincennes).summary.perceived == ""
