"""Directory search and examples search with 5 000 profiles and 10 000 examples.

    .venv/bin/python bench/bench_directory.py

Builds, inside a transaction rolled back at the end, a synthetic geography (13 régions,
96 départements, 1 200 EPCI, 12 000 communes, 100 projects), 5 000 opt-in profiles acting on 1 to
3 territories of any level and 10 000 published examples (fragilities, practices, profiles,
segments, régions, impact, French text). Then requests the HTMX fragments through the Django test
client (server time, rendering included): the directory searched from random communes (with and
without a practice), the examples list without filter, with one or two filters, and with a French
text query. Prints p50 / p95 and the queries of each request, which must not depend on the number
of results shown.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import timedelta

from _setup import Rollback, percentile
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pratiques.directory.queries import published_practices
from pratiques.models import DirectoryProfile, Example, ExampleStatus
from pratiques.models.directory import CONSENT_VERSION
from territoires.models import (
    ActorProfile,
    Fragility,
    Level,
    ProjectMember,
    SizeSegment,
    Territory,
)
from territoires.text import normalize

PROFILES = 5_000
EXAMPLES = 10_000
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "150"))
WORDS = [
    "mobilité",
    "rurale",
    "covoiturage",
    "tiers-lieu",
    "numérique",
    "santé",
    "maison",
    "médicale",
    "emploi",
    "insertion",
    "jeunes",
    "alimentation",
    "circuits",
    "courts",
    "énergie",
    "rénovation",
    "logement",
    "vieillissement",
    "culture",
    "école",
    "entreprises",
    "association",
    "fondation",
    "coopération",
    "alliance",
    "commune",
    "intercommunalité",
    "transition",
    "biodiversité",
    "eau",
    "mécénat",
    "bénévolat",
    "inclusion",
    "handicap",
    "sport",
    "lien",
    "social",
]


def geography(rng: random.Random) -> list[Territory]:
    def bulk(rows: list[Territory]) -> list[Territory]:
        return Territory.objects.bulk_create(rows, batch_size=5_000)

    regions = bulk(
        [Territory(level=Level.REGION, code=f"R{i}", name=f"Région {i}", echelon="regional",
                   population=4_000_000) for i in range(13)]
    )  # fmt: skip
    deps = bulk(
        [Territory(level=Level.DEPARTEMENT, code=f"D{i}", name=f"Département {i}", echelon="local",
                   population=600_000, region=regions[i % 13]) for i in range(96)]
    )  # fmt: skip
    epcis = bulk(
        [Territory(level=Level.EPCI, code=f"E{i}", name=f"EPCI {i}", echelon="local",
                   population=50_000, region=deps[i % 96].region, departement=deps[i % 96])
         for i in range(1_200)]
    )  # fmt: skip
    communes = bulk(
        [Territory(level=Level.COMMUNE, code=f"C{i}", name=f"Commune {i}", echelon="local",
                   population=rng.choice([300, 1_500, 8_000, 30_000, 120_000]),
                   region=epcis[i % 1_200].region, departement=epcis[i % 1_200].departement,
                   epci=epcis[i % 1_200]) for i in range(12_000)]
    )  # fmt: skip
    projects = bulk(
        [Territory(level=Level.PROJECT, code=f"P{i}", name=f"Projet {i}", echelon="local")
         for i in range(100)]
    )  # fmt: skip
    ProjectMember.objects.bulk_create(
        [ProjectMember(project=projects[i % 100], member=epcis[i]) for i in range(0, 1_200, 3)]
    )
    return [*regions, *deps, *epcis, *communes, *projects]


def profiles(rng: random.Random, places: list[Territory]) -> None:
    now = timezone.now()
    practices = [p.key for p in published_practices()]
    actor_profiles = list(ActorProfile.objects.all())
    users = User.objects.bulk_create(
        [User(username=f"bench-annuaire-{i}", first_name="Bench") for i in range(PROFILES)],
        batch_size=5_000,
    )
    rows = DirectoryProfile.objects.bulk_create(
        [
            DirectoryProfile(
                user=user, shown_name=f"Personne {i}", structure="Structure",
                actor_profile=rng.choice(actor_profiles), shares=rng.sample(practices, 3),
                seeks=rng.sample(practices, 1), visibility="public" if i % 3 else "membres",
                consent_at=now, consent_version=CONSENT_VERSION, confirmed_at=now,
            )
            for i, user in enumerate(users)
        ],
        batch_size=5_000,
    )  # fmt: skip
    through = DirectoryProfile.territories.through
    through.objects.bulk_create(
        [
            through(directoryprofile_id=row.pk, territory_id=territory.pk)
            for row in rows
            for territory in rng.sample(places, rng.randint(1, 3))
        ],
        batch_size=10_000,
    )


SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "da",
    "de",
    "di",
    "do",
    "fa",
    "fe",
    "fi",
    "la",
    "le",
    "li",
    "lo",
    "ma",
    "me",
    "mi",
    "mo",
    "na",
    "ne",
    "ni",
    "ra",
    "re",
    "ri",
    "ro",
    "sa",
    "se",
    "si",
    "ta",
    "te",
    "ti",
    "va",
    "ve",
    "vi",
]


def vocabulary(rng: random.Random, size: int = 5_000) -> list[str]:
    """Pseudo-words: texts where a query word is as selective as in real prose."""
    return list(
        {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    )


def examples(rng: random.Random, places: list[Territory]) -> None:
    practices = [p.key for p in published_practices()]
    fragilities = list(Fragility.objects.values_list("code", flat=True))
    actor_profiles = list(ActorProfile.objects.values_list("code", flat=True))
    segments = list(SizeSegment.objects.values_list("code", flat=True))
    regions = [t.code for t in places if t.level == Level.REGION]
    now = timezone.now()
    filler = vocabulary(rng)
    rows = []
    for i in range(EXAMPLES):
        words = " ".join(
            rng.choice(WORDS) if rng.random() < 0.1 else rng.choice(filler) for _ in range(120)
        )
        title = f"Exemple {i} : {rng.choice(WORDS)} et {rng.choice(WORDS)}"
        rows.append(
            Example(
                title=title, summary=words[:200], body=words, status=ExampleStatus.PUBLISHED,
                published_at=now - timedelta(hours=i), fragilities=rng.sample(fragilities, rng.randint(1, 2)),
                practices=rng.sample(practices, rng.randint(1, 3)),
                actor_profiles=rng.sample(actor_profiles, 2), segment_codes=[rng.choice(segments)],
                region_codes=[rng.choice(regions)], impact=rng.choice(["performance", "innovation",
                "confiance", ""]), year=2015 + i % 10, search_text=normalize(f"{title} {words}"),
            )
        )  # fmt: skip
    Example.objects.bulk_create(rows, batch_size=2_000)


CPU: list[float] = []


def measure(client: Client, urls: list[str]) -> tuple[list[float], set[int]]:
    times: list[float] = []
    counts: set[int] = set()
    CPU.clear()
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            start, cpu = time.perf_counter(), time.process_time()
            response = client.get(url, headers={"HX-Request": "true"})
            times.append((time.perf_counter() - start) * 1000)
            CPU.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        counts.add(len(queries))
    return times, counts


def main() -> None:
    rng = random.Random(26)
    try:
        with transaction.atomic():
            start = time.perf_counter()
            places = geography(rng)
            profiles(rng, places)
            examples(rng, places)
            with connection.cursor() as cursor:
                for table in ("pratiques_directoryprofile", "pratiques_directoryprofile_territories",
                              "pratiques_example", "territoires_territory"):  # fmt: skip
                    cursor.execute(f"ANALYZE {table}")
                # What autovacuum does between writes: the full-text index's pending list merged.
                cursor.execute("SELECT gin_clean_pending_list('example_search_french')")
            print(f"données construites en {time.perf_counter() - start:.1f} s")
            communes = [t for t in places if t.level == Level.COMMUNE]
            practices = [str(p.key) for p in published_practices()]
            fragilities = list(Fragility.objects.values_list("code", flat=True))
            client = Client()
            scenarios = {
                "annuaire, une commune": [
                    f"/pratiques/annuaire/?territoire=commune:{rng.choice(communes).code}"
                    for _ in range(REQUESTS)
                ],
                "annuaire, commune + pratique": [
                    f"/pratiques/annuaire/?territoire=commune:{rng.choice(communes).code}"
                    f"&pratique={rng.choice(practices)}"
                    for _ in range(REQUESTS)
                ],
                "exemples, sans filtre": ["/pratiques/exemples/"] * (REQUESTS // 3),
                "exemples, 1 filtre": [
                    f"/pratiques/exemples/?fragilite={rng.choice(fragilities)}"
                    for _ in range(REQUESTS)
                ],
                "exemples, 2 filtres": [
                    f"/pratiques/exemples/?fragilite={rng.choice(fragilities)}"
                    f"&pratique={rng.choice(practices)}"
                    for _ in range(REQUESTS)
                ],
                "exemples, texte": [
                    f"/pratiques/exemples/?q={rng.choice(WORDS)}+{rng.choice(WORDS)}"
                    for _ in range(REQUESTS)
                ],
            }
            measure(client, next(iter(scenarios.values()))[:5])  # warm-up
            print(f"{PROFILES} fiches, {EXAMPLES} exemples, {REQUESTS} requêtes par scénario")
            for label, urls in scenarios.items():
                if os.environ.get("BENCH_PROFILE"):
                    with CaptureQueriesContext(connection) as captured:
                        start = time.perf_counter()
                        client.get(urls[0], headers={"HX-Request": "true"})
                        total = (time.perf_counter() - start) * 1000
                    sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
                    print(f"  {label}: {total:.0f} ms dont SQL {sql_ms:.0f} ms")
                    for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                        print(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:150]}")
                times, counts = measure(client, urls)
                print(
                    f"{label:32} p50 {statistics.median(times):6.1f} ms  "
                    f"p95 {percentile(times, 0.95):6.1f} ms  CPU Django p50 "
                    f"{statistics.median(CPU):5.1f} ms  requêtes {sorted(counts)}"
                )
            print(
                f"charge (load average 1 min) : {os.getloadavg()[0]:.1f} ; {os.cpu_count()} cœurs"
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
