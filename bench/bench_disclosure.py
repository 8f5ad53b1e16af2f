"""Disclosure control: a release timed (territories, peer groups, analytics, the export), the
k-anonymity of the export, utility of the released shares, and the results page (p50/p95) now
that its peers are read from the release.

Without argument: on the configured database as it is (after `setup_platform --demo`).
With N: first generates N more submitted assessments with bench_results.generate (COPY, in the
same transaction), then measures; everything written is rolled back at the end.
Usage: .venv/bin/python bench/bench_disclosure.py [N_ASSESSMENTS]
"""

# ruff: noqa: I001 — `_setup` must run (django.setup) before the Django imports.
from __future__ import annotations

import _setup  # noqa: F401  (django.setup)

import statistics
import sys
import time

from django.db import transaction

from _setup import Rollback
from pratiques import disclosure
from pratiques.aggregates import CARRYING_FIELDS, consenting_people, release_aggregates
from pratiques.curation.queries import export_smallest_class


BANDS = ((5, 9), (10, 49), (50, 10**9))


def utility(release) -> dict[tuple[int, int], tuple[float, int]]:
    """Mean absolute error (points of %) of the released shares against the exact ones, by
    size of the group (distinct people)."""
    people = {p.user_id: p for p in consenting_people()}
    by_band: dict[tuple[int, int], list[float]] = {band: [] for band in BANDS}
    rows = release.aggregates.filter(status=disclosure.PUBLISHED)
    for row in rows.exclude(scope__startswith="pairs:").exclude(scope__startswith="analyses:"):
        group = [people[u] for u in row.members if u in people]
        if not group:
            continue
        errors = next(by_band[b] for b in BANDS if b[0] <= len(group) <= b[1])
        for key, cells in row.figures.get("practices", {}).items():
            answers = [p.practices.get(key) for p in group]
            answered = [a for a in answers if a and a[0]]
            if not answered:
                continue
            exact = {
                name: 100 * sum(1 for a in answered if a[1] == value) / len(answered)
                for value, name in CARRYING_FIELDS.items()
            } | {"develop": 100 * sum(1 for a in answered if a[2]) / len(answered)}
            for name, value in cells.items():
                if value is not None:
                    errors.append(abs(value - exact[name]))
    return {
        band: ((statistics.fmean(errors) if errors else 0.0), len(errors))
        for band, errors in by_band.items()
    }


def measure() -> None:
    from pratiques.aggregates import latest_release

    last = latest_release()
    # Releases are at most monthly: the measured one happens the month after the last.
    now = disclosure.next_release_possible(last.released_at if last else None)
    if last is not None and now <= last.released_at:
        now = last.released_at
    started = time.perf_counter()
    release = release_aggregates(trigger="mesure", now=now)
    took = time.perf_counter() - started
    statuses = list(release.aggregates.values_list("status", flat=True))
    print(
        f"release: {release.people} people, {len(statuses)} scopes "
        f"({statuses.count('published')} published, {statuses.count('suppressed')} suppressed, "
        f"{statuses.count('below')} below k), {took:.1f} s"
    )
    started = time.perf_counter()
    smallest, exported, left_out = export_smallest_class()
    total = exported + left_out
    print(
        f"export (records of the release): {total} people, smallest class {smallest}, "
        f"{left_out} left out ({100 * left_out / max(total, 1):.1f} %), "
        f"{time.perf_counter() - started:.1f} s to read"
    )
    started = time.perf_counter()
    again = release_aggregates(trigger="mesure", now=disclosure.next_release_possible(now))
    same = (
        sum(
            1
            for row in again.aggregates.all()
            if row.figures == release.aggregates.get(scope=row.scope).figures
        )
        if release.aggregates.count() < 5000
        else None
    )
    print(
        f"second release, unchanged data: {time.perf_counter() - started:.1f} s"
        + (f", {same} of {again.aggregates.count()} scopes identical" if same is not None else "")
    )
    results_page()
    for (low, high), (mae, cells) in utility(release).items():
        label = f"{low}–{high}" if high < 10**9 else f"≥ {low}"
        print(
            f"utility, groups of {label} people: mean absolute error {mae:.1f} points ({cells} shares)"
        )


def results_page(requests: int = 50) -> None:
    """The results page of the last generated person, its peers read from the release."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.db import connection

    from _setup import percentile
    from pratiques.models import Assessment

    settings.DEBUG = False
    assessment = Assessment.objects.filter(status="submitted").order_by("-pk").first()
    if assessment is None:
        return
    client = Client()
    client.force_login(User.objects.get(pk=assessment.user_id))
    url = f"/pratiques/evaluations/{assessment.pk}/resultats/"
    for suffix in ("", f"?groupe=region-{assessment.region_id}"):
        timings = []
        for i in range(requests + 5):
            start = time.perf_counter()
            response = client.get(url + suffix)
            assert response.status_code == 200
            if i >= 5:
                timings.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url + suffix).content.decode()
        print(
            f"results page {suffix or '(tous)'}: p50 {percentile(timings, 0.5):.1f} ms · "
            f"p95 {percentile(timings, 0.95):.1f} ms · {len(queries)} queries · "
            f"quartiles {'shown' if 'Médiane' in html else 'absent'}"
        )
        # The three slowest queries of that last request: where a constant count still grows.
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    try:
        with transaction.atomic():
            if n:
                from bench_results import generate

                started = time.perf_counter()
                generate(n)
                print(f"generated {n} assessments in {time.perf_counter() - started:.1f} s")
            measure()
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
