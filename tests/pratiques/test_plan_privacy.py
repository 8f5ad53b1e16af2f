from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import User

from pratiques import services
from pratiques.models import DevelopmentPlan, PlanItem
from tests.conftest import logged_in, ok
from tests.pratiques.plan_helpers import with_plan

pytestmark = pytest.mark.django_db


def test_my_data_exports_the_plans(alice: User, geo) -> None:
    with_plan(alice, geo.vincennes, [0, 1])
    with_plan(alice, geo.vincennes, [2])
    client = logged_in(alice)
    assert (
        "Exporter mes plans de développement"
        in client.get("/pratiques/mes-donnees/").content.decode()
    )
    response = ok(client.get("/pratiques/mes-donnees/plans.csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 3


def test_deleting_my_data_removes_the_plans(alice: User, bob: User, geo) -> None:
    with_plan(alice, geo.vincennes, [0, 1])
    with_plan(bob, geo.vincennes, [0])
    services.user_data_delete(user=alice)
    assert not DevelopmentPlan.objects.filter(user=alice).exists()
    assert PlanItem.objects.filter(plan__user=bob).count() == 1


def test_deleting_the_account_removes_the_plans(alice: User, geo) -> None:
    with_plan(alice, geo.vincennes, [0, 1])
    alice.delete()
    assert not DevelopmentPlan.objects.exists() and not PlanItem.objects.exists()


APPS = ("config", "territoires", "pratiques", "observatoire", "accounts")


def test_no_aggregate_export_or_public_page_reads_the_plans() -> None:
    """A plan is personal data: only the plan's own modules (and the person's own pages that
    link to it) may read its tables; aggregates, releases, campaigns, curation exports, public
    pages and reports never do."""
    from pathlib import Path

    from django.conf import settings

    allowed = {
        "pratiques/models/__init__.py",
        "pratiques/models/plan.py",
        "pratiques/services.py",  # proposes the plan at submit, unshares on leaving
        "pratiques/views.py",  # the person's results page, their organisation's page
        "pratiques/views_fill.py",  # submit leads to the review
        "pratiques/demo.py",
        "pratiques/tasks.py",
        "pratiques/urls.py",
        "pratiques/management/commands/plan_reminders.py",
        "accounts/schedule.py",  # runs the plan reminders (plan_reminders_send) once a day
    }
    readers = []
    base = Path(settings.BASE_DIR)
    paths = [p for app in APPS for p in (base / app).rglob("*.py")]
    for path in paths:
        relative = path.relative_to(base).as_posix()
        if "/migrations/" in relative:
            continue
        if relative.startswith("pratiques/plan/") or relative in allowed:
            continue
        text = path.read_text(encoding="utf-8")
        if any(name in text for name in ("DevelopmentPlan", "PlanItem", "pratiques.plan")):
            readers.append(relative)
    assert readers == []
