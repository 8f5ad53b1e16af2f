from __future__ import annotations

import io

import pytest

from config.roles import Role
from pratiques.demo import load_demo_assessments
from pratiques.models import DevelopmentPlan, PlanItem, PlanStatus
from tests.conftest import logged_in, make_user

pytestmark = pytest.mark.django_db


def test_the_demo_catalyst_has_a_plan_in_every_status(geo) -> None:
    demo = make_user("catalyseur-demo", Role.CATALYST)
    load_demo_assessments(stdout=io.StringIO())
    plans = list(DevelopmentPlan.objects.filter(user=demo).order_by("created_at"))
    assert len(plans) == 2 and all(p.is_demo for p in plans)
    current = plans[-1]
    assert {i.status for i in current.items.all()} == set(PlanStatus.values)
    assert PlanItem.objects.filter(plan=current, carried_from__plan=plans[0]).exists()
    html = logged_in(demo).get(f"/pratiques/plan/{current.pk}/").content.decode()
    assert "Données de démonstration" in html and "En retard" in html
    team = logged_in(demo).get(current.shared_with.get_absolute_url()).content.decode()
    assert "1 membre partage son plan" in team
    assert "Note personnelle de démonstration" not in team
    # no other demo account has a plan: plans never make figures
    assert DevelopmentPlan.objects.exclude(user=demo).count() == 0
