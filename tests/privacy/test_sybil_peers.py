"""Attack 1 of issue 23: sybils pad a peer group, probes read the results page before and after.

Eight accounts created by sign-up (never vouched) validate in the victim's région, so that the
région group holds the 2 real people + 8; a ninth account submits 25 probe assessments without
consent. Each probe's results page says where it stands among the group's peers (« au-dessus
d'environ x % des pairs »); read before and after a newcomer validates, the change tells on which
side of each probe the newcomer's 8 situation scores lie. « Recovered »: at least 6 of the 8
situation scores placed within ±5 points (a band 10 points wide). Against released, noised distributions of
established people only, the best attempt must recover nothing.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pratiques.aggregates import release_aggregates
from pratiques.models import AssessmentScore, Situation
from tests.conftest import logged_in
from tests.privacy import attack

pytestmark = pytest.mark.django_db

PROBES = 25
SCORES_RECOVERED_AT = 6
TOLERANCE = 5.0
PARIS = ZoneInfo("Europe/Paris")
ROW = re.compile(r'<th scope="row">([^<]*)</th>\s*<td class="num">[^<]*</td>(.*?)</tr>', re.DOTALL)
PLACE = re.compile(r"au-dessus d’environ (\d+) % des pairs")
PEOPLE = re.compile(r'aria-current="true">[^<]*</a>\s*<span class="muted">\(environ (\d+) autres')


def reading(client, assessment, group: str) -> tuple[dict[str, int], int | None]:
    """Per situation code: the « au-dessus d'environ x % » the page shows; the group's size."""
    html = client.get(f"/pratiques/evaluations/{assessment.pk}/resultats/?groupe={group}")
    text = html.content.decode()
    places = {}
    for title, cells in ROW.findall(text):
        found = PLACE.search(cells)
        code = re.match(r"(\d+)\. ", title.strip())
        if found and code:  # situations only (« 4. Être à l'écoute… »), not the axes
            places[code.group(1)] = int(found.group(1))
    people = PEOPLE.search(text)
    return places, int(people.group(1)) if people else None


OPTIONS: list[tuple[int, int] | None] = [None, (0, 1)] + [
    (f, i) for f in (1, 2, 3) for i in (1, 2, 3)
]


def probe(user, territory, target: float):
    """A probe assessment whose every situation score is as close to ``target`` as answers allow
    (the attacker chooses their answers: the probes' scores step through 0–100)."""
    from itertools import product

    from pratiques import scoring
    from pratiques.services import AnswerData
    from tests.factories import submitted_assessment, version_practices

    by_situation: dict[int, list[int]] = {}
    for practice in version_practices():
        by_situation.setdefault(practice.situation_id, []).append(practice.pk)
    chosen: dict[int, tuple[int, int] | None] = {}
    for practices in by_situation.values():
        best, best_gap = None, 1000.0
        for combo in product(OPTIONS, repeat=len(practices)):
            values = [scoring.practice_score(*o) for o in combo if o is not None]
            if not values:
                continue
            gap = abs(sum(values) / len(values) - target)
            if gap < best_gap:
                best, best_gap = combo, gap
        chosen.update(zip(practices, best or (), strict=True))

    def answer(_index, practice):
        option = chosen.get(practice.pk)
        if option is None:
            return None
        return AnswerData(frequency=option[0], involvement=option[1])

    return submitted_assessment(user, territory, answer, consent=False)


def situation_scores(assessment) -> dict[str, float]:
    codes = dict(
        Situation.objects.filter(version_id=assessment.version_id).values_list("key", "code")
    )
    return {
        str(codes[key]): value
        for key, value in AssessmentScore.objects.filter(
            assessment=assessment, kind="situation"
        ).values_list("element_key", "score")
    }


def below_count(shown: int, n: int) -> set[int]:
    """Counts b of peers below with round(100 b / n) to 10 % equal to what is shown."""
    return {b for b in range(n + 1) if int(10 * round(100 * b / n / 10)) == shown}


def estimate(before, after, probes_scores, n: int) -> dict[str, tuple[float, float]]:
    """For each situation, the interval the newcomer's score must lie in: a probe whose count
    below grew by one is above the newcomer, one whose count stayed is below (or equal)."""
    low: dict[str, float] = {}
    high: dict[str, float] = {}
    for (places_before, places_after), scores in zip(
        zip(before, after, strict=True), probes_scores, strict=True
    ):
        for title, shown_before in places_before.items():
            if title not in places_after or title not in scores:
                continue
            counts = below_count(shown_before, n)
            if len(counts) != 1:
                continue
            (b,) = counts
            grew = int(10 * round(100 * (b + 1) / (n + 1) / 10))
            same = int(10 * round(100 * b / (n + 1) / 10))
            if grew == same:
                continue  # this probe cannot tell
            score = scores[title]
            if places_after[title] == grew:
                high[title] = min(high.get(title, 100.0), score)
            elif places_after[title] == same:
                low[title] = max(low.get(title, 0.0), score)
    return {t: (low.get(t, 0.0), high.get(t, 100.0)) for t in set(low) | set(high)}


def placed(intervals: dict[str, tuple[float, float]], true: dict[str, float]) -> int:
    return sum(
        1
        for title, (low, high) in intervals.items()
        if high - low <= 2 * TOLERANCE and abs((low + high) / 2 - true[title]) <= TOLERANCE
    )


def test_sybils_and_probes_recover_no_newcomers_situation_scores(geo) -> None:
    region = f"region-{geo.ara.pk}"
    real = [attack.person(f"reel{i}") for i in range(2)]
    for i, user in enumerate(real):
        attack.submit_random(user, geo.small_commune, seed=i)
    for i in range(8):
        attack.submit_random(attack.sybil(f"sybil{i}"), geo.small_commune, seed=100 + i)
    prober = attack.sybil("sonde")
    probes = [probe(prober, geo.small_commune, 100 * (i + 0.5) / PROBES) for i in range(PROBES)]
    probes_scores = [situation_scores(p) for p in probes]
    client = logged_in(prober)
    release_aggregates(now=datetime(2027, 1, 1, 6, tzinfo=PARIS))
    before = [reading(client, p, region) for p in probes]

    newcomer = attack.person("nouvelle")
    mine = attack.submit_random(newcomer, geo.small_commune, seed=999)
    true = situation_scores(mine)

    best = 0
    # Re-read at once, then again after the next monthly release.
    for month in (None, 2):
        if month is not None:
            release_aggregates(now=datetime(2027, month, 1, 6, tzinfo=PARIS))
        after = [reading(client, p, region) for p in probes]
        sizes = {n for _, n in before if n}
        for n in sizes or {10}:
            intervals = estimate(
                [places for places, _ in before],
                [places for places, _ in after],
                probes_scores,
                n,
            )
            best = max(best, placed(intervals, true))
    print(f"\nsybil peers: best {best}/8 situation scores placed within ±{TOLERANCE}")
    assert best < SCORES_RECOVERED_AT
