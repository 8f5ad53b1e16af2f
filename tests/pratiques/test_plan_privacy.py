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
