"""Attack 4 of issue 23: average many releases of the same person.

A commune holds the victim and the attacker's 8 padding accounts. Before each monthly release the
padding accounts swap their consent (on the results page), so that « at least 5 people changed »
and the figures are drawn again (a release asked every 15 days for a year); five projects « the commune ∪ one other commune » (each other
commune holding 5 more padding accounts) are meant to give more draws of the same person. The
attacker reads the commune's, the projects' and the EPCI's pages after each release, subtracts what
the padding accounts contributed, and averages every distinct draw. « Recovered »: the suite's
definition (carrying and « à développer » on ≥ 20 of 24 practices). Two cases: the padding
accounts are signed-up accounts (sybils), or accomplices the network vouched for (worst case).
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from config.refusals import Refused
from pratiques.aggregates import release_aggregates
from territoires.models import Level, ProjectMember, Territory
from tests.conftest import logged_in
from tests.privacy import attack

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2027, 1, 1, 6, tzinfo=PARIS)
RELEASES = 24  # asked every 15 days over a year (« Lancer une diffusion maintenant »)


def read(territory) -> tuple[attack.Figures, int | None]:
    html = Client().get(
        f"/pratiques/territoires/{territory.level}/{territory.code}/", HTTP_HX_REQUEST="true"
    )
    return attack.figures_from_page(html.content.decode())


def consent(user, assessment, value: bool) -> None:
    logged_in(user).post(
        f"/pratiques/evaluations/{assessment.pk}/partage/",
        {"consent_statistics": "on"} if value else {},
    )


@functools.cache
def truth(user_id: int) -> dict[str, tuple[object, bool]]:
    return attack.truth(user_id)  # the padding's answers: the attacker wrote them


def residual_of(figures: attack.Figures, known_ids: list[int]) -> dict[str, dict[str, float]]:
    """The victim's share of each count: the published shares times the group's totals (the
    padding's own carried and answered practices, plus the victim's), minus the padding."""
    known = {user_id: truth(user_id) for user_id in known_ids}
    result = {}
    for code, cells in figures.items():
        carried = 1 + sum(1 for t in known.values() if t.get(code, (None,))[0])
        answered = 1 + len(known)
        own = {c: 0.0 for c in attack.CELLS}
        for t in known.values():
            carrying, develop = t.get(code, (None, False))
            if carrying:
                own[carrying] += 1
            own["develop"] += develop
        result[code] = {
            c: (cells.get(c) or 0) * (answered if c == "develop" else carried) / 100 - own[c]
            for c in attack.CELLS
        }
    return result


@pytest.mark.parametrize("vouched", [False, True], ids=["sybils", "accomplices"])
def test_averaging_releases_and_padding_projects_recovers_nobody(geo, vouched: bool) -> None:
    truth.cache_clear()
    victim = attack.person("victime")
    attack.submit_random(victim, geo.small_commune, seed=1)
    true = attack.truth(victim.pk)
    padding = [attack.person(f"pad{i}", vouched=vouched) for i in range(8)]
    own = {
        user.pk: attack.submit_random(user, geo.small_commune, seed=20 + i)
        for i, user in enumerate(padding)
    }
    projects = []
    for i in range(5):
        other = Territory.objects.create(
            level=Level.COMMUNE,
            code=f"4290{i}",
            name=f"Autre {i}",
            population=300,
            region=geo.ara,
            departement=geo.loire,
            epci=geo.st_etienne_metropole,
        )
        extra = [attack.person(f"extra{i}-{j}", vouched=vouched) for j in range(5)]
        for j, user in enumerate(extra):
            attack.submit_random(user, other, seed=40 + 10 * i + j)
        project = Territory.objects.create(level=Level.PROJECT, code=f"pad-{i}", name=f"P{i}")
        ProjectMember.objects.create(project=project, member=geo.small_commune)
        ProjectMember.objects.create(project=project, member=other)
        projects.append((project, extra))

    # Control: exact figures of the commune minus the padding give the victim away.
    exact, n = attack.exact_figures([victim.pk, *(u.pk for u in padding)])
    residual = attack.subtract(attack.counts(exact, n), attack.known_counts(list(own)))
    assert attack.recovered(attack.guess(residual, list(true)), true)

    draws: dict[str, dict[str, dict[str, float]]] = {}  # distinct readings → residual counts
    sizes: dict[str, int] = {}
    refused = 0
    for r in range(RELEASES):
        half = padding[:4] if r % 2 == 0 else padding[4:]
        for user in padding:
            consent(user, own[user.pk], user in half)
        try:
            release_aggregates(now=START + timedelta(days=15 * r))
        except Refused:
            refused += 1
        for scope, known_ids in [
            (geo.small_commune, [u.pk for u in half]),
            *((p, [*(u.pk for u in half), *(u.pk for u in extra)]) for p, extra in projects),
            # The EPCI holds the commune and the five other communes: one more reading.
            (
                geo.st_etienne_metropole,
                [*(u.pk for u in half), *(u.pk for _, e in projects for u in e)],
            ),
        ]:
            figures, people = read(scope)
            if people is None or not figures:
                continue
            key = repr((sorted(known_ids), sorted(figures.items())))
            draws[key] = residual_of(figures, known_ids)
            sizes[key] = 1 + len(known_ids)
    best_single = max(
        (attack.matches(attack.guess(d, list(true)), true) for d in draws.values()), default=0
    )
    averaged = 0
    # Every draw alike, or the smaller groups weighted more (the victim weighs more in them).
    for power in (0, 1, 2, 3):
        weights = {key: sizes[key] ** -power for key in draws}
        if not weights:
            break
        total = sum(weights.values())
        mean = {
            code: {
                c: sum(w * draws[k].get(code, {}).get(c, 0) for k, w in weights.items()) / total
                for c in attack.CELLS
            }
            for code in true
        }
        averaged = max(averaged, attack.matches(attack.guess(mean, list(true)), true))
    print(
        f"\naveraging ({'accomplices' if vouched else 'sybils'}): {RELEASES} releases asked, "
        f"{refused} refused, {len(draws)} distinct draws, best single {best_single}/24, "
        f"averaged {averaged}/24"
    )
    assert best_single < attack.RECOVERED_AT and averaged < attack.RECOVERED_AT
