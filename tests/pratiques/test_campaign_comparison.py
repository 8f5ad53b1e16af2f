from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pratiques.campaigns.report import campaign_report
from pratiques.campaigns.services import campaign_close, grid_outline
from pratiques.models import CampaignSnapshot, GridVersion, Invitee
from tests.pratiques.campaign_helpers import make_campaign, respond, with_population

pytestmark = pytest.mark.django_db


def _closed_campaign(title: str, frequency: int, *, days_ago: int, start: int = 0) -> object:
    today = timezone.localdate()
    campaign = make_campaign(
        title,
        opens_on=today - timedelta(days=days_ago + 30),
        closes_on=today - timedelta(days=days_ago) if days_ago else today + timedelta(days=5),
    )
    with_population(campaign, 6)
    if days_ago:  # answers came in while it was open
        type(campaign).objects.filter(pk=campaign.pk).update(closes_on=today + timedelta(days=1))
    for person in Invitee.objects.filter(campaign=campaign):
        respond(person, frequency, frequency)
    campaign_close(campaign_id=campaign.pk)
    if days_ago:
        type(campaign).objects.filter(pk=campaign.pk).update(
            closes_on=today - timedelta(days=days_ago)
        )
    campaign.refresh_from_db()
    return campaign


def test_two_campaigns_on_the_same_grid_compare_practices_and_situations(geo) -> None:
    before = _closed_campaign("Étude 2025", 1, days_ago=200)
    before.refresh_from_db()
    now = _closed_campaign("Étude 2026", 3, days_ago=0)
    comparison = campaign_report(now).comparison
    assert comparison is not None and comparison.previous == before
    assert not comparison.situations_only
    assert len(comparison.practices) == 24 and len(comparison.situations) == 8
    _code, _label, old, new = comparison.practices[0]
    assert old == pytest.approx(100 / 3) and new == pytest.approx(100.0)
    assert "24 pratiques et 8 situations dont la clé stable persiste" in comparison.statement
    # The first campaign has nothing to compare with.
    assert campaign_report(before).comparison is None


def test_after_a_campaign_on_the_2023_grid_only_situations_compare(geo) -> None:
    old_grid = GridVersion.objects.get(label="2023")
    today = timezone.localdate()
    previous = make_campaign(
        "Étude 2023",
        version=old_grid,
        opens_on=today - timedelta(days=400),
        closes_on=today - timedelta(days=370),
    )
    outline = grid_outline(old_grid.pk)
    CampaignSnapshot.objects.create(
        campaign=previous,
        taken_at=timezone.now() - timedelta(days=370),
        invited=10,
        grid=outline,
        records=[
            {
                "region": "",
                "segment": "",
                "profile": "",
                "engineerings": [],
                "year": 2023,
                "answers": {},
                "situations": {s["key"]: 40.0 for s in outline["situations"]},
                "levers": None,
            }
            for _ in range(6)
        ],
    )
    previous.closed_at = timezone.now() - timedelta(days=370)
    previous.save()
    now = _closed_campaign("Étude 2026", 3, days_ago=0)
    comparison = campaign_report(now).comparison
    assert comparison.previous == previous and comparison.situations_only
    assert comparison.practices == [] and len(comparison.situations) == 8
    assert comparison.situations[0][2:] == (40.0, 100.0)
    assert "situations dont la clé stable persiste, seulement" in comparison.statement
