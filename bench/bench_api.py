"""Open-data API and map of France: server time per request.

    .venv/bin/python bench/bench_api.py

Loads the shipped geography into the development database if it is not there (as
bench_search.py does), then, through the Django test client (middleware, JSON rendering and
ETag included): the territory detail and its indicator figures for 200 territories of every
level, and the map page by département and by région. Prints p50 / p95 per request.
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
from django.test import Client  # noqa: E402

from territoires.geography import geography_load  # noqa: E402
from territoires.models import Level, Territory  # noqa: E402

SAMPLE = 200


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(client: Client, urls: list[str]) -> list[float]:
    times = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


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
        for name, suffix in (("détail", ""), ("indicateurs", "indicateurs/")):
            times = timed(client, [f"/api/v1/territoires/{level}/{c}/{suffix}" for c in codes])
            rows.append((f"{name} {level}", len(times), times))
    for scale in ("departement", "region"):
        url = f"/observatoire/carte/?echelle={scale}&mesure=valeur"
        timed(client, [url])
        times = timed(client, [url] * 20)
        rows.append((f"carte {scale}", len(times), times))
    print(f"{'mesure':28} {'n':>4} {'p50 ms':>8} {'p95 ms':>8}")
    for name, n, times in rows:
        print(f"{name:28} {n:>4} {percentile(times, 50):>8.1f} {percentile(times, 95):>8.1f}")


if __name__ == "__main__":
    main()
