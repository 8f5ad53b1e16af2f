"""Answering: the open link (closed, rate-limited), the autosaved questionnaire, 3 to 5
priorities, the submission, and nothing accepted after closing; the frozen snapshot."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from observatoire.dialogues import services
from observatoire.dialogues.models import (
    DialogueResponse,
    DialogueSnapshot,
    PerceivedFragility,
)
from territoires.forms import territory_choice_label
from territoires.models import ActorProfile, Fragility
from tests.conftest import ok
from tests.factories import dialogue_answer, open_dialogue


def start(client: Any, dialogue: Any, geo: Any, profile: str = "entreprises") -> DialogueResponse:
    profile_pk = ActorProfile.objects.get(code=profile).pk
    response = client.post(
        f"/d/{dialogue.open_code}/",
        {"actor_profile": str(profile_pk), "commune": territory_choice_label(geo.vincennes)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return DialogueResponse.objects.get(key=response["Location"].split("/")[-2])


def test_the_open_link_asks_profile_and_commune_only(client: Any, alice: User, geo: Any) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    page = ok(client.get(f"/d/{dialogue.open_code}/")).content.decode()
    assert "Votre profil d" in page and "Votre commune d" in page
    refused = client.post(f"/d/{dialogue.open_code}/", {"actor_profile": "", "commune": ""})
    assert refused.status_code == 400
    answer = start(client, dialogue, geo)
    assert answer.via == "ouvert" and answer.commune == geo.vincennes
    assert ok(client.get(f"/dialogues/reponse/{answer.key}/"))


def test_the_commune_of_activity_is_a_commune(client: Any, alice: User, geo: Any) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    profile = ActorProfile.objects.get(code="entreprises")
    response = client.post(
        f"/d/{dialogue.open_code}/",
        {"actor_profile": str(profile.pk), "commune": territory_choice_label(geo.val_de_marne)},
    )
    assert response.status_code == 400 and "Choisissez une commune" in response.content.decode()


def test_the_organiser_closes_the_open_link(client: Any, alice: User, geo: Any) -> None:
    from tests.conftest import logged_in

    dialogue = open_dialogue(alice, geo.vincennes)
    answer = start(client, dialogue, geo)
    logged_in(alice).post(f"/dialogues/{dialogue.pk}/lien-ouvert/", {"actif": "non"})
    response = client.get(f"/d/{dialogue.open_code}/")
    assert response.status_code == 410 and "fermé le lien ouvert" in response.content.decode()
    with pytest.raises(services.DialogueRefused) as refused:
        services.response_start_open(
            dialogue_id=dialogue.pk, actor_profile=answer.actor_profile, commune=geo.vincennes
        )
    assert refused.value.code == "open_link_closed"
    # An answer already started through it goes on.
    ok(client.get(f"/dialogues/reponse/{answer.key}/"))
    logged_in(alice).post(f"/dialogues/{dialogue.pk}/lien-ouvert/", {"actif": "oui"})
    ok(client.get(f"/d/{dialogue.open_code}/"))


def test_the_open_link_is_rate_limited_per_address(
    client: Any, alice: User, geo: Any, settings: Any
) -> None:
    settings.DIALOGUE_OPEN_LINK_LIMIT = 3
    dialogue = open_dialogue(alice, geo.vincennes)
    for _ in range(3):
        ok(client.get(f"/d/{dialogue.open_code}/"))
    limited = client.get(f"/d/{dialogue.open_code}/")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "réessayez" in limited.content.decode()
    before = DialogueResponse.objects.count()
    profile = ActorProfile.objects.get(code="entreprises")
    posted = client.post(
        f"/d/{dialogue.open_code}/",
        {"actor_profile": str(profile.pk), "commune": territory_choice_label(geo.vincennes)},
    )
    assert posted.status_code == 429 and DialogueResponse.objects.count() == before
    other = client.get(f"/d/{dialogue.open_code}/", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_an_unknown_code_is_not_found(client: Any, db: None) -> None:
    assert client.get("/d/inconnu/").status_code == 404


def test_autosave_of_one_fragility(
    client: Any, alice: User, geo: Any, htmx: dict[str, str], django_assert_max_num_queries: Any
) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    answer = start(client, dialogue, geo)
    fragility = Fragility.objects.order_by("order").first()
    url = f"/dialogues/reponse/{answer.key}/fragilite/{fragility.pk}/"
    fields = {f"niveau-{fragility.pk}": "2", f"priorite-{fragility.pk}": "oui"}
    with django_assert_max_num_queries(12):
        response = ok(client.post(url, fields, headers=htmx))
    page = response.content.decode()
    assert "Enregistré." in page and 'id="priority-count"' in page and "<html" not in page
    saved = PerceivedFragility.objects.get(response=answer)
    assert (saved.level, saved.is_priority) == (2, True)
    ok(client.post(url, {f"niveau-{fragility.pk}": "nsp"}, headers=htmx))
    saved.refresh_from_db()
    assert (saved.level, saved.is_priority) == (None, False)  # « je ne sais pas »
    ok(client.post(url, {f"niveau-{fragility.pk}": ""}, headers=htmx))
    assert not PerceivedFragility.objects.exists()  # no answer
    assert client.post(url, {f"niveau-{fragility.pk}": "7"}, headers=htmx).status_code == 400


def test_the_other_parts_autosave(client: Any, alice: User, geo: Any, htmx: dict[str, str]) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    answer = start(client, dialogue, geo)
    profiles = list(ActorProfile.objects.order_by("order")[:2])
    key = answer.key
    ok(
        client.post(
            f"/dialogues/reponse/{key}/partenaires/",
            {"acts_with": [str(p.pk) for p in profiles]},
            headers=htmx,
        )
    )
    assert set(answer.acts_with.all()) == set(profiles)
    fragility = Fragility.objects.order_by("order").last()
    incomplete = client.post(
        f"/dialogues/reponse/{key}/initiative/", {"initiative-title": "Un titre"}, headers=htmx
    )
    assert incomplete.status_code == 400
    ok(
        client.post(
            f"/dialogues/reponse/{key}/initiative/",
            {
                "initiative-fragility": str(fragility.pk),
                "initiative-title": "Covoiturage solidaire",
                "initiative-text": "Des trajets partagés vers les zones d'emploi.",
                "initiative-carrier": "Association Roule",
            },
            headers=htmx,
        )
    )
    assert answer.initiative.status == "proposee"
    saint_mande = territory_choice_label(geo.saint_mande)
    ok(
        client.post(
            f"/dialogues/reponse/{key}/vous/",
            {"actor_profile": str(profiles[0].pk), "commune": saint_mande},
            headers=htmx,
        )
    )
    answer.refresh_from_db()
    assert answer.commune == geo.saint_mande and answer.actor_profile == profiles[0]


def test_three_to_five_priorities(client: Any, alice: User, geo: Any, htmx: dict[str, str]) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    answer = start(client, dialogue, geo)
    fragilities = list(Fragility.objects.order_by("order"))
    for fragility in fragilities[:2]:
        services.perception_save(
            response_id=answer.pk, fragility_id=fragility.pk, level=3, is_priority=True
        )
    recap = ok(client.get(f"/dialogues/reponse/{answer.key}/envoyer/")).content.decode()
    assert "vous en avez choisi 2" in recap and "Envoyer ma réponse" not in recap
    refused = client.post(f"/dialogues/reponse/{answer.key}/envoyer/")
    assert refused.status_code == 400
    for fragility in fragilities[2:5]:
        services.perception_save(
            response_id=answer.pk, fragility_id=fragility.pk, level=1, is_priority=True
        )
    sixth = fragilities[5]
    response = client.post(
        f"/dialogues/reponse/{answer.key}/fragilite/{sixth.pk}/",
        {f"niveau-{sixth.pk}": "2", f"priorite-{sixth.pk}": "oui"},
        headers=htmx,
    )
    assert response.status_code == 409 and "5 priorités au plus" in response.content.decode()
    assert PerceivedFragility.objects.filter(response=answer, is_priority=True).count() == 5
    sent = client.post(f"/dialogues/reponse/{answer.key}/envoyer/")
    assert sent.status_code == 200 and "Merci" in sent.content.decode()
    answer.refresh_from_db()
    assert answer.is_submitted


def test_a_sent_answer_no_longer_changes(
    client: Any, alice: User, geo: Any, htmx: dict[str, str]
) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    answer = dialogue_answer(dialogue, commune=geo.vincennes)
    fragility = Fragility.objects.order_by("order").first()
    response = client.post(
        f"/dialogues/reponse/{answer.key}/fragilite/{fragility.pk}/",
        {f"niveau-{fragility.pk}": "3"},
        headers=htmx,
    )
    assert response.status_code == 409
    assert "Réponse envoyée" in ok(client.get(f"/dialogues/reponse/{answer.key}/")).content.decode()
    assert client.post(f"/dialogues/reponse/{answer.key}/envoyer/").status_code == 409
    with pytest.raises(services.DialogueRefused) as refused:
        services.perception_save(
            response_id=answer.pk, fragility_id=fragility.pk, level=3, is_priority=False
        )
    assert refused.value.code == "response_submitted"


def test_answers_are_refused_after_closing(
    client: Any, alice: User, geo: Any, htmx: dict[str, str]
) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    draft = dialogue_answer(dialogue, commune=geo.vincennes, submit=False)
    services.dialogue_close(dialogue_id=dialogue.pk)
    assert client.get(f"/d/{dialogue.open_code}/").status_code == 410
    assert client.get(f"/dialogues/reponse/{draft.key}/").status_code == 410
    fragility = Fragility.objects.order_by("order").first()
    late = client.post(
        f"/dialogues/reponse/{draft.key}/fragilite/{fragility.pk}/",
        {f"niveau-{fragility.pk}": "3"},
        headers=htmx,
    )
    assert late.status_code == 409
    assert client.post(f"/dialogues/reponse/{draft.key}/envoyer/").status_code == 409
    with pytest.raises(services.DialogueRefused) as refused:
        services.response_submit(response_id=draft.pk)
    assert refused.value.code == "dialogue_closed"
    draft.refresh_from_db()
    assert not draft.is_submitted


def test_the_snapshot_holds_the_sent_answers_and_does_not_change(alice: User, geo: Any) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    dialogue_answer(dialogue, commune=geo.vincennes, profile="entreprises", priorities=4)
    dialogue_answer(dialogue, commune=geo.saint_mande, profile="associations")
    dialogue_answer(dialogue, commune=geo.vincennes, submit=False)  # a draft: not in it
    snapshot = services.dialogue_close(dialogue_id=dialogue.pk, user=alice)
    assert len(snapshot.records) == 2
    record = next(r for r in snapshot.records if r["profile"] == "entreprises")
    assert len(record["priorities"]) == 4 and len(record["levels"]) == 16
    assert set(record) == {
        "via",
        "profile",
        "invited_profile",
        "commune",
        "levels",
        "priorities",
        "acts_with",
        "initiative",
    }
    assert "@" not in str(snapshot.records)
    frozen = list(snapshot.records)
    # Later changes of the live rows (an admin's correction, a deletion) do not reach it.
    PerceivedFragility.objects.all().update(level=0, is_priority=False)
    DialogueResponse.objects.filter(actor_profile__code="associations").delete()
    with pytest.raises(services.DialogueRefused):
        services.dialogue_close(dialogue_id=dialogue.pk)
    assert DialogueSnapshot.objects.get(pk=snapshot.pk).records == frozen


def test_the_whole_form_saves_without_javascript(client: Any, alice: User, geo: Any) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    answer = start(client, dialogue, geo)
    fragilities = list(Fragility.objects.order_by("order"))
    data = {
        "actor_profile": str(ActorProfile.objects.get(code="citoyens").pk),
        "commune": territory_choice_label(geo.saint_mande),
        "suite": "envoyer",
    }
    for index, fragility in enumerate(fragilities):
        data[f"niveau-{fragility.pk}"] = ["0", "1", "2", "3", "nsp", ""][index % 6]
        if index < 4:
            data[f"priorite-{fragility.pk}"] = "oui"
    response = client.post(f"/dialogues/reponse/{answer.key}/", data)
    assert response.status_code == 302 and response["Location"].endswith("/envoyer/")
    assert PerceivedFragility.objects.filter(response=answer).count() == 14  # 2 left blank
    assert PerceivedFragility.objects.filter(response=answer, is_priority=True).count() == 4
    answer.refresh_from_db()
    assert answer.commune == geo.saint_mande and answer.actor_profile.code == "citoyens"
    data[f"priorite-{fragilities[10].pk}"] = "oui"
    data[f"priorite-{fragilities[11].pk}"] = "oui"
    refused = client.post(f"/dialogues/reponse/{answer.key}/", data)
    assert refused.status_code == 400 and "5 priorités au plus" in refused.content.decode()


def test_a_dialogue_past_its_dates_takes_no_answer(client: Any, alice: User, geo: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from observatoire.dialogues.models import Dialogue

    dialogue = open_dialogue(alice, geo.vincennes)
    answer = start(client, dialogue, geo)
    Dialogue.objects.filter(pk=dialogue.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1),
        opens_on=timezone.localdate() - timedelta(days=9),
    )
    assert client.get(f"/d/{dialogue.open_code}/").status_code == 409
    page = client.get(f"/dialogues/reponse/{answer.key}/")
    assert page.status_code == 409 and "pas ouvert" in page.content.decode()


def test_guessing_codes_is_rate_limited_too(client: Any, db: None, settings: Any) -> None:
    settings.DIALOGUE_OPEN_LINK_LIMIT = 2
    assert [client.get(f"/d/code{i}/").status_code for i in range(3)] == [404, 404, 429]
