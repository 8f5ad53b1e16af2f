from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from pratiques import services
from pratiques.campaigns.disclosure import campaign_disclosure
from pratiques.campaigns.queries import follow_up
from pratiques.campaigns.services import campaign_assessment_open, campaign_self_register
from pratiques.models import Invitee
from territoires.models import ActorProfile, Territory
from tests.conftest import logged_in, ok
from tests.pratiques.campaign_helpers import invited, make_campaign, respond
from tests.pratiques.helpers import answer_all
from tests.privacy import attack

pytestmark = pytest.mark.django_db


def test_disclosure_rule() -> None:
    assert campaign_disclosure(4).label == "moins de 5" and not campaign_disclosure(4).shown
    assert campaign_disclosure(5).label == "5"
    assert campaign_disclosure(7, 20).label == "5" and campaign_disclosure(7, 20).percent == 35
    assert campaign_disclosure(8).label == "10"


def test_it_works_full_and_fragment(nadia: User, geo, htmx) -> None:
    campaign = invited(make_campaign(), 10)
    client = logged_in(nadia)
    html = client.get(f"/pratiques/campagnes/{campaign.pk}/").content.decode()
    assert "<html" in html and "0 %" in html and "10 invitations" in html
    # Counts only: nobody's name, not even to admins (issue 23: reminders go without names).
    assert "personne0000@exemple.fr" not in html and "Prénom0" not in html
    assert "<strong>10</strong> personnes sans réponse" in html
    fragment = client.get(
        f"/pratiques/campagnes/{campaign.pk}/?fragment=follow", headers=htmx
    ).content.decode()
    assert "<html" not in fragment and 'id="follow"' in fragment


def test_the_rate_moves_and_small_groups_are_hidden(nadia: User, geo) -> None:
    campaign = invited(make_campaign(), 10)
    for person in Invitee.objects.filter(campaign=campaign).order_by("email")[:6]:
        respond(person)
    data = follow_up(campaign)
    assert (data.invited, data.submitted, data.rate) == (10, 6, 60)
    assert data.over_time[-1][2] == 6 and data.waiting == 4
    by_title = dict(data.breakdowns)
    regions = {s.label: s for s in by_title["Région"]}
    assert regions["Île-de-France"].people.label == "5"  # 5 people (4 communes, 2 per région)
    assert regions["Île-de-France"].respondents.label in ("moins de 5", "5")
    profiles = {s.label: s for s in by_title["Profil d'acteur"]}
    assert all(not s.people.shown for s in profiles.values() if s.people.count is None)
    html = logged_in(nadia).get(f"/pratiques/campagnes/{campaign.pk}/").content.decode()
    assert "60 %" in html and "moins de 5" in html


def test_it_keeps_a_constant_number_of_queries(nadia: User, geo, django_assert_num_queries) -> None:
    small = invited(make_campaign("Petite"), 10)
    large = invited(make_campaign("Grande"), 50)
    for person in Invitee.objects.filter(campaign=large)[:20]:
        respond(person)
    client = logged_in(nadia)
    client.get(f"/pratiques/campagnes/{small.pk}/")  # warm the session and role caches
    with django_assert_num_queries(13) as small_queries:
        ok(client.get(f"/pratiques/campagnes/{small.pk}/"))
    with django_assert_num_queries(len(small_queries.captured_queries)):
        ok(client.get(f"/pratiques/campagnes/{large.pk}/"))


def test_it_checks_the_role(alice: User, geo) -> None:
    campaign = make_campaign()
    assert logged_in(alice).get(f"/pratiques/campagnes/{campaign.pk}/").status_code == 403
    assert logged_in(alice).get("/pratiques/campagnes/").status_code == 403


def test_an_admin_creates_a_campaign(nadia: User, geo) -> None:
    from pratiques.models import Campaign, GridVersion

    client = logged_in(nadia)
    assert client.get("/pratiques/campagnes/nouvelle/").status_code == 200
    data = {
        "title": "Étude 2027",
        "version": GridVersion.objects.current().pk,
        "opens_on": "2027-01-10",
        "closes_on": "2027-01-01",
        "invitation_text": "Bonjour",
        "reminder_text": "Relance",
        "reminder_days": "7, x",
    }
    response = client.post("/pratiques/campagnes/nouvelle/", data)
    html = response.content.decode()
    assert response.status_code == 400 and "La clôture doit suivre" in html
    assert "nombres de jours" in html
    data.update(closes_on="2027-02-10", reminder_days="14, 7")
    response = client.post("/pratiques/campagnes/nouvelle/", data)
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.reminder_offsets == [7, 14]
    assert "Étude 2027" in client.get("/pratiques/campagnes/").content.decode()


def test_open_link_validations_of_unvouched_accounts_count_in_no_figure(nadia: User, geo) -> None:
    campaign = invited(make_campaign(open_registration=True), 5)
    for person in Invitee.objects.filter(campaign=campaign):
        respond(person)
    for i in range(3):
        sybil = campaign_self_register(
            campaign=campaign,
            user=attack.sybil(f"sybil{i}"),
            territory=Territory.objects.get(level="commune", code="94080"),
            actor_profile=ActorProfile.objects.get(code="ingenieries"),
            engineerings=[],
        )
        draft = campaign_assessment_open(invitee=sybil)
        answer_all(draft, 2, 2, carrying=1)
        services.assessment_submit(
            assessment_id=draft.pk,
            user=sybil.user,
            consent_statistics=True,
            share_with_organisation=False,
        )
    data = follow_up(campaign)
    assert (data.invited, data.submitted, data.not_counted) == (8, 5, 3)
    profiles = {s.label: s for s in dict(data.breakdowns)["Profil d'acteur"]}
    # The three sybils chose « Ingénieries »: the group counts only the imported people.
    assert profiles["Ingénieries"].people.label == "moins de 5"
    html = logged_in(nadia).get(f"/pratiques/campagnes/{campaign.pk}/").content.decode()
    assert "3 validations par le lien ouvert" in html
