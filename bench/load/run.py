"""Load on the production stack: 200 catalysts autosaving for 60 s + officials searching and
downloading reports, against gunicorn with DJANGO_ENV=production; then counts in the database.

    .venv/bin/pip install -r bench/load/requirements.txt
    .venv/bin/python manage.py setup_platform --demo        # once
    .venv/bin/python bench/load/run.py [--catalysts 200] [--officials 20] [--seconds 60]

Prints requests/s and p50/p95/p99 per request type, 5xx, lost answers and duplicates
(results: docs/benchmarks.md). The bench users and their drafts stay (prefix « bench- »);
each run recreates them.
"""

from __future__ import annotations

import argparse
import csv
import json
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import BIN, ROOT, Gunicorn, collectstatic, django_setup, production_env

SEARCHES = ["vinc", "saint", "st etienne", "lyon", "mars", "bord", "94080", "paris", "mont",
            "ville", "la roche", "nantes", "42218", "aix", "besan"]  # fmt: skip
REPORT_TERRITORIES = [("commune", "94080"), ("commune", "42218"), ("departement", "94")]


def prepare(catalysts: int, officials: int, origin: str, *, warm_reports: bool = True) -> dict:
    """Bench users, one draft each, sessions made directly (a login is one PBKDF2 each)."""
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from config.roles import Role
    from observatoire.report.cache import get_report
    from pratiques import services
    from pratiques.models import Practice
    from territoires.models import ActorProfile, Engineering, Territory

    territories = list(Territory.objects.filter(level="commune").order_by("-population")[:50])
    if not territories:
        sys.exit("Base vide : lancez d’abord manage.py setup_platform --demo.")
    version = services.current_version()
    practices = list(Practice.objects.filter(version=version).values_list("pk", flat=True))
    profile = ActorProfile.objects.first()
    engineering = list(Engineering.objects.all()[:1])

    User.objects.filter(username__startswith="bench-").delete()
    plan: dict = {"csrf": secrets.token_hex(16), "origin": origin, "catalysts": [],
                  "officials": [], "searches": SEARCHES}  # fmt: skip

    def session_for(user: User) -> str:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    with transaction.atomic():
        group = Group.objects.get(name=Role.CATALYST.value)
        for i in range(catalysts):
            user = User(username=f"bench-cat-{i:03d}")
            user.set_unusable_password()
            user.save()
            user.groups.add(group)
            assessment = services.assessment_start(
                user=user,
                territory=territories[i % len(territories)],
                actor_profile=profile,
                engineerings=engineering,
            )
            plan["catalysts"].append(
                {"session": session_for(user), "assessment": assessment.pk, "practices": practices}
            )
        group = Group.objects.get(name=Role.OFFICIAL.value)
        for i in range(officials):
            user = User(username=f"bench-elu-{i:02d}")
            user.set_unusable_password()
            user.save()
            user.groups.add(group)
            plan["officials"].append({"session": session_for(user)})
    plan["territories"] = [f"/territoires/{t.level}/{t.code}/" for t in territories[:20]]
    plan["reports"] = []
    for level, code in REPORT_TERRITORIES if warm_reports else []:
        territory = Territory.objects.get(level=level, code=code)
        get_report(territory)  # warmed: the load measures downloads, the batch renders them
        plan["reports"].append(f"/territoires/{level}/{code}/rapport.pdf")
    return plan


def warm_up(url: str, plan: dict, workers: int) -> None:
    """Each worker loads its templates and connection before the measure (not counted)."""
    import urllib.request

    me = plan["catalysts"][0]
    pages = [f"/pratiques/evaluations/{me['assessment']}/", plan["territories"][0],
             "/territoires/recherche/?q=vinc"]  # fmt: skip
    for _ in range(4 * workers):
        for page in pages:
            request = urllib.request.Request(
                url + page,
                headers={"Cookie": f"sessionid={me['session']}", "X-Forwarded-Proto": "https"},
            )
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()


def read_stats(prefix: str) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv") as f:
        return list(csv.DictReader(f))


def verify(saves: dict[str, list], catalysts: int) -> dict[str, int]:
    """Every acknowledged save is in the database with its last value; no duplicate row."""
    from django.db import connection

    from pratiques.models import Answer

    rows = {
        f"{a.assessment_id}:{a.practice_id}": a
        for a in Answer.objects.filter(assessment__user__username__startswith="bench-cat-")
    }
    lost = uncertain = 0
    for key, history in saves.items():
        acked = [i for i, (_, ok) in enumerate(history) if ok]
        if not acked:
            continue
        last = acked[-1]
        answer = rows.get(key)
        allowed = [value for value, _ in history[last:]]  # a later unanswered save may have landed
        uncertain += len(allowed) > 1
        if answer is None or not any(matches(answer, value) for value in allowed):
            lost += 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM pratiques_answer GROUP BY assessment_id, "
            "practice_id HAVING count(*) > 1) d"
        )
        (duplicates,) = cursor.fetchone()
    acknowledged_keys = sum(any(ok for _, ok in h) for h in saves.values())
    return {
        "saves_sent": sum(len(h) for h in saves.values()),
        "saves_acknowledged": sum(ok for h in saves.values() for _, ok in h),
        "answers_acknowledged": acknowledged_keys,
        "answers_in_database": len(rows),
        "lost": lost,
        "duplicates": duplicates,
        "uncertain": uncertain,
    }


def matches(answer: object, value: dict) -> bool:
    return (
        answer.not_concerned == value["nc"]
        and answer.frequency == value["frequency"]
        and answer.involvement == value["involvement"]
        and answer.carrying == value["carrying"]
        and answer.wants_to_develop == value["develop"]
        and answer.comment == value["comment"]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--catalysts", type=int, default=200)
    parser.add_argument("--officials", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    env = production_env()
    django_setup()
    out = Path(tempfile.mkdtemp(prefix="charge-"))
    started = time.perf_counter()
    collectstatic(env)
    plan = prepare(args.catalysts, args.officials, f"https://127.0.0.1:{args.port}")
    (out / "plan.json").write_text(json.dumps(plan))
    print(f"Préparation (collectstatic, {args.catalysts} brouillons, rapports) : "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    server = Gunicorn(env, args.port, args.workers, out / "access.log")
    warm_up(server.url, plan, args.workers)
    try:
        users = args.catalysts + args.officials
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                "50",
                "--run-time",
                f"{args.seconds}s",
                "--host",
                server.url,
                "--csv",
                str(out / "charge"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **env,
                "LOAD_PLAN": str(out / "plan.json"),
                "LOAD_ACKS": str(out / "acks.json"),
                "LOAD_CATALYSTS": str(args.catalysts),
                "LOAD_OFFICIALS": str(args.officials),
            },
            check=False,
        )
    finally:
        server.stop()
    statuses = server.status_counts()
    counts = verify(json.loads((out / "acks.json").read_text()), args.catalysts)
    print(f"\n{args.catalysts} catalyseurs + {args.officials} élus, {args.seconds} s, "
          f"gunicorn {args.workers} workers, DJANGO_ENV=production\n")  # fmt: skip
    print("| requête | nombre | échecs | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in read_stats(str(out / "charge")):
        print(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )
    fivexx = sum(n for status, n in statuses.items() if status >= 500)
    print(f"\nStatuts HTTP (journal gunicorn) : {dict(sorted(statuses.items()))} ; 5xx = {fivexx}")
    print("Base après la charge : " + ", ".join(f"{k} = {v}" for k, v in counts.items()))
    print(f"Fichiers : {out}")


if __name__ == "__main__":
    main()
