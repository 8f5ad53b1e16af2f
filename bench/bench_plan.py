"""Development plan pages on the demo data: « mon plan », one autosave, the team page, the
review, the .ics and the CSV (p50 / p95 through Django's test client, queries counted). « CPU » is the Python
process's own CPU time per request (without the database's, nor the time spent waiting for a core
on a loaded machine).

On the configured database after `setup_platform --demo` (the demo catalyst's plans). With
MEMBERS: first gives that many demo members of the demo catalyst's organisation a shared plan of
3 items (the team page then reads them all). Everything written is rolled back at the end.
Usage: .venv/bin/python bench/bench_plan.py [MEMBERS] [REQUESTS]
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
from django.test import Client
from django.test.utils import CaptureQueriesContext

from _setup import Rollback, percentile
from pratiques.demo import DEMO_LOGIN
from pratiques.models import (
    Answer,
    Assessment,
    DevelopmentPlan,
    OrganisationMembership,
    PlanItem,
)
from pratiques.plan.queries import current_plan, previous_plan


def timed(label: str, repeat: int, request: Callable[[], object]) -> None:
    durations, cpu, queries = [], [], 0
    request()  # warm (templates, first session read)
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = request()
            durations.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        assert getattr(response, "status_code", 200) < 400, (label, response)
        queries = len(captured)
    print(
        f"{label:<44} p50 {statistics.median(durations):6.1f} ms   "
        f"p95 {percentile(durations, 0.95):6.1f} ms   CPU p50 {statistics.median(cpu):5.1f} ms   "
        f"{queries:>3} requêtes"
    )


def share_member_plans(organisation_id: int, members: int) -> int:
    """Shared plans of 3 items for demo members of the organisation (their latest assessment)."""
    users = list(
        OrganisationMembership.objects.filter(organisation_id=organisation_id)
        .exclude(user__username=DEMO_LOGIN)
        .values_list("user_id", flat=True)[:members]
    )
    made = 0
    for user_id in users:
        assessment = (
            Assessment.objects.filter(user_id=user_id, status="submitted")
            .order_by("-submitted_at")
            .first()
        )
        if assessment is None or hasattr(assessment, "plan"):
            continue
        plan = DevelopmentPlan.objects.create(
            assessment=assessment, user_id=user_id, shared_with_id=organisation_id, is_demo=True
        )
        answers = Answer.objects.filter(assessment=assessment).select_related("practice")[:3]
        PlanItem.objects.bulk_create(
            [
                PlanItem(
                    plan=plan,
                    practice_key=a.practice.key,
                    practice_code=a.practice.code,
                    practice_label=a.practice.label,
                    way=1 + (made % 3),
                )
                for a in answers
            ]
        )
        made += 1
    return made


def measure(members: int, repeat: int) -> None:
    demo = User.objects.get(username=DEMO_LOGIN)
    plan = current_plan(demo)
    if plan is None:
        raise SystemExit("Pas de plan de démonstration : lancer `setup_platform --demo`.")
    previous = previous_plan(plan)
    organisation_id = plan.shared_with_id
    if members and organisation_id:
        print(f"{share_member_plans(organisation_id, members)} plans partagés ajoutés")
    # The review page needs open items of the previous plan: reopen them (rolled back).
    DevelopmentPlan.objects.filter(pk=plan.pk).update(reviewed_at=None)
    if previous is not None:
        PlanItem.objects.filter(plan=previous).update(reviewed_at=None, status="en_cours")
    client = Client()
    client.force_login(demo)
    item = PlanItem.objects.filter(plan=plan).order_by("practice_code").first()
    post = {
        f"i{item.pk}-{k}": v
        for k, v in {
            "status": "en_cours",
            "way": "2",
            "target_frequency": "2",
            "target_involvement": "",
            "links": "",
            "partner": "Agence d'urbanisme",
            "starts_on": "",
            "due_on": "2099-06-30",
            "note": "",
        }.items()
    }
    n_items = PlanItem.objects.filter(plan=plan).count()
    n_shared = DevelopmentPlan.objects.filter(shared_with_id=organisation_id).count()
    print(f"plan de {n_items} éléments ; {n_shared} plans partagés avec l'organisation")
    timed("GET mon plan", repeat, lambda: client.get(f"/pratiques/plan/{plan.pk}/"))
    timed(
        "POST autosave d'un élément (HTMX)",
        repeat,
        lambda: client.post(
            f"/pratiques/plan/elements/{item.pk}/", post, headers={"HX-Request": "true"}
        ),
    )
    timed(
        "GET page de l'organisation (dialogue + plans)",
        repeat,
        lambda: client.get(f"/pratiques/organisations/{organisation_id}/"),
    )
    timed("GET bilan", repeat, lambda: client.get(f"/pratiques/plan/{plan.pk}/bilan/"))
    timed("GET plan.ics", repeat, lambda: client.get(f"/pratiques/plan/{plan.pk}/plan.ics"))
    timed("GET plan.csv", repeat, lambda: client.get(f"/pratiques/plan/{plan.pk}/plan.csv"))
    timed(
        "GET plan.pdf",
        max(3, repeat // 10),
        lambda: client.get(f"/pratiques/plan/{plan.pk}/plan.pdf"),
    )


def main() -> None:
    members = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    started = time.perf_counter()
    try:
        with transaction.atomic():
            measure(members, repeat)
            raise Rollback
    except Rollback:
        pass
    print(f"total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
