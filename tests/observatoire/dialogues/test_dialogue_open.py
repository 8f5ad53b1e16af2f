"""Opening a dialogue: who may, on which territory; the organiser's page and list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from observatoire.dialogues import services
from observatoire.dialogues.models import Dialogue, DialogueStatus
from territoires.forms import territory_choice_label
from territoires.models import Territory
from tests.conftest import logged_in, ok
from tests.factories import official_with_mandate, open_dialogue


def form_data(territory: Territory, **extra: Any) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "territory": territory_choice_label(territory),
        "title": "Croiser les regards à Vincennes",
        "introduction": "Dites-nous comment vous percevez les fragilités.",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
        "reminder_days": "7,14",
        **extra,
    }


def test_an_official_with_a_confirmed_mandate_opens_a_dialogue(elise: User, geo: Any) -> None:
    official_with_mandate(elise, geo.vincennes)
    client = logged_in(elise)
    ok(client.get("/dialogues/nouveau/"))
    response = client.post("/dialogues/nouveau/", form_data(geo.vincennes))
    dialogue = Dialogue.objects.get()
    assert response.status_code == 302 and response["Location"] == dialogue.get_absolute_url()
    assert dialogue.organiser == elise and dialogue.status == DialogueStatus.DRAFT
    page = ok(client.get(dialogue.get_absolute_url())).content.decode()
    assert "Ouvrir le dialogue" in page and "Importer les acteurs" in page
    assert "Croiser les regards à Vincennes" in ok(client.get("/dialogues/")).content.decode()


def test_the_report_s_next_step_opens_the_form_on_its_territory(elise: User, geo: Any) -> None:
    """« Ouvrir un dialogue territorial » in a territory's report names the territory: the form
    starts with it chosen; an unknown one leaves the field empty."""
    from html import escape

    from observatoire.report.collect import collect_report_data

    official_with_mandate(elise, geo.vincennes)
    step = next(
        s
        for s in collect_report_data(geo.vincennes).summary.next_steps
        if s.title == "Ouvrir un dialogue territorial"
    )
    path = step.url.split("://", 1)[-1].partition("/")[2]
    page = ok(logged_in(elise).get("/" + path)).content.decode()
    assert escape(territory_choice_label(geo.vincennes)) in page
    empty = ok(logged_in(elise).get("/dialogues/nouveau/?niveau=commune&code=00000")).content
    assert escape(territory_choice_label(geo.vincennes)).encode() not in empty


@pytest.mark.parametrize("status", ["en-attente", "refuse"])
def test_an_official_without_a_confirmed_mandate_is_refused(
    elise: User, geo: Any, status: str
) -> None:
    official_with_mandate(elise, geo.vincennes, status=status)
    response = logged_in(elise).post("/dialogues/nouveau/", form_data(geo.vincennes))
    assert response.status_code == 400
    assert "mandat est confirmé" in response.content.decode()
    assert not Dialogue.objects.exists()


def test_an_official_is_refused_on_another_territory(elise: User, geo: Any) -> None:
    official_with_mandate(elise, geo.vincennes)
    with pytest.raises(services.DialogueRefused) as refused:
        services.dialogue_create(
            user=elise,
            territory=geo.saint_mande,
            title="t",
            introduction="i",
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
        )
    assert refused.value.code == "dialogue_not_allowed"


def test_a_catalyst_and_an_admin_open_anywhere_a_project_included(
    alice: User, nadia: User, geo: Any
) -> None:
    from territoires.models import Level

    project = Territory.objects.create(level=Level.PROJECT, code="P1", name="Pays de l'Est")
    assert open_dialogue(alice, project).territory == project
    assert open_dialogue(nadia, geo.idf).status == DialogueStatus.OPEN


def test_someone_without_a_role_may_not_organise(geo: Any) -> None:
    user = User.objects.create_user("sans-role", password="x")
    assert logged_in(user).get("/dialogues/nouveau/").status_code == 403


def test_only_the_organiser_and_admins_see_a_dialogue(
    alice: User, bob: User, nadia: User, geo: Any
) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    assert logged_in(bob).get(dialogue.get_absolute_url()).status_code == 403
    assert dialogue.title not in logged_in(bob).get("/dialogues/").content.decode()
    ok(logged_in(nadia).get(dialogue.get_absolute_url()))
    assert dialogue.title in logged_in(nadia).get("/dialogues/").content.decode()


def test_an_admin_closes_any_dialogue(alice: User, nadia: User, geo: Any) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    response = logged_in(nadia).post(f"/dialogues/{dialogue.pk}/clore/", {"confirmer": "oui"})
    assert response.status_code == 302
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.CLOSED and dialogue.closed_by == nadia


def test_closing_asks_for_a_confirmation(alice: User, geo: Any) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    response = logged_in(alice).post(f"/dialogues/{dialogue.pk}/clore/", {})
    assert response.status_code == 400
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.OPEN


def test_the_detail_page_queries_do_not_grow(
    alice: User, geo: Any, django_assert_max_num_queries: Any
) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    client = logged_in(alice)
    with django_assert_max_num_queries(14):
        ok(client.get(dialogue.get_absolute_url()))


def test_the_qr_code_is_an_svg_of_the_open_link(alice: User, geo: Any) -> None:
    dialogue = open_dialogue(alice, geo.vincennes)
    response = ok(logged_in(alice).get(f"/dialogues/{dialogue.pk}/code-qr.svg"))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") or b"<svg" in response.content[:200]
