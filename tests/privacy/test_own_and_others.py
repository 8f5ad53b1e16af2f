"""Attack 4 of issue 10: a viewer in a peer group with 3 of their own assessments.

Before, the results page excluded only the assessment being viewed: the group showed 6 and the
viewer learned the exact total of the other 4. Since issue 23 the page reads the last release:
the unit is a distinct established person (their latest consenting assessment, counted once),
the size is noised and rounded, and below k nothing is shown.
"""

from __future__ import annotations

import re

import pytest

from pratiques.aggregates import release_aggregates
from pratiques.models import Vouch
from tests.conftest import logged_in
from tests.pratiques.helpers import peers, submitted

pytestmark = pytest.mark.django_db


def test_the_viewers_many_assessments_count_once(alice, geo) -> None:
    Vouch.objects.create(user=alice, source="invitation")
    peers(geo.vincennes, 2)
    submitted(alice, geo.vincennes, 1, 1)
    submitted(alice, geo.vincennes, 2, 1)
    mine = submitted(alice, geo.vincennes, 3, 2)
    release_aggregates()
    html = logged_in(alice).get(f"/pratiques/evaluations/{mine.pk}/resultats/").content.decode()
    # 5 assessments but 3 people: below the threshold, as if alice had one.
    assert "compte moins de 5 personnes dans la dernière diffusion" in html
    assert "Médiane" not in html and "auto-évaluations)" not in html


def test_one_person_with_many_assessments_counts_once(alice, bob, geo) -> None:
    for user in (alice, bob):
        Vouch.objects.create(user=user, source="invitation")
    peers(geo.vincennes, 4)
    for frequency in (1, 2, 3):
        submitted(bob, geo.vincennes, frequency, 1)  # one person, three assessments
    mine = submitted(alice, geo.vincennes, 3, 2)
    release_aggregates()
    html = logged_in(alice).get(f"/pratiques/evaluations/{mine.pk}/resultats/").content.decode()
    # 8 assessments by 6 people: shown as a noised count rounded to 5, without quartiles (< 10).
    found = re.search(r"\(environ (\d+) personnes\)", html)
    assert found and int(found.group(1)) in (5, 10) and "Médiane" not in html
