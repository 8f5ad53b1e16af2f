"""Issue 13 — one commune among its peers, 333 indicators (goal: page < 50 ms on 2 cores).

    .venv/bin/python bench/bench_peers.py [--runs 60] [--indicators 333]

Builds a throwaway database (``bench_peers`` on the configured server, dropped at the end) holding
the mini geography, 333 indicators, the values of Vincennes, its département, région and France
and one peer distribution per indicator (``tests/observatoire/peers_data.py``). Then, warm, N runs
each of: the page through the Django test client (full page and HTMX fragment), the query
function alone (``territory_for_indicators`` + ``territory_indicator_profile``) and the template
rendering alone. Prints p50 / p95 per figure, with its goal, and the load average.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DEBUG", "0")  # as in production: cached templates, no query log

import _setup  # noqa: F401  (Django on the configured database)
from _setup import percentile
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.fixtures import reference_fixtures

GOAL_MS = 50.0


def timed(function: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """p50 and p95 of the wall time, p50 of this process's CPU time (ms): on a loaded machine the
    CPU time is the steadier figure (it leaves out PostgreSQL's own work)."""
    for _ in range(5):  # warm: templates compiled, connection open, caches filled
        function()
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return percentile(times, 0.5), percentile(times, 0.95), percentile(cpu, 0.5)


def load() -> str:
    return "charge " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--indicators", type=int, default=333)
    parser.add_argument("--profile", action="store_true", help="cProfile of page, then stop")
    args = parser.parse_args()

    from config.typography import french_html
    from observatoire import views
    from observatoire.queries import territory_for_indicators, territory_indicator_profile
    from tests.observatoire.peers_data import peer_vintage

    # Not setup_test_environment(): its instrumented template rendering is no part of production.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    connection.settings_dict["TEST"]["NAME"] = "bench_peers"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("loaddata", *reference_fixtures(), verbosity=0)
        vintage = peer_vintage(args.indicators)
        territory = vintage.territory
        url = f"/territoires/{territory.level}/{territory.code}/indicateurs/"
        client = Client()
        htmx = {"HX-Request": "true"}

        def page() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        def fragment() -> None:
            response = client.get(url, headers=htmx)
            assert response.status_code == 200, response.status_code

        def query() -> object:
            found = territory_for_indicators(territory.level, territory.code)
            assert found is not None
            return territory_indicator_profile(found)

        found = territory_for_indicators(territory.level, territory.code)
        assert found is not None
        profile = territory_indicator_profile(found)

        def rows() -> dict[str, object]:
            table_rows = getattr(views, "_table_rows", None)  # absent before issue 13
            if table_rows:
                table_rows(profile)
            # The charts' data, while the page has them (another change replaces the charts).
            chart_data = getattr(views, "_chart_data", None)
            charts = chart_data(profile) if chart_data else []
            return {"territory": found, "territory_url": "", "profile": profile, "charts": charts}

        context = rows()
        html = render_to_string("observatoire/territory_indicators.html", context)

        def rendering() -> None:
            render_to_string("observatoire/territory_indicators.html", context)

        def typography() -> None:
            french_html(html)

        if args.profile:
            import cProfile
            import pstats

            page()
            profiler = cProfile.Profile()
            profiler.runcall(lambda: [page() for _ in range(5)])
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
            pstats.Stats(profiler).print_callers("dispatcher.py:219")
            return
        ranked = sum(
            1 for domain in profile.domains for line in domain.lines if line.rank is not None
        )
        with CaptureQueriesContext(connection) as queries:
            fragment()
        print(
            f"Une commune parmi ses pairs : {territory.name}, {profile.line_count} indicateurs "
            f"({ranked} rangs centiles), {len(queries)} requêtes par page — {load()}"
        )
        for name, function in [
            ("Page complète (client de test, à chaud)", page),
            ("Fragment HTMX (client de test, à chaud)", fragment),
            ("Fonction de lecture seule (territory_indicator_profile)", query),
            ("Mise en forme des lignes seule (textes des cellules, données des graphiques)", rows),
            ("Rendu du gabarit seul (page complète, contexte prêt)", rendering),
            ("Typographie française seule (intergiciel, page complète)", typography),
        ]:
            p50, p95, cpu = timed(function, args.runs)
            goal = f"objectif page < {GOAL_MS:.0f} ms" if "client" in name else "part de la page"
            print(
                f"{name} : p50 {p50:.1f} ms, p95 {p95:.1f} ms sur {args.runs} passages "
                f"(CPU du processus p50 {cpu:.1f} ms) "
                f"— {goal} — {load()}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
