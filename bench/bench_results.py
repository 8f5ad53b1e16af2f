"""Results page with peer comparisons over 100 000 submitted assessments (2.4 M answers).

Generates the assessments with COPY inside one transaction (rolled back at the end: nothing is
kept, and the deferred foreign-key checks are never paid), rebuilds the peer histograms, then
times the results page (p50/p95) and counts its queries for several peer groups.
Usage: .venv/bin/python bench/bench_results.py [N_ASSESSMENTS] [N_REQUESTS]
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import UTC, datetime

import _setup  # noqa: F401  (django.setup)
from _setup import Rollback, percentile
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.roles import Role
from pratiques import scoring, services
from pratiques.models import Assessment, GridVersion, Practice, Situation
from territoires.models import ActorProfile, Engineering, Level, SizeSegment, Territory


def territories() -> list[Territory]:
    found = list(Territory.objects.filter(level=Level.COMMUNE, population__isnull=False)[:2000])
    if found:
        return found
    region = Territory.objects.create(
        level=Level.REGION, code="99", name="Région d'essai", population=10**6
    )
    return [
        Territory.objects.create(
            level=Level.COMMUNE,
            code=f"99{i:03d}",
            name=f"Commune d'essai {i}",
            population=p,
            region=region,
        )
        for i, p in enumerate([500, 5_000, 30_000, 120_000])
    ]


def generate(n: int) -> Assessment:
    rng = random.Random(7)
    version = GridVersion.objects.get(status="published")
    practices = list(Practice.objects.filter(version=version).select_related("situation__axis"))
    situations = list(Situation.objects.filter(version=version).select_related("axis"))
    places = territories()
    segments = list(SizeSegment.objects.all())
    profiles = list(ActorProfile.objects.values_list("pk", flat=True))
    engineerings = list(Engineering.objects.values_list("pk", flat=True))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    group = Group.objects.get(name=Role.CATALYST.value)
    raw = connection.connection  # psycopg 3, same transaction
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM auth_user")
        first_user = cursor.fetchone()[0] + 1
        cursor.execute("SELECT coalesce(max(id), 0) FROM pratiques_assessment")
        first_assessment = cursor.fetchone()[0] + 1
    started = time.perf_counter()
    with raw.cursor() as cur:
        with cur.copy(
            "COPY auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined) FROM STDIN"
        ) as copy:
            for i in range(n):
                copy.write_row(
                    (
                        first_user + i,
                        "!",
                        False,
                        f"bench-{first_user + i}",
                        "",
                        "",
                        "",
                        False,
                        True,
                        now,
                    )
                )
        with cur.copy("COPY auth_user_groups (user_id, group_id) FROM STDIN") as copy:
            for i in range(n):
                copy.write_row((first_user + i, group.pk))
        assessment_rows, engineering_rows, answer_rows, score_rows = [], [], [], []
        sit_of = {p.pk: (p.situation.key, p.situation.axis.key) for p in practices}
        axis_of_sit = {s.key: s.axis.key for s in situations}
        for i in range(n):
            aid = first_assessment + i
            place = places[i % len(places)]
            segment = SizeSegment.for_population(place.population, segments)
            region = services.region_of(place)
            assessment_rows.append(
                (
                    aid,
                    first_user + i,
                    version.pk,
                    "submitted",
                    place.pk,
                    rng.choice(profiles),
                    segment.pk if segment else None,
                    region.pk if region else None,
                    rng.random() < 0.9,
                    False,
                    False,
                    now,
                    now,
                    now,
                )
            )
            for e in rng.sample(engineerings, rng.randint(1, len(engineerings))):
                engineering_rows.append((aid, e))
            level = rng.uniform(0.5, 2.5)
            by_sit: dict = {}
            for p in practices:
                if rng.random() < 0.05:
                    answer_rows.append((aid, p.pk, True, None, None, None, False, "", now))
                    continue
                f = max(0, min(3, round(level + rng.gauss(0, 0.8))))
                inv = max(0, min(3, round(level + rng.gauss(0, 0.8))))
                answer_rows.append(
                    (aid, p.pk, False, f, inv, rng.randint(1, 3), rng.random() < 0.15, "", now)
                )
                by_sit.setdefault(sit_of[p.pk][0], []).append(scoring.practice_score(f, inv))
            by_axis: dict = {}
            for key, values in by_sit.items():
                score = scoring.mean_or_none(values)
                score_rows.append((aid, "situation", key, score, len(values)))
                by_axis.setdefault(axis_of_sit[key], []).append(score)
            for key, values in by_axis.items():
                score_rows.append((aid, "axis", key, scoring.mean_or_none(values), len(values)))
        with cur.copy(
            "COPY pratiques_assessment (id, user_id, version_id, status, territory_id, actor_profile_id, size_segment_id, region_id, consent_statistics, shared_with_organisation, is_demo, created_at, updated_at, submitted_at) FROM STDIN"
        ) as copy:
            for row in assessment_rows:
                copy.write_row(row)
        with cur.copy(
            "COPY pratiques_assessment_engineerings (assessment_id, engineering_id) FROM STDIN"
        ) as copy:
            for row in engineering_rows:
                copy.write_row(row)
        with cur.copy(
            "COPY pratiques_answer (assessment_id, practice_id, not_concerned, frequency, involvement, carrying, wants_to_develop, comment, updated_at) FROM STDIN"
        ) as copy:
            for row in answer_rows:
                copy.write_row(row)
        with cur.copy(
            "COPY pratiques_assessmentscore (assessment_id, kind, element_key, score, answered) FROM STDIN"
        ) as copy:
            for row in score_rows:
                copy.write_row(row)
    with connection.cursor() as cursor:  # who counts: the generated people are established
        cursor.execute(
            "INSERT INTO pratiques_vouch (user_id, source, created_at) "
            "SELECT id, 'demo', now() FROM auth_user WHERE id >= %s",
            [first_user],
        )
    loaded = time.perf_counter()
    buckets = services.peer_buckets_rebuild(version=version)
    rebuilt = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"generated {n} assessments, {len(answer_rows)} answers, {len(score_rows)} scores: {loaded - started:.1f} s"
    )
    print(f"peer histograms rebuilt in {rebuilt - loaded:.2f} s ({buckets} cells)")
    return Assessment.objects.get(pk=first_assessment + n - 1)


def main(n: int, requests: int) -> None:
    settings.DEBUG = False
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    try:
        with transaction.atomic():
            assessment = generate(n)
            client = Client()
            client.force_login(User.objects.get(pk=assessment.user_id))
            url = f"/pratiques/evaluations/{assessment.pk}/resultats/"
            groups = [
                "",
                f"?groupe=region-{assessment.region_id}",
                f"?groupe=profile-{assessment.actor_profile_id}",
            ]
            for suffix in groups:
                timings = []
                for i in range(requests + 5):
                    start = time.perf_counter()
                    response = client.get(url + suffix)
                    elapsed = time.perf_counter() - start
                    assert response.status_code == 200
                    if i >= 5:
                        timings.append(elapsed * 1000)
                with CaptureQueriesContext(connection) as queries:
                    html = client.get(url + suffix).content.decode()
                assert "Médiane" in html
                print(
                    f"results page {suffix or '(tous)'}: p50 {percentile(timings, 0.5):.1f} ms · "
                    f"p95 {percentile(timings, 0.95):.1f} ms · {len(queries)} queries"
                )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 50,
    )
