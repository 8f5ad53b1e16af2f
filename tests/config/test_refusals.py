"""One way for a service to refuse. Every refusal is a ``Refused`` with a stable code and
a French message; a form takes it as it is."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from accounts.services import (
    AccountRefused,
    account_active_set,
    invitation_resend,
    invitation_send,
    roles_set,
)
from config.backup import BackupError, restore
from config.links import LinkError, Purpose, check_link_token
from config.refusals import Refused
from config.roles import Role
from observatoire.imports import reading
from observatoire.imports.problems import FileRefused
from pratiques import services
from pratiques.campaigns.population import PopulationRefused, population_import
from pratiques.campaigns.services import CampaignRefused, campaign_close
from pratiques.curation.services import locked_error, version_copy
from pratiques.models import Assessment, GridStatus
from territoires.models import Level, Territory
from territoires.services import (
    MandateRefused,
    ProjectRefused,
    follow_set,
    mandate_declare,
    project_create,
)
from tests.pratiques.campaign_helpers import make_campaign
from tests.pratiques.curation_helpers import copy_current
from tests.pratiques.helpers import current_practices, start, submitted


class NameForm(forms.Form):
    name = forms.CharField()


def refusal_of(call: object, *args: object, **kwargs: object) -> Refused:
    with pytest.raises(Refused) as refused:
        call(*args, **kwargs)  # type: ignore[operator]
    return refused.value


def test_a_refusal_has_a_code_a_french_message_and_lands_on_a_form() -> None:
    refusal = Refused("Pas maintenant.", code="not_now")
    assert isinstance(refusal, ValidationError)
    assert (refusal.code, refusal.text, str(refusal)) == (
        "not_now",
        "Pas maintenant.",
        "Pas maintenant.",
    )
    assert Refused().code == "refused" and Refused().text == Refused.default_message
    form = NameForm({"name": "x"})
    assert form.is_valid()
    form.add_error(None, Refused({"name": "Ce nom est pris."}, code="taken"))
    assert form.errors == {"name": ["Ce nom est pris."]}
    formatted = Refused("« %(name)s » refusé.", params={"name": "X"}, code="x")
    assert formatted.text == "« X » refusé."


@pytest.mark.parametrize(
    ("refusal", "code"),
    [
        (services.AssessmentLocked(), "assessment_locked"),
        (services.SubmissionClosed(), "submission_closed"),
        (services.NoPublishedGrid(), "no_published_grid"),
        (services.AnswerRejected("x"), "answer_rejected"),
        (services.AssessmentNotFound(), "assessment_not_found"),
        (PopulationRefused([]), "population_refused"),
        (CampaignRefused("x"), "campaign_refused"),
        (MandateRefused("x"), "mandate_refused"),
        (FileRefused([]), "file_refused"),
        (LinkError(), "link_invalid"),
        (AccountRefused("x"), "account_refused"),
        (BackupError("x"), "backup_failed"),
        (ProjectRefused("x"), "project_refused"),
    ],
)
def test_every_refusal_is_of_the_family_with_its_default_code(refusal: Refused, code: str) -> None:
    assert isinstance(refusal, Refused)
    assert refusal.code == code
    assert refusal.text  # a French sentence, never empty
    copy = pickle.loads(pickle.dumps(refusal))  # e.g. kept on a form, or by a task backend
    assert (type(copy), copy.code, copy.text) == (type(refusal), code, refusal.text)


def test_answer_refusals() -> None:
    assert refusal_of(services.answer_data_from, {"p1-frequency": "9"}, practice_id=1).code == (
        "unknown_step"
    )
    too_long = {"p1-comment": "x" * 2001}
    assert refusal_of(services.answer_data_from, too_long, practice_id=1).code == (
        "comment_too_long"
    )


def test_assessment_refusals(geo, alice: User, nadia: User) -> None:
    practice = current_practices()[0]
    draft = start(alice, geo.vincennes)
    data = services.AnswerData(frequency=2)
    not_hers = refusal_of(
        services.answer_save,
        assessment_id=draft.pk,
        user_id=nadia.pk,
        practice_id=practice.pk,
        data=data,
    )
    assert not_hers.code == "assessment_not_found"
    assert isinstance(not_hers, Assessment.DoesNotExist)  # until every view catches Refused
    done = submitted(alice, geo.vincennes, 2, 2)
    locked = refusal_of(
        services.answer_save,
        assessment_id=done.pk,
        user_id=alice.pk,
        practice_id=practice.pk,
        data=data,
    )
    assert locked.code == "assessment_locked"


def test_territory_refusals(geo, elise: User) -> None:
    assert refusal_of(project_create, name="Vide", members=[], user=None).code == "no_member"
    department = Territory(level=Level.DEPARTEMENT, name="Val-de-Marne")
    member_level = refusal_of(project_create, name="P", members=[department], user=None)
    assert member_level.code == "member_level"
    mandate_declare(user=elise, territory=geo.vincennes)
    twice = refusal_of(mandate_declare, user=elise, territory=geo.vincennes)
    assert twice.code == "mandate_declared"
    france = Territory(level=Level.COUNTRY, name="France")  # refused before anything is read
    assert refusal_of(follow_set, user=elise, territory=france, follow=True).code == "follow_level"
    assert refusal_of(mandate_declare, user=elise, territory=france).code == "mandate_level"


def test_account_link_and_backup_refusals(nadia: User, tmp_path: Path) -> None:
    own = refusal_of(account_active_set, actor=nadia, user=nadia, active=False)
    assert own.code == "own_account"
    assert refusal_of(roles_set, actor=nadia, user=nadia, roles=[]).code == "own_admin_role"
    assert refusal_of(invitation_resend, actor=nadia, user=nadia).code == "no_pending_invitation"
    taken = refusal_of(
        invitation_send,
        actor=nadia,
        email="NADIA@exemple.fr",
        first_name="N",
        last_name="A",
        roles=[Role.OFFICIAL],
    )
    assert taken.code == "email_taken"
    assert refusal_of(check_link_token, "abc", Purpose.INVITATION).code == "link_invalid"
    assert (LinkError(LinkError.EXPIRED).code, LinkError(LinkError.USED).code) == (
        "link_expired",
        "link_used",
    )
    assert refusal_of(restore, "postgresql://x/y", tmp_path / "absente.dump").code == (
        "backup_failed"
    )


def test_campaign_curation_and_file_refusals(geo, nadia: User) -> None:
    campaign = make_campaign()
    empty = refusal_of(population_import, campaign=campaign, data=b"", file_name="p.csv")
    assert empty.code == "population_refused" and empty.problems
    campaign_close(campaign_id=campaign.pk)
    assert refusal_of(campaign_close, campaign_id=campaign.pk).code == "already_closed"
    assert refusal_of(version_copy, actor=nadia, label="2024").code == "label_taken"
    assert refusal_of(version_copy, actor=nadia, label=" ").code == "label_missing"
    draft = copy_current(nadia)
    assert refusal_of(version_copy, actor=nadia, label="2026").code == "draft_exists"
    draft.status = GridStatus.PUBLISHED
    assert locked_error(draft).code == "locked"
    unreadable = refusal_of(reading.read_table, b"", file_name="f.csv")
    assert unreadable.code == "file_refused" and unreadable.problems
