"""The results page, publishing, initiatives, the PDF, the dataset, the territory part and the
national picture."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from observatoire.dialogues.models import Dialogue, DialogueInitiative, DialogueStatus
from tests.conftest import logged_in, ok
from tests.observatoire.dialogues.results_helpers import (
    freeze,
    make_dialogue,
    populated,
    random_answer,
    respond,
)

pytestmark = pytest.mark.django_db

GROUPS = {"collectivites-territoriales": 8, "associations": 6, "entreprises": 3}


def url(dialogue: Dialogue, tail: str = "") -> str:
    return f"/dialogues/{dialogue.pk}/resultats/{tail}"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_organiser_sees_live_results_nobody_else_does(geo, elise, charlie, htmx) -> None:
    dialogue = populated(geo.vincennes, GROUPS, organiser=elise)
    page = text(ok(logged_in(elise).get(url(dialogue))))
    assert "Résultats provisoires" in page and "10 premières" in page
    # A page of its own (no swap): an HTMX request gets the whole page.
    whole = ok(logged_in(elise).get(url(dialogue), headers=htmx)).content.decode()
    assert "<html" in whole and 'id="dialogue-results"' in whole
    assert logged_in(charlie).get(url(dialogue)).status_code == 404
    anonymous = Client().get(url(dialogue))
    assert anonymous.status_code == 302 and "/comptes/login/" in anonymous["Location"]


def test_published_results_are_public_with_the_indicators_beside(geo, elise) -> None:
    dialogue = populated(geo.vincennes, GROUPS, organiser=elise)
    freeze(dialogue)
    assert Client().get(url(dialogue)).status_code == 302  # closed, not yet published
    ok(logged_in(elise).post(url(dialogue, "publier/"), {"confirm": "oui"}), 302)
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.PUBLISHED and dialogue.published_at
    page = text(ok(Client().get(url(dialogue))))
    assert "Fragilités perçues et indicateurs" in page
    assert "Niveau perçu par les acteurs" in page
    # 3 « entreprises »: never alone; merged into « autres profils » with the smallest profile.
    assert "Entreprises (" not in page and "autres profils" in page.lower()
    assert "Qui agit déjà avec qui" in page and "Priorités" in page


def test_publishing_is_refused_while_it_runs_and_to_others(geo, elise, charlie) -> None:
    dialogue = populated(geo.vincennes, GROUPS, organiser=elise)
    ok(logged_in(elise).post(url(dialogue, "publier/"), {"confirm": "oui"}), 302)
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.OPEN
    freeze(dialogue)
    assert logged_in(charlie).post(url(dialogue, "publier/"), {"confirm": "oui"}).status_code == 404
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.CLOSED


def test_an_unapproved_initiative_is_never_public(geo, elise, charlie) -> None:
    dialogue = make_dialogue(geo.vincennes, organiser=elise)
    for n in range(12):
        initiative = {"title": f"Initiative {n}", "carrier": "Un collectif"} if n < 2 else None
        respond(
            dialogue,
            profile="associations",
            answer=random_answer(n),
            commune=geo.vincennes,
            initiative=initiative,
        )
    freeze(dialogue, status=DialogueStatus.PUBLISHED)
    assert "Initiative 0" not in text(Client().get(url(dialogue)))
    organiser = logged_in(elise)
    assert "Initiative 0" in text(organiser.get(url(dialogue)))  # the organiser sees them all
    first, second = DialogueInitiative.objects.order_by("title")
    ok(organiser.post(url(dialogue, f"initiatives/{first.pk}/decision/"), {"approve": "oui"}), 302)
    ok(organiser.post(url(dialogue, f"initiatives/{second.pk}/decision/"), {"approve": "non"}), 302)
    public = text(Client().get(url(dialogue)))
    assert "Initiative 0" in public and "Initiative 1" not in public
    # Never linked to its respondent: no profile nor commune beside it.
    block = public.split("Initiatives", 1)[1]
    assert "Vincennes" not in block.split("Secret statistique")[0]
    # Anything but « oui » or « non » decides nothing; another user cannot decide.
    ok(organiser.post(url(dialogue, f"initiatives/{second.pk}/decision/"), {"approve": "si"}), 302)
    second.refresh_from_db()
    assert second.status == "refusee"
    stranger = logged_in(charlie)
    decision = url(dialogue, f"initiatives/{second.pk}/decision/")
    assert stranger.post(decision, {"approve": "oui"}).status_code == 404
    second.refresh_from_db()
    assert second.status == "refusee"


def test_the_results_page_queries_do_not_grow_with_respondents(
    geo, elise, django_assert_num_queries
) -> None:
    small = populated(geo.vincennes, {"associations": 6, "collectivites-territoriales": 6})
    freeze(small, status=DialogueStatus.PUBLISHED)
    large = populated(
        geo.saint_mande, {"associations": 40, "collectivites-territoriales": 30, "citoyens": 20}
    )
    freeze(large, status=DialogueStatus.PUBLISHED)
    client = Client()
    counts = []
    for dialogue in (small, large):
        client.get(url(dialogue))  # warm (content types, reference caches)
        with django_assert_num_queries(7) as captured:
            ok(client.get(url(dialogue)))
        counts.append(len(captured))
    assert counts[0] == counts[1]
    # While it runs, the live page too.
    live_small = populated(geo.vincennes, {"associations": 12}, organiser=elise)
    live_large = populated(geo.vincennes, {"associations": 35}, organiser=elise)
    organiser = logged_in(elise)
    live = []
    for dialogue in (live_small, live_large):
        organiser.get(url(dialogue))
        with django_assert_num_queries(16) as captured:
            ok(organiser.get(url(dialogue)))
        live.append(len(captured))
    assert live[0] == live[1]


def test_the_pdf_and_the_dataset(geo, elise, nadia) -> None:
    dialogue = populated(geo.vincennes, GROUPS, organiser=elise)
    assert logged_in(elise).get(url(dialogue, "rapport.pdf")).status_code == 404  # still open
    freeze(dialogue)
    response = ok(logged_in(elise).get(url(dialogue, "rapport.pdf")))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert Client().get(url(dialogue, "rapport.pdf")).status_code == 404  # not yet published
    # The dataset: network admins only, k-anonymous on (profile, zone).
    assert logged_in(elise).get(url(dialogue, "donnees-anonymisees.csv")).status_code == 403
    lines = ok(logged_in(nadia).get(url(dialogue, "donnees-anonymisees.csv"))).content.decode()
    rows = [line.split(";") for line in lines.lstrip("\ufeff").splitlines()[2:]]
    assert rows and all(len(row) == 20 for row in rows)
    from collections import Counter

    classes = Counter((row[0], row[1]) for row in rows)
    assert min(classes.values()) >= 5


def test_the_territory_page_shows_the_latest_published_dialogue(geo, elise, htmx) -> None:
    empty = ok(Client().get("/territoires/commune/94080/fragilites-percues/", headers=htmx))
    assert "Aucun dialogue territorial publié" in empty.content.decode()
    dialogue = populated(geo.vincennes, GROUPS, organiser=elise, title="Regards croisés 2026")
    freeze(dialogue, status=DialogueStatus.PUBLISHED)
    fragment = ok(Client().get("/territoires/commune/94080/fragilites-percues/", headers=htmx))
    body = text(fragment)
    assert "<html" not in fragment.content.decode()
    assert "Regards croisés 2026" in body and "environ" in body and "profils représentés" in body
    page = ok(Client().get("/territoires/commune/94080/fragilites-percues/"))
    assert "<html" in page.content.decode()
    assert (
        "Fragilités perçues par les acteurs locaux"
        in ok(Client().get("/territoires/commune/94080/")).content.decode()
    )


def test_the_national_picture_is_for_admins_and_leaves_small_dialogues_out(
    geo, elise, nadia, htmx
) -> None:
    big = populated(geo.vincennes, {"associations": 8}, organiser=elise)
    freeze(big, status=DialogueStatus.PUBLISHED)
    small = populated(geo.saint_mande, {"associations": 3}, organiser=elise)
    freeze(small, status=DialogueStatus.PUBLISHED)
    assert logged_in(elise).get("/observatoire/fragilites-percues/").status_code == 403
    page = text(ok(logged_in(nadia).get("/observatoire/fragilites-percues/")))
    assert "Île-de-France" in page and "1 dialogue publié avec moins de 5" in page
    # A page of its own (no swap): an HTMX request gets the whole page.
    whole = ok(logged_in(nadia).get("/observatoire/fragilites-percues/", headers=htmx))
    assert "<html" in whole.content.decode() and "Île-de-France" in text(whole)


def test_the_network_level_column_is_dropped_when_no_level_is_retained(geo, elise) -> None:
    """Never a column of dashes: without any level retained by the network the column goes and
    one sentence says so; with one, the column is back on the page, the territory part and the PDF's
    HTML alike."""
    from datetime import date

    from territoires.models import Fragility, FragilityReading

    dialogue = populated(geo.vincennes, GROUPS, organiser=elise)
    freeze(dialogue, status=DialogueStatus.PUBLISHED)
    page = ok(Client().get(url(dialogue))).content.decode()
    assert "Niveau retenu par le réseau</th>" not in page
    assert "aucun niveau de fragilité pour ce territoire" in page
    FragilityReading.objects.create(
        territory=geo.vincennes,
        fragility=Fragility.objects.get(code="sante"),
        level=2,
        source="diagnostic",
        diagnosis_author="Réseau",
        diagnosis_date=date(2025, 3, 1),
    )
    page = ok(Client().get(url(dialogue))).content.decode()
    assert "Niveau retenu par le réseau</th>" in page
    assert "aucun niveau de fragilité pour ce territoire" not in page
