"""Examples: draft → proposed → published → withdrawn, with history; who sees what."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from config.refusals import Refused
from pratiques.examples.services import example_transition
from pratiques.models import Example, ExampleStatus
from pratiques.services import AnswerData
from tests.conftest import logged_in, ok
from tests.factories import submitted_assessment
from tests.pratiques.directory_helpers import example
from tests.pratiques.helpers import current_practices

NEW = reverse("pratiques:example_new")


def detail(e: Example) -> str:
    return reverse("pratiques:example_detail", args=[e.pk])


def test_catalyst_proposes_admin_publishes(alice: User, nadia: User, geo) -> None:
    response = logged_in(alice).post(
        NEW,
        {
            "title": "Une épicerie solidaire",
            "summary": "Commune et associations.",
            "territories": "commune:94080",
            "action": "proposer",
        },
    )
    assert response.status_code == 302
    proposed = Example.objects.get()
    assert proposed.status == ExampleStatus.PROPOSED
    assert proposed.created_by == alice and proposed.region_codes == ["11"]
    assert proposed.segment_codes  # derived from Vincennes' population
    # Invisible to anonymous users, in the list, in the open export.
    ok(Client().get(detail(proposed)), 404)
    assert (
        "Une épicerie solidaire"
        not in ok(Client().get(reverse("pratiques:example_list"))).content.decode()
    )
    assert (
        "Une épicerie solidaire"
        not in ok(Client().get(reverse("pratiques:example_export"))).content.decode()
    )
    # Its author still sees it; the admin reviews and publishes.
    ok(logged_in(alice).get(detail(proposed)))
    assert (
        "Une épicerie solidaire"
        in ok(logged_in(nadia).get(reverse("pratiques:example_review"))).content.decode()
    )
    ok(
        logged_in(nadia).post(
            reverse("pratiques:example_status", args=[proposed.pk]), {"to": "publie"}
        ),
        302,
    )
    assert (
        "Une épicerie solidaire"
        in ok(Client().get(reverse("pratiques:example_list"))).content.decode()
    )
    assert (
        "Une épicerie solidaire"
        in ok(Client().get(reverse("pratiques:example_export"))).content.decode()
    )
    history = [(e.from_status, e.to_status) for e in proposed.events.all()]
    assert history == [("", "brouillon"), ("brouillon", "propose"), ("propose", "publie")]
    # Withdrawn: gone again.
    example_transition(actor=nadia, example_id=proposed.pk, to_status=ExampleStatus.WITHDRAWN)
    ok(Client().get(detail(proposed)), 404)


def test_catalyst_cannot_publish(alice: User) -> None:
    draft = example(status=ExampleStatus.DRAFT, actor=alice)
    with pytest.raises(Refused) as refusal:
        example_transition(actor=alice, example_id=draft.pk, to_status=ExampleStatus.PUBLISHED)
    assert refusal.value.code == "not_allowed"
    response = logged_in(alice).post(
        reverse("pratiques:example_status", args=[draft.pk]), {"to": "publie"}
    )
    assert response.status_code == 302
    assert Example.objects.get().status == ExampleStatus.DRAFT


def test_impossible_transition_refused(nadia: User) -> None:
    published = example()
    with pytest.raises(Refused) as refusal:
        example_transition(actor=nadia, example_id=published.pk, to_status=ExampleStatus.PROPOSED)
    assert refusal.value.code == "bad_transition"


def test_script_in_body_shown_as_text(db: None) -> None:
    e = example(body="Avant <script>alert('x')</script> **après** <img src=x onerror=alert(1)>")
    page = ok(Client().get(detail(e))).content.decode()
    main = page.split("<main", 1)[1]
    assert "<script>alert" not in main and "&lt;script&gt;" in main
    assert "<img" not in main and "<strong>après</strong>" in main


def test_published_example_linked_from_the_results_page(alice: User, geo) -> None:
    practices = current_practices()
    wanted = practices[0]
    example(title="Un exemple pour la pratique", practices=[wanted.key])
    example(title="Un exemple proposé", practices=[wanted.key], status=ExampleStatus.PROPOSED)

    def answer(index: int, practice):
        return AnswerData(frequency=3, wants_to_develop=index == 0)

    assessment = submitted_assessment(alice, geo.vincennes, answer)
    page = ok(
        logged_in(alice).get(reverse("pratiques:assessment_results", args=[assessment.pk]))
    ).content.decode()
    assert "Un exemple pour la pratique" in page
    assert "Un exemple proposé" not in page


def test_invalid_form_is_a_400(alice: User) -> None:
    response = logged_in(alice).post(NEW, {"title": "", "summary": ""})
    assert response.status_code == 400
    assert not Example.objects.exists()


def test_official_cannot_propose(elise: User) -> None:
    ok(logged_in(elise).get(NEW), 403)
