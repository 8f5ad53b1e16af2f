"""Attack 4 of issue 10: a viewer in a peer group of 7 with 3 of their own assessments.

Before, the results page excluded only the assessment being viewed: the group showed 6 and the
viewer learned the exact total of the other 4. Now all of the viewer's assessments are taken
out and the threshold counts distinct people: 4 others are « moins de 5 ».
"""

from __future__ import annotations

import pytest

from tests.conftest import logged_in
from tests.pratiques.helpers import peers, submitted

pytestmark = pytest.mark.django_db


def test_the_viewers_own_assessments_are_all_left_out(alice, geo) -> None:
    peers(geo.vincennes, 4)
    submitted(alice, geo.vincennes, 1, 1)
    submitted(alice, geo.vincennes, 2, 1)
    mine = submitted(alice, geo.vincennes, 3, 2)
    html = logged_in(alice).get(f"/pratiques/evaluations/{mine.pk}/resultats/").content.decode()
    assert "moins de 5 autres personnes ayant partagé" in html
    assert "Médiane" not in html and "auto-évaluations)" not in html


def test_one_person_with_many_assessments_counts_once(alice, bob, geo) -> None:
    peers(geo.vincennes, 4)
    for frequency in (1, 2, 3):
        submitted(bob, geo.vincennes, frequency, 1)  # one person, three assessments
    mine = submitted(alice, geo.vincennes, 3, 2)
    html = logged_in(alice).get(f"/pratiques/evaluations/{mine.pk}/resultats/").content.decode()
    # 7 assessments by 5 other people: shown, as « environ 5 », without quartiles (< 10).
    assert "(environ 5 autres personnes)" in html and "Médiane" not in html
