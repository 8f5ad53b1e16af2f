"""Attack 2 of issue 10: pad a small group with one's own answers, then subtract them.

A commune has one hidden person. The attacker (a) submits 4 consenting assessments from their own
account, (b) creates 4 accounts (sybils) that each submit, then reads the territory page and
subtracts what they know. With (b) the group does reach 5 people: the released noise, drawn anew
at each of 40 releases here, must keep the victim's answers out of reach every time.
"""

from __future__ import annotations

import pytest
from django.test import Client

from pratiques.aggregates import release_aggregates
from pratiques.models import Release
from tests.privacy import attack

pytestmark = pytest.mark.django_db

DRAWS = 40


def read(territory) -> tuple[attack.Figures, int | None]:
    html = Client().get(
        f"/pratiques/territoires/{territory.level}/{territory.code}/", HTTP_HX_REQUEST="true"
    )
    return attack.figures_from_page(html.content.decode())


def test_padding_with_own_assessments_shows_nothing(geo) -> None:
    victim, mallory = attack.person("victime"), attack.person("mallory")
    attack.submit_random(victim, geo.small_commune, seed=1)
    for seed in range(4):
        attack.submit_random(mallory, geo.small_commune, seed=10 + seed)
    release_aggregates()
    figures, people = read(geo.small_commune)
    # Two distinct people: below the threshold, and no exact count.
    assert people is None and figures == {}
    html = Client().get(f"/pratiques/territoires/commune/{geo.small_commune.code}/").content
    assert "Moins de 5" in html.decode() and "2 catalyseur" not in html.decode()


def test_padding_with_four_sybil_accounts_shows_nothing(geo) -> None:
    """Issue 23: signed-up accounts are not established people: they pad nothing."""
    victim = attack.person("victime")
    attack.submit_random(victim, geo.small_commune, seed=1)
    for i in range(4):
        attack.submit_random(attack.sybil(f"sybil{i}"), geo.small_commune, seed=20 + i)
    release_aggregates()
    figures, people = read(geo.small_commune)
    assert people is None and figures == {}


def test_padding_with_four_vouched_accomplices_recovers_nobody(geo) -> None:
    """Worst case: 4 accomplices the network vouched for. Re-drawing by deleting every release
    (40 times, as the old test did to get fresh noise) gives the same keyed draw each time, until
    the victim's yearly budget is spent and they leave new draws: one draw of the victim, not 40."""
    victim = attack.person("victime")
    attack.submit_random(victim, geo.small_commune, seed=1)
    sybils = [attack.person(f"complice{i}") for i in range(4)]
    for i, sybil in enumerate(sybils):
        attack.submit_random(sybil, geo.small_commune, seed=20 + i)
    own = attack.known_counts([s.pk for s in sybils])
    true = attack.truth(victim.pk)
    # Control: on exact figures the padding gives the victim away.
    exact, n = attack.exact_figures([victim.pk, *(s.pk for s in sybils)])
    residual = attack.subtract(attack.counts(exact, n), own)
    assert attack.recovered(attack.guess(residual, list(true)), true)
    recovered, best, readings = 0, 0, set()
    for _ in range(DRAWS):
        Release.objects.all().delete()  # what used to give a fresh draw of the noise
        release_aggregates()
        figures, people = read(geo.small_commune)
        if people is None:
            continue  # the budget is spent: the victim is left out of new draws
        readings.add(repr(sorted(figures.items())))
        residual = attack.subtract(attack.counts(figures, 5), own)
        guessed = attack.guess(residual, list(true))
        best = max(best, attack.matches(guessed, true))
        recovered += attack.recovered(guessed, true)
    print(f"\naccomplices: {DRAWS} releases, {len(readings)} distinct draw, best {best}/24")
    assert len(readings) == 1 and recovered == 0
