"""A campaign is edited until it opens, deleted while empty, and created on the published grid."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from pratiques.models import Campaign, GridStatus, GridVersion
from tests.conftest import logged_in, ok
from tests.pratiques.campaign_helpers import make_campaign, with_population
from tests.pratiques.curation_helpers import copy_current

pytestmark = pytest.mark.django_db


def form_data(campaign: Campaign, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": campaign.title,
        "version": campaign.version_id,
        "opens_on": campaign.opens_on.isoformat(),
        "closes_on": campaign.closes_on.isoformat(),
        "invitation_text": campaign.invitation_text,
        "reminder_text": campaign.reminder_text,
        "reminder_days": campaign.reminder_days,
    }
    data.update(changes)
    return data


def later() -> Campaign:
    today = timezone.localdate()
    return make_campaign(opens_on=today + timedelta(days=3), closes_on=today + timedelta(days=30))


def test_it_is_edited_until_it_opens(nadia: User, geo) -> None:
    campaign = later()
    client = logged_in(nadia)
    assert "Modifier la campagne" in ok(client.get(campaign.get_absolute_url())).text
    assert ok(client.get(f"/pratiques/campagnes/{campaign.pk}/modifier/"))
    response = client.post(
        f"/pratiques/campagnes/{campaign.pk}/modifier/", form_data(campaign, title="Étude 2027")
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Étude 2027"
    bad = client.post(
        f"/pratiques/campagnes/{campaign.pk}/modifier/",
        form_data(campaign, closes_on=(campaign.opens_on - timedelta(days=1)).isoformat()),
    )
    assert bad.status_code == 400 and "La clôture doit suivre" in bad.text


def test_an_open_campaign_is_no_longer_edited(nadia: User, geo) -> None:
    campaign = make_campaign()  # opened yesterday
    client = logged_in(nadia)
    assert "Modifier la campagne" not in client.get(campaign.get_absolute_url()).text
    response = client.post(
        f"/pratiques/campagnes/{campaign.pk}/modifier/", form_data(campaign, title="Autre")
    )
    assert response.status_code == 409 and "ne changent plus" in response.text
    campaign.refresh_from_db()
    assert campaign.title == "Étude 2026"


def test_an_empty_campaign_is_deleted_after_the_box(nadia: User, geo) -> None:
    campaign = make_campaign()
    client = logged_in(nadia)
    html = client.get(campaign.get_absolute_url()).text
    assert "Supprimer la campagne" in html and "Personne n’est encore invité" in html
    url = f"/pratiques/campagnes/{campaign.pk}/supprimer/"
    unticked = client.post(url)
    assert unticked.status_code == 400 and 'id="confirmer_suppression-erreur"' in unticked.text
    assert "Cochez la case pour confirmer la suppression." in unticked.text
    assert client.post(url, {"confirmer_suppression": "oui"}).status_code == 302
    assert not Campaign.objects.filter(pk=campaign.pk).exists()


def test_a_campaign_with_people_is_not_deleted(nadia: User, geo) -> None:
    campaign = with_population(make_campaign(), 3)
    client = logged_in(nadia)
    assert "Supprimer la campagne" not in client.get(campaign.get_absolute_url()).text
    response = client.post(
        f"/pratiques/campagnes/{campaign.pk}/supprimer/", {"confirmer_suppression": "oui"}
    )
    assert response.status_code == 409 and "clôturez celle-ci" in response.text
    assert 'role="alert"' in response.text and "Supprimer la campagne" in response.text
    assert Campaign.objects.filter(pk=campaign.pk).exists()


def test_only_the_published_grid_is_offered(nadia: User, geo) -> None:
    copy_current(nadia)  # a draft is never offered either
    archived = (
        GridVersion.objects.get(label="2023")
        if GridVersion.objects.filter(label="2023").exists()
        else None
    )
    client = logged_in(nadia)
    html = client.get("/pratiques/campagnes/nouvelle/").text
    current = GridVersion.objects.get(status=GridStatus.PUBLISHED)
    assert f'value="{current.pk}"' in html
    if archived is not None:
        assert f'value="{archived.pk}"' not in html
        template = make_campaign()
        response = client.post(
            "/pratiques/campagnes/nouvelle/", form_data(template, version=archived.pk)
        )
        assert response.status_code == 400 and "grille publiée" in response.text
