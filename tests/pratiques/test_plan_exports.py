from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from pratiques.models import PlanItem
from tests.conftest import logged_in, ok
from tests.pratiques.plan_helpers import with_plan

pytestmark = pytest.mark.django_db


def dated_plan(user: User, geo) -> tuple:
    _, plan = with_plan(user, geo.vincennes, [0, 1, 2, 3])
    today = timezone.localdate()
    dates = [today + dt.timedelta(days=d) for d in (10, 40, 90)]
    items = list(plan.items.order_by("practice_code"))
    for item, due in zip(items, dates, strict=False):
        PlanItem.objects.filter(pk=item.pk).update(due_on=due, partner="Agence ; =HYPERLINK()")
    return plan, dates


def test_ics_has_one_event_per_due_date(alice: User, charlie: User, geo) -> None:
    plan, dates = dated_plan(alice, geo)
    response = ok(logged_in(alice).get(f"/pratiques/plan/{plan.pk}/plan.ics"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 3  # the fourth item has no due date
    assert sorted(e.decoded("dtstart") for e in events) == dates
    assert all(str(e["summary"]).startswith("Échéance : ") for e in events)
    assert len({str(e["uid"]) for e in events}) == 3
    assert logged_in(charlie).get(f"/pratiques/plan/{plan.pk}/plan.ics").status_code == 404


def test_csv_is_safe_for_spreadsheets(alice: User, geo) -> None:
    plan, _ = dated_plan(alice, geo)
    response = ok(logged_in(alice).get(f"/pratiques/plan/{plan.pk}/plan.csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["plan", "auto_evaluation_validee_le", "code_pratique", "pratique"]
    assert len(rows) == 5
    assert "'=HYPERLINK()" not in "".join(rows[1])  # a cell starting with text is left as is
    assert rows[1][12] == "À faire"


def test_pdf_is_tagged(alice: User, geo) -> None:
    plan, _ = dated_plan(alice, geo)
    response = ok(logged_in(alice).get(f"/pratiques/plan/{plan.pk}/plan.pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Mon plan de développement" in text and "À faire (4)" in text
