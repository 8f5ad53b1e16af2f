"""« Ce qui a changé »: the domains whose rank among peers moved most between the two latest
vintages of the indicators, and what changed in the released practice figures between the two
latest releases (released figures only) — on the report's first page and the indicators page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from observatoire.imports.loading import peer_distributions_refresh
from observatoire.models import Indicator, IndicatorValue
from observatoire.report.collect import collect_report_data
from pratiques.aggregates import release_aggregates
from tests.conftest import ok
from tests.factories import months_later
from tests.observatoire.report_helpers import no_charts, pdf_pages
from tests.observatoire.seven_territories import YEAR, Seven, seven_territories
from tests.privacy import attack

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_dir(settings: Any, tmp_path: Any) -> Any:
    settings.CACHE_DIR = tmp_path
    return tmp_path


@pytest.fixture
def seven() -> Seven:
    return seven_territories()


def previous_vintage(*, vincennes_moved: dict[str, float]) -> None:
    """The year before: every value as in YEAR, except Vincennes' on the given indicators."""
    rows = IndicatorValue.objects.filter(year=YEAR)
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator_id=row.indicator_id,
            territory_id=row.territory_id,
            year=YEAR - 1,
            value=vincennes_moved.get(row.indicator.code, row.value)
            if row.territory.code == "94080"
            else row.value,
        )
        for row in rows.select_related("indicator", "territory")
    )
    peer_distributions_refresh(
        indicator_ids=list(Indicator.objects.values_list("pk", flat=True)), years=[YEAR - 1]
    )


def test_one_vintage_says_the_evolution_comes_with_the_next(seven: Seven) -> None:
    data = collect_report_data(seven.vincennes)
    assert data.changes.indicators.startswith("Un seul millésime des indicateurs")
    assert data.changes.practices == ""  # no release at all


def test_the_domains_whose_rank_moved_most_are_named(seven: Seven) -> None:
    # In the previous vintage, Vincennes had the highest unemployment and poverty of its peers
    # (it is now at the 0th and 14th centile).
    previous_vintage(vincennes_moved={"EMPLOI": 99.0, "PAUV": 99.0})
    data = collect_report_data(seven.vincennes)
    changes = data.changes
    assert changes.years == (YEAR - 1, YEAR)
    moved = {m.domain: m for m in changes.moves}
    assert set(moved) == {"Emploi / chômage / insertion", "Pauvreté / lutte contre l'exclusion"}
    assert all(m.delta < 0 for m in moved.values())  # less fragile now
    assert changes.moves[0].domain == "Emploi / chômage / insertion"  # the largest move first
    text = changes.indicators
    assert text.startswith(f"Depuis le millésime précédent des indicateurs ({YEAR - 1} → {YEAR}) :")
    assert "Emploi / chômage / insertion passe du 100e au 0e centile" in text
    assert "(moins fragile parmi ses pairs)" in text
    # Unmoved domains are not named; on the first page of the PDF, in words.
    assert "Santé" not in text
    with no_charts():
        pdf = ok(Client().get("/territoires/commune/94080/rapport.pdf")).content
    first = pdf_pages(pdf)[0]
    assert "Ce qui a changé : Depuis le millésime précédent des indicateurs" in first
    # And on the territory's indicators page.
    page = ok(Client().get("/territoires/commune/94080/indicateurs/")).content.decode()
    assert "Ce qui a changé" in page and "passe du 100e au" in page


def test_nothing_moved_is_said_so(seven: Seven) -> None:
    previous_vintage(vincennes_moved={})
    text = collect_report_data(seven.vincennes).changes.indicators
    assert text == (
        f"Depuis le millésime précédent des indicateurs ({YEAR - 1} → {YEAR}), aucun domaine "
        "n’a bougé de 5 points ou plus parmi ses pairs."
    )


def test_released_practice_figures_against_those_they_replaced(geo: Any) -> None:
    commune = geo.small_commune
    for i in range(3):
        attack.submit_random(attack.person(f"p{i}"), commune, seed=i)
    release_aggregates()
    assert collect_report_data(commune).changes.practices == ""  # one release only
    for i in range(3, 12):
        attack.submit_random(attack.person(f"p{i}"), commune, seed=i)
    release_aggregates(now=months_later())
    first = collect_report_data(commune).changes.practices
    assert first.startswith("Pratiques : synthèse publiée pour la première fois à la diffusion du")
    assert "(environ " in first
    # A release where nobody new counts carries the same draw: the same sentence, so a cached
    # report (whose key does not change) stays true.
    release_aggregates(now=months_later(2))
    assert collect_report_data(commune).changes.practices == first
    # Enough newcomers: a new draw, the released counts before and after, dated by their draws.
    for i in range(12, 24):
        attack.submit_random(attack.person(f"p{i}"), commune, seed=i)
    release_aggregates(now=months_later(3))
    text = collect_report_data(commune).changes.practices
    assert text.startswith("Pratiques, entre les diffusions du ")
    assert "catalyseurs pris en compte environ " in text and " → environ " in text
    assert "moins de" not in text  # never an exact small count


def test_the_report_reads_no_unreleased_figure(geo: Any) -> None:
    """Assessments submitted after the latest release change nothing in « Ce qui a changé »."""
    commune = geo.small_commune
    for i in range(12):
        attack.submit_random(attack.person(f"p{i}"), commune, seed=i)
    release_aggregates()
    release_aggregates(now=months_later())
    before = collect_report_data(commune).changes.practices
    for i in range(12, 30):
        attack.submit_random(attack.person(f"p{i}"), commune, seed=i)
    assert collect_report_data(commune).changes.practices == before
