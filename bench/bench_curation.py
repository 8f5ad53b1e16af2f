"""Curation: copy a version, compare versions, answer distributions, anonymised export.

Without argument: on the configured database as it is (e.g. after `setup_platform --demo`).
With N: first generates N more submitted assessments with bench_results.generate (COPY, in the
same transaction), then measures; everything written is rolled back at the end.
Usage: .venv/bin/python bench/bench_curation.py [N_ASSESSMENTS] [REPEAT]
"""

# ruff: noqa: I001 — `_setup` must run (django.setup) before the Django imports.
from __future__ import annotations

import _setup  # noqa: F401  (django.setup)

import statistics
import sys
import time
from collections.abc import Callable

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from _setup import Rollback
from pratiques.curation.queries import (
    export_rows,
    latest_release,
    released_distributions,
    statistics_assessments,
    version_comparison,
)
from pratiques.queries import resources_for_practice_keys
from pratiques.curation.services import element_update, version_copy, version_publish
from pratiques.models import Answer, GridVersion, Practice


def timed(label: str, repeat: int, action: Callable[[], object]) -> None:
    durations, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            action()
            durations.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    print(f"{label:<58} p50 {statistics.median(durations):8.1f} ms   {queries:>4} requêtes")


def main() -> None:
    extra = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    try:
        with transaction.atomic():
            if extra:
                from bench_results import generate

                start = time.perf_counter()
                generate(extra)
                print(f"{extra} auto-évaluations générées en {time.perf_counter() - start:.1f} s")
            measure(repeat)
            raise Rollback
    except Rollback:
        pass


def measure(repeat: int) -> None:
    current = GridVersion.objects.get(status="published")
    n_assessments = statistics_assessments(current).count()
    n_answers = Answer.objects.filter(assessment__in=statistics_assessments()).count()
    print(f"Base : {n_assessments} auto-évaluations statistiques, {n_answers} réponses")
    admin = User.objects.filter(is_superuser=True).first() or User.objects.first()

    def copy_and_publish() -> None:
        try:
            with transaction.atomic():
                draft = version_copy(actor=admin, label="bench-2099")
                practice = Practice.objects.get(version=draft, code="1.1")
                element_update(actor=admin, element=practice, changes={"label": "Renommée"})
                version_publish(actor=admin, version=draft)
                raise Rollback
        except Rollback:
            pass

    timed("copie + renommage + publication (annulés)", repeat, copy_and_publish)
    old = GridVersion.objects.filter(slug="2023").first()
    if old:
        timed("comparaison 2023 → 2024", repeat, lambda: version_comparison(old, current))
    timed(
        "répartition des réponses par pratique (lue dans la diffusion)",
        repeat,
        lambda: released_distributions(current, latest_release()),
    )
    keys = list(Practice.objects.filter(version=current).values_list("key", flat=True))
    timed("ressources de 24 pratiques", repeat, lambda: resources_for_practice_keys(keys))
    rows = 0

    def export() -> None:
        nonlocal rows
        rows = sum(1 for _ in export_rows())

    timed("export anonymisé (toutes les lignes, sans écriture CSV)", max(1, repeat // 5), export)
    print(f"  lignes exportées : {rows}")


if __name__ == "__main__":
    main()
