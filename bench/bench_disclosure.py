"""Disclosure control: k-anonymity of the export, a release, utility of the released shares.

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
    for row in release.aggregates.filter(status=disclosure.PUBLISHED):
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
    started = time.perf_counter()
    smallest, exported, left_out = export_smallest_class()
    took = time.perf_counter() - started
    total = exported + left_out
    print(
        f"export: {total} people, smallest class {smallest}, {left_out} left out "
        f"({100 * left_out / max(total, 1):.1f} %), {took:.1f} s"
    )
    started = time.perf_counter()
    release = release_aggregates(trigger="mesure")
    took = time.perf_counter() - started
    statuses = list(release.aggregates.values_list("status", flat=True))
    print(
        f"release: {release.people} people, {len(statuses)} scopes "
        f"({statuses.count('published')} published, {statuses.count('suppressed')} suppressed, "
        f"{statuses.count('below')} below k), {took:.1f} s"
    )
    for (low, high), (mae, cells) in utility(release).items():
        label = f"{low}–{high}" if high < 10**9 else f"≥ {low}"
        print(
            f"utility, groups of {label} people: mean absolute error {mae:.1f} points ({cells} shares)"
        )


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
