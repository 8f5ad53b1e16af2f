from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from pratiques.models import PlanItem
from pratiques.plan.reminders import plan_reminders_send
from tests.conftest import logged_in, ok
from tests.pratiques.plan_helpers import with_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def dated(alice: User, geo):
    _, plan = with_plan(alice, geo.vincennes, [0, 1, 2])
    today = timezone.localdate()
    soon, late, far = plan.items.order_by("practice_code")
    PlanItem.objects.filter(pk=soon.pk).update(due_on=today + dt.timedelta(days=5))
    PlanItem.objects.filter(pk=late.pk).update(due_on=today - dt.timedelta(days=1))
    PlanItem.objects.filter(pk=far.pk).update(due_on=today + dt.timedelta(days=60))
    return plan, today


def test_reminders_are_opt_in_and_sent_once_each(alice: User, dated) -> None:
    plan, today = dated
    assert plan_reminders_send(today=today) == 0  # not asked for
    ok(logged_in(alice).post(f"/pratiques/plan/{plan.pk}/reglages/", {"reminders": "on"}), 302)
    assert plan_reminders_send(today=today) == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects[0].startswith("Échéance le ") and subjects[1].startswith("Échéance passée")
    assert all(m.to == ["alice@exemple.fr"] for m in mail.outbox)
    assert plan_reminders_send(today=today) == 0  # never twice
    assert len(mail.outbox) == 2
    # 53 days later: the far one's « a week before », the first one's « missed »
    assert plan_reminders_send(today=today + dt.timedelta(days=53)) == 2


def test_stop_link_stops_them(alice: User, dated) -> None:
    plan, today = dated
    plan.reminders = True
    plan.save()
    assert plan_reminders_send(today=today) == 2
    stop = re.search(r"https?://\S+/plan/rappels/\S+/", mail.outbox[0].body).group(0)
    path = "/" + stop.split("/", 3)[3]
    anonymous = Client()
    page = ok(anonymous.get(path)).content.decode()  # a mail scanner's visit changes nothing
    assert "Ne plus recevoir ces rappels" in page
    plan.refresh_from_db()
    assert plan.reminders is True
    assert "vous ne recevrez plus" in ok(anonymous.post(path)).content.decode()
    plan.refresh_from_db()
    assert plan.reminders is False
    assert plan_reminders_send(today=today + dt.timedelta(days=53)) == 0
    assert len(mail.outbox) == 2
    assert anonymous.post("/pratiques/plan/rappels/faux/").status_code == 400
