"""Per-answer autosave: server time (p50/p95) and SQL queries per save.

Runs the real view through Django's test client (middleware, session, role check, upsert) inside
a transaction rolled back at the end. Usage: .venv/bin/python bench/bench_answer_save.py [N]
"""

from __future__ import annotations

import os
import random
import sys
import time

import _setup  # noqa: F401  (django.setup)
from _setup import Rollback, percentile
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.roles import Role
from pratiques import services
from pratiques.models import Practice
from territoires.models import ActorProfile, Engineering, Level, Territory


def main(n: int) -> None:
    settings.DEBUG = False
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    try:
        with transaction.atomic():
            territory = Territory.objects.filter(
                population__isnull=False
            ).first() or Territory.objects.create(
                level=Level.COMMUNE, code="99999", name="Banc d'essai", population=1000
            )
            user = User.objects.create(username="bench-answer-save")
            user.groups.add(Group.objects.get(name=Role.CATALYST.value))
            assessment = services.assessment_start(
                user=user,
                territory=territory,
                actor_profile=ActorProfile.objects.first(),
                engineerings=list(Engineering.objects.all()[:1]),
            )
            practices = list(
                Practice.objects.filter(version=assessment.version).values_list("pk", flat=True)
            )
            client = Client()
            client.force_login(user)
            rng = random.Random(1)
            timings, counts = [], []
            for i in range(n + 20):
                pk = rng.choice(practices)
                data = {
                    f"p{pk}-frequency": str(rng.randrange(4)),
                    f"p{pk}-involvement": str(rng.randrange(4)),
                }
                url = f"/pratiques/evaluations/{assessment.pk}/reponses/{pk}/"
                start = time.perf_counter()
                response = client.post(url, data, headers={"HX-Request": "true"})
                elapsed = time.perf_counter() - start
                assert response.status_code == 200, response.status_code
                if i >= 20:  # warm-up excluded
                    timings.append(elapsed * 1000)
                if i % 10 == 0:  # query count measured apart: capturing slows the timing
                    with CaptureQueriesContext(connection) as queries:
                        client.post(url, data, headers={"HX-Request": "true"})
                    counts.append(len(queries))
            print(f"answer save, {n} requests (HTMX autosave, one practice each)")
            print(
                f"  p50 {percentile(timings, 0.5):.2f} ms · p95 {percentile(timings, 0.95):.2f} ms · max {max(timings):.2f} ms"
            )
            print(f"  SQL queries per save: min {min(counts)}, max {max(counts)}")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
