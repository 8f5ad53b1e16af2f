"""Attack 2 of issue 23: a network admin downloads the anonymised export and reads the
analytics page before and after a newcomer validates, and subtracts.

Export: the answer vectors present after and absent before are the newcomer's (one new pseudonym
with 24 rows). Analytics: the one cell per practice that moved by one is the newcomer's answer.
The admin re-reads at once and again after the next monthly release. « Recovered »: the
suite's definition (carrying and « à développer » on ≥ 20 of 24 practices) for the export;
frequency and « à développer » on ≥ 20 of 24 for the analytics (they show no carrying).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from pratiques.aggregates import release_aggregates
from pratiques.models import Answer, Assessment, Practice
from tests.conftest import logged_in
from tests.privacy import attack

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
CELL = re.compile(r'<td class="num">([^<]*)</td>')
ROW = re.compile(r'<tr><th scope="row">(\d+\.\d+) [^<]*</th>(.*?)</tr>', re.DOTALL)


def export(client) -> list[dict[str, str]]:
    response = client.get(reverse("pratiques:curation:export_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def vectors(rows: list[dict[str, str]]) -> Counter:
    """Each pseudonym's answers as one vector (pseudonyms aside: they may change)."""
    people: dict[str, list[tuple[str, ...]]] = {}
    for row in rows:
        people.setdefault(row["pseudonyme"], []).append(
            (row["pratique_code"], row["frequence"], row["portage"], row["a_developper"])
        )
    return Counter(tuple(sorted(v)) for v in people.values())


def guess_from_vector(vector: tuple[tuple[str, ...], ...]) -> dict[str, tuple[Any, bool]]:
    return {
        code: (attack.CARRYING.get(int(carrying)) if carrying else None, develop == "oui")
        for code, _frequency, carrying, develop in vector
    }


def analytics(client) -> dict[str, list[str]]:
    html = client.get(reverse("pratiques:curation:analytics")).content.decode()
    return {code: CELL.findall(cells) for code, cells in ROW.findall(html)}


def as_int(cell: str) -> int | None:
    return int(cell) if cell.strip().isdigit() else None


def analytics_truth(user_id: int) -> dict[str, tuple[Any, bool]]:
    assessment = Assessment.objects.filter(user_id=user_id, status="submitted").latest("pk")
    codes = dict(Practice.objects.filter(version__status="published").values_list("key", "code"))
    return {
        codes[key]: (frequency, bool(develop))
        for key, frequency, develop in Answer.objects.filter(assessment=assessment).values_list(
            "practice__key", "frequency", "wants_to_develop"
        )
        if key in codes
    }


def analytics_guess(before, after) -> dict[str, tuple[Any, bool]]:
    """The frequency column that grew by one, and whether « à développer » grew."""
    from pratiques.models import GridVersion, ScaleStep

    steps = list(
        ScaleStep.objects.filter(version=GridVersion.objects.current(), scale="frequency")
        .order_by("value")
        .values_list("value", flat=True)
    )
    result = {}
    for code, cells_after in after.items():
        cells_before = before.get(code, [])
        if len(cells_before) != len(cells_after):
            continue
        deltas = [
            (as_int(a) or 0) - (as_int(b) or 0) if as_int(a) is not None else None
            for a, b in zip(cells_after, cells_before, strict=True)
        ]
        frequency_deltas = deltas[:-3]  # frequency steps, then not concerned, unanswered, develop
        grown = [i for i, d in enumerate(frequency_deltas) if d == 1]
        frequency = steps[grown[0]] if len(grown) == 1 else None
        result[code] = (frequency, deltas[-1] == 1)
    return result


def test_admin_before_after_recovers_no_newcomer(geo, nadia) -> None:
    for i in range(25):  # cells of at least 5 are shown exactly to admins
        attack.submit_random(attack.person(f"p{i}"), geo.small_commune, seed=i)
    admin = logged_in(nadia)
    release_aggregates(now=datetime(2027, 1, 1, 6, tzinfo=PARIS))
    export_before, analytics_before = vectors(export(admin)), analytics(admin)

    newcomer = attack.person("nouvelle")
    attack.submit_random(newcomer, geo.small_commune, seed=999)
    true = attack.truth(newcomer.pk)
    true_analytics = analytics_truth(newcomer.pk)

    best_export, best_analytics = 0, 0
    for month in (None, 2):
        if month is not None:
            release_aggregates(now=datetime(2027, month, 1, 6, tzinfo=PARIS))
        export_after = vectors(export(admin))
        new = list((export_after - export_before).elements())
        if new:  # the attacker's one guess: the first new vector
            best_export = max(best_export, attack.matches(guess_from_vector(new[0]), true))
        guessed = analytics_guess(analytics_before, analytics(admin))
        best_analytics = max(
            best_analytics,
            sum(1 for code, value in true_analytics.items() if guessed.get(code) == value),
        )
    print(f"\nadmin before/after: export best {best_export}/24, analytics best {best_analytics}/24")
    assert best_export < attack.RECOVERED_AT
    assert best_analytics < attack.RECOVERED_AT
