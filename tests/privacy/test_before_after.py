"""Attack 3 of issue 10: read a territory, let one person submit, read it again, subtract.

Without a release in between nothing moves (figures change only at dated releases); with one,
a scope that changed by fewer than k people keeps its published figures. The control shows the
same attacker recovers the newcomer from exact figures.
"""

from __future__ import annotations

import pytest
from django.test import Client

from pratiques.aggregates import release_aggregates
from tests.factories import months_later
from tests.privacy import attack

pytestmark = pytest.mark.django_db


def page(territory) -> str:
    return (
        Client()
        .get(f"/pratiques/territoires/{territory.level}/{territory.code}/", HTTP_HX_REQUEST="true")
        .content.decode()
    )


def table(html: str) -> attack.Figures:
    return attack.figures_from_page(html)[0]


def test_one_new_submission_changes_nothing_with_or_without_a_release(geo) -> None:
    first = [attack.person(f"p{i}") for i in range(6)]
    for i, user in enumerate(first):
        attack.submit_random(user, geo.small_commune, seed=i)
    release_aggregates()
    before = page(geo.small_commune)
    figures_before, people_before = attack.figures_from_page(before)
    assert people_before is not None and len(figures_before) == 24

    newcomer = attack.person("nouvelle")
    attack.submit_random(newcomer, geo.small_commune, seed=99)
    true = attack.truth(newcomer.pk)
    # Control: exact figures before and after give the newcomer away.
    ids = [u.pk for u in first]
    exact_before, n_before = attack.exact_figures(ids)
    exact_after, n_after = attack.exact_figures([*ids, newcomer.pk])
    residual = attack.subtract(
        attack.counts(exact_after, n_after), attack.counts(exact_before, n_before)
    )
    assert attack.recovered(attack.guess(residual, list(true)), true)

    # (a) no release in between: the page does not move at all.
    assert table(page(geo.small_commune)) == figures_before
    # (b) a release in between (next month): fewer than k people changed, the figures are kept.
    release_aggregates(now=months_later())
    figures_after, people_after = attack.figures_from_page(page(geo.small_commune))
    assert figures_after == figures_before and people_after == people_before
    residual = attack.subtract(
        attack.counts(figures_after, people_after), attack.counts(figures_before, people_before)
    )
    assert not attack.recovered(attack.guess(residual, list(true)), true)


def test_after_k_changes_the_new_figures_carry_new_noise(geo) -> None:
    users = [attack.person(f"p{i}") for i in range(6)]
    for i, user in enumerate(users):
        attack.submit_random(user, geo.small_commune, seed=i)
    release_aggregates()
    figures_before, people_before = attack.figures_from_page(page(geo.small_commune))
    newcomers = [attack.person(f"n{i}") for i in range(5)]
    for i, user in enumerate(newcomers):
        attack.submit_random(user, geo.small_commune, seed=50 + i)
    release_aggregates(now=months_later())
    figures_after, people_after = attack.figures_from_page(page(geo.small_commune))
    assert people_after is not None
    # Five people joined: re-released; the difference mixes five people and two noise draws.
    residual = attack.subtract(
        attack.counts(figures_after, people_after), attack.counts(figures_before, people_before)
    )
    recovered = sum(
        attack.recovered(attack.guess(residual, list(true)), true)
        for true in (attack.truth(u.pk) for u in newcomers)
    )
    assert recovered == 0
