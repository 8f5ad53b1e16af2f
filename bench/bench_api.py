"""Open-data API and map of France: server time per request.

    .venv/bin/python bench/bench_api.py

Loads the shipped geography into the development database if it is not there (as
bench_search.py does), then, through the Django test client (middleware, JSON rendering and
ETag included): the territory detail, its values and its indicator figures for 200 territories
of every level, and the map page by département and by région, uncached (both cache tiers
emptied before each request) and cached. Prints p50 / p95 and SQL queries per request.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from observatoire import views_map  # noqa: E402
from territoires.geography import geography_load  # noqa: E402
from territoires.models import Level, Territory  # noqa: E402

SAMPLE = 200
CPU: list[float] = []  # the process's CPU time of each request (steadier on a loaded machine)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def uncache() -> None:
    """Both tiers of the map's cache, and its rendered content."""
    cache.clear()
    views_map._LOCAL.clear()
    views_map._BODIES.clear()


def timed(client: Client, urls: list[str], *, uncached: bool = False) -> list[float]:
    times = []
    for url in urls:
        if uncached:
            uncache()
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        CPU.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def queries(client: Client, url: str, *, uncached: bool = False) -> int:
    if uncached:
        uncache()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    settings.API_ANON_RATE_PER_MINUTE = 10**9
    if Territory.objects.filter(level=Level.COMMUNE).count() < 30_000:
        geography_load()
    client = Client()
    rows = []
    for level in (Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT, Level.REGION):
        codes = list(
            Territory.objects.filter(level=level)
            .order_by("?")
            .values_list("code", flat=True)[:SAMPLE]
        )
        timed(client, [f"/api/v1/territoires/{level}/{codes[0]}/"])  # warm-up
        for name, suffix in (
            ("détail", ""),
            ("valeurs", "valeurs/"),
            ("indicateurs", "indicateurs/"),
        ):
            urls = [f"/api/v1/territoires/{level}/{c}/{suffix}" for c in codes]
            CPU.clear()
            times = timed(client, urls)
            rows.append((f"{name} {level}", times, CPU[:], queries(client, urls[0])))
    for scale in ("departement", "region"):
        for measure in ("valeur", "rang"):
            url = f"/observatoire/carte/?echelle={scale}&mesure={measure}"
            timed(client, [url])
            CPU.clear()
            times = timed(client, [url] * 20, uncached=True)
            count = queries(client, url, uncached=True)
            rows.append((f"carte {scale} {measure} non cachée", times, CPU[:], count))
            CPU.clear()
            times = timed(client, [url] * 50)
            count = queries(client, url)
            rows.append((f"carte {scale} {measure} cachée", times, CPU[:], count))
    print(f"charge moyenne : {os.getloadavg()[0]:.1f}")
    print(f"{'mesure':36} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'requêtes':>9}")
    for name, times, cpu, count in rows:
        p50, p95, cpu50 = percentile(times, 50), percentile(times, 95), percentile(cpu, 50)
        print(f"{name:36} {len(times):>4} {p50:>8.1f} {p95:>8.1f} {cpu50:>8.1f} {count:>9}")


if __name__ == "__main__":
    main()
