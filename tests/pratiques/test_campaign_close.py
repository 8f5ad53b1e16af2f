from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import User

from pratiques import services
from pratiques.campaigns.report import anonymised_rows, campaign_report
from pratiques.campaigns.services import CampaignRefused, campaign_assessment_open, campaign_close
from pratiques.models import Answer, CampaignMessage, CampaignSnapshot, Invitee
from tests.conftest import logged_in
from tests.pratiques.campaign_helpers import make_campaign, respond, with_population
from tests.pratiques.helpers import answer_all

pytestmark = pytest.mark.django_db


def _people(count: int) -> list[Invitee]:
    campaign = with_population(make_campaign(), count)
    return list(Invitee.objects.filter(campaign=campaign).order_by("email"))


def test_closing_freezes_the_dataset_against_later_edits(geo) -> None:
    people = _people(8)
    for person in people[:6]:
        respond(person, 3, 3)
    campaign = people[0].campaign
    snapshot = campaign_close(campaign_id=campaign.pk)
    frozen = CampaignSnapshot.objects.get(pk=snapshot.pk).records
    assert len(frozen) == 6 and snapshot.invited == 8
    assert "email" not in str(frozen) and "personne" not in str(frozen)
    # Later edits: answers changed, an assessment deleted, a person removed.
    for person in people:
        person.refresh_from_db()
    changed = Answer.objects.filter(assessment=people[0].assessment)
    assert changed.update(frequency=0, involvement=0) == 24
    people[1].assessment.delete()
    people[2].delete()
    assert CampaignSnapshot.objects.get(pk=snapshot.pk).records == frozen
    report = campaign_report(campaign)
    assert report.respondents.label == "5"  # 6 rounded to the nearest 5
    assert report.practices[0].frequency[3] == 100  # everyone « au quotidien »
    with pytest.raises(CampaignRefused):
        campaign_close(campaign_id=campaign.pk)


def test_submission_after_closing_is_refused(geo) -> None:
    people = _people(2)
    draft = campaign_assessment_open(invitee=_ready(people[0]))
    answer_all(draft, 2, 2)
    campaign_close(campaign_id=people[0].campaign_id)
    with pytest.raises(services.SubmissionClosed):
        services.assessment_submit(
            assessment_id=draft.pk,
            user=people[0].user,
            consent_statistics=True,
            share_with_organisation=False,
        )
    response = logged_in(people[0].user).post(
        f"/pratiques/evaluations/{draft.pk}/valider/", {"consent_statistics": "on"}
    )
    assert response.status_code == 409 and "est close" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft
    # A closed campaign no longer opens drafts nor sends anything.
    with pytest.raises(CampaignRefused):
        campaign_assessment_open(invitee=_ready(people[1]))
    assert not CampaignMessage.objects.filter(sent_at__isnull=True).exists()


def _ready(person: Invitee) -> Invitee:
    from django.contrib.auth.models import Group

    from pratiques.campaigns.sending import invitees_users_ensure

    invitees_users_ensure([person])
    person.user.is_active = True
    person.user.save(update_fields=["is_active"])
    person.user.groups.add(Group.objects.get(name="catalyseur"))
    return person


def test_the_anonymised_export_suppresses_small_classes(geo, nadia: User) -> None:
    people = _people(12)  # 4 communes × 3 profiles: classes of 1
    for person in people:
        respond(person)
    campaign = people[0].campaign
    snapshot = campaign_close(campaign_id=campaign.pk)
    rows, summary = anonymised_rows(snapshot)
    assert rows[0][:7] == [
        "pseudonyme",
        "version",
        "période",
        "segment",
        "profil",
        "ingénieries",
        "région",
    ]
    # 4 communes × 3 profiles: classes of 1, generalised until every class holds ≥ 5 people.
    assert summary.records == 12 and len(rows) - 1 == summary.kept >= 10
    assert summary.steps and "généralisation" in summary.statement
    # Same quasi-identifiers for everyone: one class of 12, all kept, nothing generalised.
    for record in snapshot.records:
        record.update(region="Île-de-France", segment="S", profile="P")
    snapshot.save()
    rows, summary = anonymised_rows(snapshot)
    assert len(rows) == 13 and summary.removed == 0 and summary.steps == []
    response = logged_in(nadia).get(f"/pratiques/campagnes/{campaign.pk}/export-anonyme.csv")
    body = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert response.status_code == 200 and len(table) == 13
    assert "personne" not in body


@pytest.mark.chromium
def test_report_page_and_its_pdf(geo, nadia: User, htmx) -> None:
    people = _people(6)
    for person in people:
        respond(person)
    campaign = people[0].campaign
    client = logged_in(nadia)
    assert client.get(f"/pratiques/campagnes/{campaign.pk}/rapport/").status_code == 404
    response = client.post(f"/pratiques/campagnes/{campaign.pk}/cloturer/")
    assert response.status_code == 302
    html = client.get(f"/pratiques/campagnes/{campaign.pk}/rapport/").content.decode()
    assert "Barycentre" in html and "à développer" in html and "moins de 5" in html
    pdf = client.get(f"/pratiques/campagnes/{campaign.pk}/rapport.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        logged_in(people[0].user).get(f"/pratiques/campagnes/{campaign.pk}/rapport.pdf").status_code
        == 403
    )
