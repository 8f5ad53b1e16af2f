"""The imported respondents: the file (refused whole, every bad line), the template, the
invitations and reminders sent once, the personal link (twice, expired, another dialogue)."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from observatoire.dialogues import services
from observatoire.dialogues.models import DialogueInvitee, DialogueResponse
from observatoire.dialogues.sending import dialogue_messages_run, personal_url
from pratiques.campaigns.population import PopulationRefused
from tests.conftest import committed, logged_in, ok
from tests.factories import dialogue_answer, open_dialogue

GOOD = (
    "email;nom;organisation;profil\n"
    "a@exemple.fr;Anne A;Mairie;collectivites-territoriales\n"
    "b@exemple.fr;Bruno B;Asso;Associations\n"
)
BAD = (
    "email;nom;organisation;profil\n"
    "a@exemple.fr;Anne A;Mairie;collectivites-territoriales\n"
    "pas-une-adresse;X;;associations\n"
    "c@exemple.fr;C;;astronautes\n"
    "a@exemple.fr;Anne bis;;entreprises\n"
)


def test_a_file_imports_the_respondents(alice: User, geo: Any) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    result = services.respondents_import(
        dialogue_id=dialogue.pk, data=GOOD.encode(), file_name="acteurs.csv"
    )
    assert (result.created, result.updated) == (2, 0)
    again = services.respondents_import(
        dialogue_id=dialogue.pk, data=GOOD.encode(), file_name="acteurs.csv"
    )
    assert (again.created, again.updated) == (0, 2)
    assert sorted(DialogueInvitee.objects.values_list("actor_profile__code", flat=True)) == [
        "associations",
        "collectivites-territoriales",
    ]


def test_a_bad_file_is_refused_whole_with_every_line(alice: User, geo: Any) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    with pytest.raises(PopulationRefused) as refused:
        services.respondents_import(dialogue_id=dialogue.pk, data=BAD.encode(), file_name="a.csv")
    lines = [problem.line for problem in refused.value.problems]
    assert lines == [3, 4, 5]
    assert "profil d'acteur inconnu « astronautes »" in str(refused.value.problems[1])
    assert "déjà présente ligne 2" in str(refused.value.problems[2])
    assert not DialogueInvitee.objects.exists()


def test_the_page_lists_the_bad_lines_and_imports_nothing(alice: User, geo: Any) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    upload = io.BytesIO(BAD.encode())
    upload.name = "acteurs.csv"
    response = logged_in(alice).post(f"/dialogues/{dialogue.pk}/acteurs/", {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "ligne 3 :" in page and "ligne 4 :" in page and "ligne 5 :" in page
    assert not DialogueInvitee.objects.exists()


def test_a_missing_column_is_said(alice: User, geo: Any) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    with pytest.raises(PopulationRefused) as refused:
        services.respondents_import(
            dialogue_id=dialogue.pk, data=b"email;nom\na@exemple.fr;A\n", file_name="a.csv"
        )
    assert "« profil »" in str(refused.value.problems[0])


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_template_imports_as_is(alice: User, geo: Any, extension: str) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    response = ok(logged_in(alice).get(f"/dialogues/modele-acteurs.{extension}"))
    result = services.respondents_import(
        dialogue_id=dialogue.pk, data=response.content, file_name=f"modele.{extension}"
    )
    assert result.created == 2


def imported(alice: User, geo: Any) -> Any:
    dialogue = open_dialogue(alice, geo.vincennes)
    services.respondents_import(dialogue_id=dialogue.pk, data=GOOD.encode(), file_name="a.csv")
    return dialogue


def test_invitations_then_reminders_leave_once(alice: User, geo: Any) -> None:
    dialogue = imported(alice, geo)
    assert dialogue_messages_run(dialogue_id=dialogue.pk) == 2
    assert dialogue_messages_run(dialogue_id=dialogue.pk) == 0
    message = mail.outbox[0]
    assert "Croiser les regards" in message.subject
    assert "/dialogues/" in message.body and "/lien/" in message.body
    # Anne answers; on the first reminder date only Bruno is reminded, once.
    anne = DialogueInvitee.objects.get(email="a@exemple.fr")
    dialogue_answer(dialogue, commune=geo.vincennes, invitee=anne)
    day = dialogue.reminder_dates()[0]
    assert dialogue_messages_run(dialogue_id=dialogue.pk, today=day) == 1
    assert dialogue_messages_run(dialogue_id=dialogue.pk, today=day) == 0
    assert mail.outbox[-1].to == ["b@exemple.fr"] and "Relance" in mail.outbox[-1].subject


def test_opening_sends_the_invitations_in_the_background(
    alice: User, geo: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    dialogue = open_dialogue(alice, geo.vincennes)
    from observatoire.dialogues.models import Dialogue, DialogueStatus

    Dialogue.objects.filter(pk=dialogue.pk).update(status=DialogueStatus.DRAFT)
    services.respondents_import(dialogue_id=dialogue.pk, data=GOOD.encode(), file_name="a.csv")
    with committed():
        response = logged_in(alice).post(f"/dialogues/{dialogue.pk}/ouvrir/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_the_personal_link_opens_then_shows_the_answer_as_sent(
    client: Any, alice: User, geo: Any
) -> None:
    dialogue = imported(alice, geo)
    anne = DialogueInvitee.objects.get(email="a@exemple.fr")
    link = path_of(personal_url(anne))
    page = ok(client.get(link)).content.decode()
    assert "Commencer le questionnaire" in page
    assert not DialogueResponse.objects.exists()  # a GET (a mail scanner) changes nothing
    response = client.post(link)
    answer = DialogueResponse.objects.get()
    assert response["Location"] == f"/dialogues/reponse/{answer.key}/"
    assert answer.via == "invite" and answer.actor_profile.code == "collectivites-territoriales"
    assert client.post(link)["Location"] == response["Location"]  # resumed, not a second one
    dialogue_answer(dialogue, commune=geo.vincennes, invitee=anne)
    used = client.get(link)
    assert used.status_code == 410
    assert "déjà répondu" in used.content.decode() and "Vos priorités" in used.content.decode()
    assert client.post(link).status_code == 410
    assert DialogueResponse.objects.count() == 1


def test_an_expired_personal_link_is_refused(
    client: Any, alice: User, geo: Any, settings: Any
) -> None:
    imported(alice, geo)
    link = path_of(personal_url(DialogueInvitee.objects.get(email="a@exemple.fr")))
    settings.INVITATION_LINK_MAX_AGE_DAYS = -1  # already past
    response = client.get(link)
    assert response.status_code == 410 and "expiré" in response.content.decode()


def test_a_personal_link_of_another_dialogue_is_refused(client: Any, alice: User, geo: Any) -> None:
    first = imported(alice, geo)
    second = open_dialogue(alice, geo.saint_mande, title="Autre")
    link = path_of(personal_url(DialogueInvitee.objects.get(email="a@exemple.fr")))
    other = link.replace(f"/dialogues/{first.pk}/", f"/dialogues/{second.pk}/")
    response = client.get(other)
    assert response.status_code == 400
    assert "autre dialogue" in response.content.decode()
    assert client.get(link[:-5] + "xxxx/").status_code == 400  # tampered


def test_the_personal_link_is_refused_once_closed(client: Any, alice: User, geo: Any) -> None:
    dialogue = imported(alice, geo)
    services.dialogue_close(dialogue_id=dialogue.pk)
    link = path_of(personal_url(DialogueInvitee.objects.get(email="a@exemple.fr")))
    assert client.post(link).status_code == 410
    assert not DialogueResponse.objects.exists()


def test_reminders_stop_by_their_link(client: Any, alice: User, geo: Any) -> None:
    from observatoire.dialogues.sending import stop_url

    dialogue = imported(alice, geo)
    dialogue_messages_run(dialogue_id=dialogue.pk)
    bruno = DialogueInvitee.objects.get(email="b@exemple.fr")
    link = path_of(stop_url(bruno))
    ok(client.get(link))
    ok(client.post(link))
    assert dialogue_messages_run(dialogue_id=dialogue.pk, today=dialogue.reminder_dates()[-1]) == 1
    assert "b@exemple.fr" not in mail.outbox[-1].to


def test_a_closed_dialogue_sends_nothing(alice: User, geo: Any) -> None:
    dialogue = imported(alice, geo)
    services.dialogue_close(dialogue_id=dialogue.pk)
    assert dialogue_messages_run() == 0


def test_a_dialogue_before_its_dates_sends_nothing(alice: User, geo: Any) -> None:
    today = timezone.localdate()
    dialogue = open_dialogue(
        alice,
        geo.vincennes,
        opens_on=today + timedelta(days=3),
        closes_on=today + timedelta(days=9),
    )
    services.respondents_import(dialogue_id=dialogue.pk, data=GOOD.encode(), file_name="a.csv")
    assert dialogue_messages_run() == 0


def test_a_stop_link_of_another_dialogue_is_refused(client: Any, alice: User, geo: Any) -> None:
    from observatoire.dialogues.sending import stop_url

    first = imported(alice, geo)
    second = open_dialogue(alice, geo.saint_mande, title="Autre")
    link = path_of(stop_url(DialogueInvitee.objects.get(email="a@exemple.fr")))
    other = link.replace(f"/dialogues/{first.pk}/", f"/dialogues/{second.pk}/")
    assert client.post(other).status_code == 400
    assert not DialogueInvitee.objects.filter(reminders_stopped_at__isnull=False).exists()
