from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import override_settings

from pratiques.aggregates import release_aggregates
from tests.conftest import logged_in, ok
from tests.factories import months_later
from tests.pratiques.helpers import peers, submitted

# Issue 23: peers are read from the last release (established people, noised, rounded), never
# live; alice is not vouched in these tests, so she is in no group.
BELOW = "compte moins de 5 personnes dans la dernière diffusion"
SHOWN = re.compile(r"\(environ (\d+) personnes\)")

pytestmark = pytest.mark.django_db


def results_url(assessment) -> str:
    return f"/pratiques/evaluations/{assessment.pk}/resultats/"


def chart_data(response: HttpResponse) -> dict:
    """The numbers the two charts are drawn from (pratiques/charts.py draws them as SVG)."""
    return response.context["charts"]


def test_below_the_threshold_peers_are_not_shown(alice: User, geo) -> None:
    peers(geo.vincennes, 4)
    mine = submitted(alice, geo.vincennes, 2, 2)
    release_aggregates()
    response = logged_in(alice).get(results_url(mine))
    html = response.content.decode()
    assert BELOW in html
    assert chart_data(response)["radar"]["median"] is None
    assert "Médiane" not in html


def test_from_the_threshold_peers_are_counted_from_ten_compared_by_quartiles(
    alice: User, geo
) -> None:
    peers(geo.vincennes, 5)
    mine = submitted(alice, geo.vincennes, 3, 3)
    release_aggregates()
    response = logged_in(alice).get(results_url(mine))
    html = response.content.decode()
    # 5 people: the group is shown, but one of them could move its quartiles readably.
    assert SHOWN.search(html) and "qu'à partir de 10 personnes" in html
    assert "Médiane" not in html and chart_data(response)["radar"]["median"] is None
    peers(geo.vincennes, 5, start_index=5)
    # Nothing moves before the next release (no before/after reading by probes).
    assert "Médiane" not in logged_in(alice).get(results_url(mine)).content.decode()
    release_aggregates(now=months_later())
    response = logged_in(alice).get(results_url(mine))
    html = response.content.decode()
    assert "Médiane" in html and "dans le quart le plus haut" in html
    data = chart_data(response)
    assert data["radar"]["mine"][0] == 100
    assert data["radar"]["median"] is not None
    assert all(value % 5 == 0 for value in data["radar"]["median"])  # steps of 5
    assert data["ternary"]["barycentre"] is not None
    assert all(cell[3] >= 5 for cell in data["ternary"]["spread"])  # never one person's point
    assert "Tous les catalyseurs" in html and int(SHOWN.search(html).group(1)) in (5, 10, 15)


def test_non_consenting_peers_are_not_counted(alice: User, geo) -> None:
    peers(geo.vincennes, 4)
    peers(geo.vincennes, 3, start_index=20, consent=False)
    mine = submitted(alice, geo.vincennes, 2, 2)
    release_aggregates()
    assert BELOW in logged_in(alice).get(results_url(mine)).content.decode()


@override_settings(ANONYMITY_THRESHOLD=2)
def test_a_peer_group_can_be_chosen_full_page_and_fragment(alice: User, geo, htmx) -> None:
    peers(geo.vincennes, 3, profile="associations")
    peers(geo.saint_etienne, 3, start_index=10)
    mine = submitted(alice, geo.saint_mande, 2, 2, profile="associations")
    release_aggregates()
    client = logged_in(alice)
    full = client.get(results_url(mine) + f"?groupe=region-{geo.idf.pk}").content.decode()
    assert "<html" in full and "Même région (Île-de-France)" in full and SHOWN.search(full)
    fragment = client.get(
        results_url(mine) + f"?groupe=region-{geo.idf.pk}", headers=htmx
    ).content.decode()
    assert "<html" not in fragment and fragment.strip().startswith('<section id="peers"')
    whole = client.get(results_url(mine), headers=htmx).content.decode()
    assert "<html" not in whole and 'id="results"' in whole


def test_constant_number_of_queries(alice: User, geo, django_assert_num_queries) -> None:
    peers(geo.vincennes, 6)
    first = submitted(alice, geo.vincennes, 1, 1)
    mine = submitted(alice, geo.vincennes, 3, 2)
    release_aggregates()
    client = logged_in(alice)
    # Peers from the release: the latest release (1), its peer groups (1), whether the viewer
    # counts (1) — instead of histograms (1), own assessments taken out (3), people (1);
    # + 1: the items of the previous development plan reached since.
    with django_assert_num_queries(16):
        ok(client.get(results_url(mine)))
    peers(geo.saint_etienne, 6, start_index=30)
    release_aggregates(now=months_later())
    with django_assert_num_queries(16):
        html = ok(client.get(results_url(mine))).content.decode()
    assert first.pk != mine.pk
    assert "Ce qui a bougé" in html and "▲" in html


def test_practices_to_develop_are_listed(alice: User, geo) -> None:
    from pratiques import services
    from tests.pratiques.helpers import current_practices, start

    assessment = start(alice, geo.vincennes)
    practice = current_practices()[5]
    services.answer_save(
        assessment_id=assessment.pk,
        user_id=alice.pk,
        practice_id=practice.pk,
        data=services.AnswerData(frequency=1, carrying=1, wants_to_develop=True),
    )
    services.assessment_submit(
        assessment_id=assessment.pk,
        user=alice,
        consent_statistics=False,
        share_with_organisation=False,
    )
    html = logged_in(alice).get(results_url(assessment)).content.decode()
    assert practice.label in html and "en interne" in html


def test_privacy(alice: User, charlie: User, nadia: User, elise: User, geo) -> None:
    mine = submitted(alice, geo.vincennes, 2, 2)
    assert logged_in(charlie).get(results_url(mine)).status_code == 404
    assert logged_in(charlie).get(f"/pratiques/evaluations/{mine.pk}/export.csv").status_code == 404
    assert logged_in(nadia).get(results_url(mine)).status_code == 403
    assert logged_in(elise).get(results_url(mine)).status_code == 403


def test_the_results_page_never_reads_who_is_behind_a_released_figure(alice: User, geo) -> None:
    """A released aggregate keeps its members (people ids) for the next release's differencing
    checks; the page only shows figures, so it never reads them: a network-wide group of 90 000
    people made that column the page's heaviest read (benchmarks, issue 23)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    peers(geo.vincennes, 10)
    mine = submitted(alice, geo.vincennes, 3, 3)
    release_aggregates()
    with CaptureQueriesContext(connection) as queries:
        ok(logged_in(alice).get(results_url(mine)))
    reads = [q["sql"] for q in queries if "pratiques_releasedaggregate" in q["sql"]]
    assert reads and not any('"members"' in sql for sql in reads)
