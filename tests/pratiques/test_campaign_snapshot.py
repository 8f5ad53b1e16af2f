"""The frozen dataset of a campaign: who counts, the statistics consent, no order, new pseudonyms."""

from __future__ import annotations

import json

import pytest

from pratiques.campaigns.report import anonymised_rows
from pratiques.campaigns.services import campaign_close, snapshot_records
from pratiques.models import Invitee, InviteeSource, Vouch
from tests.pratiques.campaign_helpers import make_campaign, respond, with_population

pytestmark = pytest.mark.django_db


def _campaign_with_answers(count: int) -> list[Invitee]:
    campaign = with_population(make_campaign(), count)
    people = list(Invitee.objects.filter(campaign=campaign).order_by("email"))
    for index, person in enumerate(people):
        respond(person, frequency=index % 4, involvement=2)
        person.refresh_from_db()
    return people


def test_consent_refused_and_unestablished_people_stay_out(geo) -> None:
    people = _campaign_with_answers(8)
    refused = people[0].assessment
    refused.consent_statistics = False
    refused.save(update_fields=["consent_statistics"])
    # An open-link answerer nobody vouched for (their own results stay theirs).
    Vouch.objects.filter(user=people[1].user).delete()
    Invitee.objects.filter(pk=people[1].pk).update(source=InviteeSource.OPEN_LINK)
    snapshot = campaign_close(campaign_id=people[0].campaign_id)
    assert len(snapshot.records) == 6 and snapshot.invited == 8


def test_records_are_shuffled_and_pseudonyms_new_at_each_snapshot(geo) -> None:
    people = _campaign_with_answers(12)
    campaign = people[0].campaign
    draws = [snapshot_records(campaign) for _ in range(6)]
    pseudonyms = [{r["pseudonym"] for r in records} for records in draws]
    assert all(len(p) == 12 for p in pseudonyms)
    assert not set.intersection(*pseudonyms)  # never the same pseudonym twice
    # 12 distinct records (profile, commune, answers); six shuffles never all in one order.
    orders = {tuple(json.dumps({**r, "pseudonym": ""}, sort_keys=True) for r in d) for d in draws}
    assert len(orders) > 1
    snapshot = campaign_close(campaign_id=campaign.pk)
    rows, _ = anonymised_rows(snapshot)
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])
    assert {row[0] for row in rows[1:]} <= {r["pseudonym"] for r in snapshot.records}


def test_confirming_through_the_personal_link_vouches_the_imported_person(geo, client) -> None:
    from pratiques.campaigns.sending import campaign_messages_run
    from tests.pratiques.campaign_helpers import link_for

    campaign = with_population(make_campaign(), 1)
    campaign_messages_run(campaign_id=campaign.pk)
    link = link_for("personne0000@exemple.fr")
    client.get(link)
    if "_auth_user_id" not in client.session:  # the link may ask for a button
        client.post(link)
    person = Invitee.objects.get(campaign=campaign)
    assert Vouch.objects.get(user=person.user).source == "campagne"
