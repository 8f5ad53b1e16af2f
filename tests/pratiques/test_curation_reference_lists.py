"""Curating the reference lists of territoires from the curation space."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pratiques.models import CurationEvent
from territoires.models import (
    ActorProfile,
    Fragility,
    FragilityCriterion,
    MaturityProfile,
    SizeSegment,
)
from tests.conftest import logged_in, ok

pytestmark = pytest.mark.django_db

LISTS = reverse("pratiques:curation:reference_lists")


def edit(kind: str, pk: int) -> str:
    return reverse("pratiques:curation:reference_edit", args=[kind, pk])


def test_page_full_and_fragment(nadia, htmx, django_assert_max_num_queries) -> None:
    client = logged_in(nadia)
    with django_assert_max_num_queries(10):
        html = ok(client.get(LISTS)).content.decode()
    assert "<html" in html and "Profil 1 sur 4" in html and "Transition énergétique" in html
    fragment = client.get(LISTS, headers=htmx).content.decode()
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="listes"')


def test_rename_a_maturity_profile_with_htmx(nadia, htmx) -> None:
    profile = MaturityProfile.objects.get(rank=1)
    client = logged_in(nadia)
    form = client.get(edit("maturite", profile.pk), headers=htmx).content.decode()
    assert "<html" not in form and "Profil 1 sur 4" in form
    response = client.post(
        edit("maturite", profile.pk),
        {"label": "Écosystème en émergence", "description": "Libellé choisi par le réseau."},
        headers=htmx,
    )
    assert response["HX-Retarget"] == "#listes"
    assert "Écosystème en émergence" in response.content.decode()
    event = CurationEvent.objects.get(action="maturityprofile.update")
    assert event.before["label"] == "Profil 1 sur 4"
    assert event.after["label"] == "Écosystème en émergence"


def test_regroup_a_fragility_without_javascript(nadia) -> None:
    fragility = Fragility.objects.order_by("order").last()
    criterion = FragilityCriterion.objects.get(code="economiques")
    response = logged_in(nadia).post(
        edit("fragilite", fragility.pk),
        {"criterion": criterion.pk, "criterion_note": "Choix du réseau, séminaire 2025."},
    )
    assert response.status_code == 302
    fragility.refresh_from_db()
    assert fragility.criterion == criterion
    assert fragility.criterion_note == "Choix du réseau, séminaire 2025."


def test_actor_profile(nadia) -> None:
    profile = ActorProfile.objects.order_by("order").first()
    logged_in(nadia).post(
        edit("acteur", profile.pk),
        {"label": profile.label, "description": "Précision du réseau.", "has_repere_sheet": "on"},
    )
    profile.refresh_from_db()
    assert profile.description == "Précision du réseau." and profile.has_repere_sheet


def test_segment_threshold_moves_the_next_segment(nadia) -> None:
    small = SizeSegment.objects.get(code="moins-de-2000")
    response = logged_in(nadia).post(
        edit("segment", small.pk),
        {
            "label": "moins de 3 500 habitants",
            "max_population": 3500,
            "priority_lever": small.priority_lever,
            "lever_description": small.lever_description,
        },
    )
    assert response.status_code == 302
    small.refresh_from_db()
    assert small.max_population == 3500
    assert SizeSegment.objects.get(code="moins-de-20000").min_population == 3500
    assert CurationEvent.objects.filter(action="sizesegment.update").count() == 2


def test_segment_threshold_errors_are_french_and_nothing_changes(nadia, htmx) -> None:
    small = SizeSegment.objects.get(code="moins-de-2000")
    response = logged_in(nadia).post(
        edit("segment", small.pk),
        {"label": "x", "max_population": 30000, "priority_lever": "x", "lever_description": ""},
        headers=htmx,
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "La borne doit rester sous celle du segment suivant (20 000 habitants)." in html
    assert 'value="30000"' in html
    small.refresh_from_db()
    assert (small.label, small.max_population) == ("moins de 2 000 habitants", 2000)
    last = SizeSegment.objects.get(code="plus-de-50000")
    response = logged_in(nadia).post(
        edit("segment", last.pk),
        {
            "label": last.label,
            "max_population": 90000,
            "priority_lever": "x",
            "lever_description": "",
        },
    )
    assert response.status_code == 400
    assert "Le dernier segment n&#x27;a pas de borne supérieure." in response.content.decode()


def test_an_empty_label_is_refused_with_400_and_nothing_is_recorded(nadia, htmx) -> None:
    profile = MaturityProfile.objects.get(rank=1)
    response = logged_in(nadia).post(
        edit("maturite", profile.pk), {"label": " ", "description": "x"}, headers=htmx
    )
    assert response.status_code == 400 and "HX-Retarget" not in response
    assert "Ce champ est obligatoire." in response.content.decode()
    profile.refresh_from_db()
    assert profile.label == "Profil 1 sur 4"
    assert not CurationEvent.objects.exists()
