from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core import mail

from pratiques.campaigns.demo import load_demo_campaigns
from pratiques.campaigns.disclosure import campaign_disclosure
from pratiques.campaigns.report import anonymised_rows, campaign_report
from pratiques.campaigns.sending import campaign_messages_run
from pratiques.demo import load_demo_assessments
from pratiques.models import Campaign

pytestmark = pytest.mark.django_db


def test_demo_campaigns_one_closed_one_open_labelled_and_idempotent(geo) -> None:
    out = io.StringIO()
    load_demo_assessments(stdout=out)
    load_demo_campaigns(stdout=out)
    closed, opened = Campaign.objects.order_by("opens_on")
    assert closed.is_demo and opened.is_demo and "démonstration" in closed.title
    assert closed.is_closed and closed.version.label == "2024" and not opened.is_closed
    report = campaign_report(closed)
    # Only validations with the statistics consent are in the frozen dataset (issue 23).
    consenting = closed.invitees.filter(assessment__consent_statistics=True).count()
    assert 150 < consenting < 200 and len(report.snapshot.records) == consenting
    assert report.respondents.label == campaign_disclosure(consenting).label
    assert report.barycentre is not None
    # Issue 29: the anonymised export keeps ≥ 90 % of the records, every class ≥ 5.
    rows, summary = anonymised_rows(report.snapshot)
    classes = Counter(tuple(row[1:7]) for row in rows[1:])
    assert summary.kept == len(rows) - 1 >= 0.9 * summary.records
    assert min(classes.values()) >= 5
    print(f"\n{summary.statement}")
    assert opened.invitees.filter(assessment__status="submitted").count() == 90
    # Every demo e-mail counts as sent: nothing leaves for the demo addresses.
    assert campaign_messages_run() == 0 and mail.outbox == []
    load_demo_campaigns(stdout=out)
    assert Campaign.objects.count() == 2 and "déjà présentes" in out.getvalue()
