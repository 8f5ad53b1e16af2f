"""Lighthouse 12, mobile preset, on the production stack: the pages with charts (issue 13).

    .venv/bin/python manage.py setup_platform --demo        # once
    npm install --prefix .cache/lighthouse lighthouse@12     # once (git-ignored folder)
    .venv/bin/python bench/lighthouse.py [--runs 3] [--port 8713]

Starts gunicorn with DJANGO_ENV=production on the demo data (as bench/load/stack.py does), logs
in the demo catalyst through a session made directly (sent as a Cookie header), requests each page
once (chart images exported and cached, as for any visitor after the first), then runs Lighthouse
(mobile preset: simulated slow 4G, 4× CPU slowdown) on home (anchor), the territory page (its
indicators arrive by HTMX), the indicators page and the assessment results page. One line per page
and figure with its goal; with --runs N, the median run by performance score.
Results: docs/benchmarks.md, « Issue 13 — graphiques sur mobile ».
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "load"))
from stack import ROOT, Gunicorn, collectstatic, django_setup, production_env

LIGHTHOUSE = ROOT / ".cache" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
TERRITORY = ("commune", "94080")  # Vincennes: 32 demo indicators, several charts
GOALS = {"performance": "≥ 95", "tbt": "< 200 ms", "lcp": "(information)", "accessibility": "100"}


def catalyst_page() -> tuple[str, str, str]:
    """(results path, cookie name, session key) of the demo catalyst's latest validated
    assessment."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    from pratiques.models import Assessment

    user = User.objects.get(username="catalyseur-demo")
    assessment = (
        Assessment.objects.filter(user=user, submitted_at__isnull=False)
        .order_by("-submitted_at")
        .first()
    )
    if assessment is None:
        sys.exit("Pas d’auto-évaluation validée pour catalyseur-demo : setup_platform --demo ?")
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    path = f"/pratiques/evaluations/{assessment.pk}/resultats/"
    return path, settings.SESSION_COOKIE_NAME, str(store.session_key)


def lighthouse(url: str, headers: dict[str, str], out: Path) -> dict[str, float]:
    chrome = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    for attempt in range(3):  # a loaded machine sometimes loses the trace (NO_NAVSTART)
        done = subprocess.run(
            [
                "node",
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out}",
                "--only-categories=performance,accessibility",
                "--chrome-flags=--headless=new --no-sandbox",
                f"--extra-headers={json.dumps(headers)}",
            ],
            env={**os.environ, "CHROME_PATH": chrome},
        )
        if done.returncode == 0:
            break
        print(f"Lighthouse a échoué (essai {attempt + 1}), nouvel essai", file=sys.stderr)
    else:
        raise RuntimeError(f"Lighthouse a échoué trois fois sur {url}")
    report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "performance": round(100 * report["categories"]["performance"]["score"]),
        "tbt": audits["total-blocking-time"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "accessibility": round(100 * report["categories"]["accessibility"]["score"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median by score)")
    parser.add_argument("--port", type=int, default=8713)
    parser.add_argument("--pages", default="", help="only these pages (comma-separated names)")
    parser.add_argument("--reports", type=Path, help="keep each Lighthouse JSON report here")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse absent : npm install --prefix .cache/lighthouse lighthouse@12")

    env = production_env()
    collectstatic(env)
    django_setup()
    results_path, cookie_name, session = catalyst_page()
    level, code = TERRITORY
    pages = [
        ("accueil", "/", {}),
        ("territoire", f"/territoires/{level}/{code}/", {}),
        ("indicateurs", f"/territoires/{level}/{code}/indicateurs/", {}),
        ("résultats", results_path, {"Cookie": f"{cookie_name}={session}"}),
    ]
    if args.pages:
        pages = [page for page in pages if page[0] in args.pages.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        keep = args.reports or Path(tmp)
        keep.mkdir(parents=True, exist_ok=True)
        server = Gunicorn(env, args.port, workers=2, log=Path(tmp) / "access.log")
        try:
            for _, path, headers in pages:  # first visit: chart images exported and cached
                request = urllib.request.Request(server.url + path, headers=headers)
                with urllib.request.urlopen(request, timeout=120) as response:
                    assert response.status == 200, path
            load = " ".join(f"{value:.2f}" for value in os.getloadavg())
            print(
                f"Lighthouse 12, preset mobile, réglages de production ; charge (1, 5, 15 min) {load}"
            )
            for name, path, headers in pages:
                runs = [
                    lighthouse(server.url + path, headers, keep / f"{name}-{i}.json")
                    for i in range(args.runs)
                ]
                runs.sort(key=lambda r: r["performance"])
                best = runs[len(runs) // 2]
                spread = ""
                if len(runs) > 1:
                    tbts = [r["tbt"] for r in runs]
                    spread = f" (TBT min {min(tbts):.0f}, médiane {statistics.median(tbts):.0f})"
                print(
                    f"{name:12} performance    {best['performance']:>6}     objectif {GOALS['performance']}"
                )
                print(
                    f"{name:12} TBT            {best['tbt']:>6.0f} ms  objectif {GOALS['tbt']}{spread}"
                )
                print(f"{name:12} LCP            {best['lcp']:>6.0f} ms  {GOALS['lcp']}")
                print(
                    f"{name:12} accessibilité  {best['accessibility']:>6}     objectif {GOALS['accessibility']}"
                )
            print(f"charge après les mesures : {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
