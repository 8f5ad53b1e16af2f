"""The draft editor: the tree, inline editing (HTMX and plain forms), add, remove, reorder."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pratiques.models import Axis, CurationEvent, GridVersion, Practice, ScaleStep, Situation
from tests.conftest import logged_in, ok
from tests.pratiques.curation_helpers import copy_current

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"pratiques:curation:{name}", args=args)


def test_home_lists_versions_and_copies_the_current_one(
    nadia, htmx, django_assert_max_num_queries
) -> None:
    client = logged_in(nadia)
    with django_assert_max_num_queries(10):
        response = ok(client.get(url("home")))
    html = response.content.decode()
    assert "Grille 2024" in html and "Grille 2023" in html and "<html" in html
    # No page swaps a part of this one in: an HTMX request gets the same whole page.
    again = client.get(url("home"), headers=htmx).content.decode()
    assert "<html" in again and 'id="versions"' in again

    response = client.post(url("version_new"), {"label": "2025", "notes": ""})
    assert response.status_code == 302
    assert response["Location"] == url("version", "2025")
    assert GridVersion.objects.get(slug="2025").status == "draft"


def test_new_version_errors_are_shown_in_french(nadia, htmx) -> None:
    client = logged_in(nadia)
    response = client.post(url("version_new"), {"label": "2024"})
    assert response.status_code == 400
    assert "Une version « 2024 » existe déjà." in response.content.decode()
    response = client.post(url("version_new"), {"label": ""}, headers=htmx)
    html = response.content.decode()
    assert response.status_code == 400
    assert "<html" not in html and "Ce champ est obligatoire." in html
    copy_current(nadia)
    response = client.post(url("version_new"), {"label": "2026"}, headers=htmx)
    assert response.status_code == 400
    assert "Un brouillon existe déjà" in response.content.decode()


def test_htmx_creation_redirects_the_browser(nadia, htmx) -> None:
    response = logged_in(nadia).post(url("version_new"), {"label": "2025"}, headers=htmx)
    assert response.status_code == 200
    assert response["HX-Redirect"] == url("version", "2025")


def test_editor_full_page_and_fragment(nadia, htmx, django_assert_max_num_queries) -> None:
    draft = copy_current(nadia)
    client = logged_in(nadia)
    with django_assert_max_num_queries(12):
        response = ok(client.get(url("version", draft.slug)))
    html = response.content.decode()
    assert "<html" in html and "Vérifier et publier" in html
    assert "Financer l&#x27;ingénierie que je porte" in html
    assert html.count(">Modifier<") == 3 + 8 + 24 + 11
    fragment = client.get(url("version", draft.slug), headers=htmx).content.decode()
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="grille"')


def test_a_new_axis_without_situation_shows_in_the_editor(
    nadia, django_assert_max_num_queries
) -> None:
    draft = copy_current(nadia)
    client = logged_in(nadia)
    response = client.post(
        url("element_add", draft.slug, "axe"),
        {"title": "Expertises de Coopération", "description": "", "lever": "action"},
    )
    assert response.status_code == 302
    with django_assert_max_num_queries(12):
        html = ok(client.get(url("version", draft.slug))).content.decode()
    assert "Expertises de Coopération" in html and "4 axes, 8 situations, 24 pratiques." in html


def test_published_version_is_read_only(nadia) -> None:
    html = logged_in(nadia).get(url("version", "2024")).content.decode()
    assert "ne peut plus changer" in html
    assert ">Modifier<" not in html


def test_inline_rename_with_htmx(nadia, htmx) -> None:
    draft = copy_current(nadia)
    practice = Practice.objects.get(version=draft, code="1.2")
    client = logged_in(nadia)
    edit = url("element_edit", draft.slug, "pratique", practice.pk)

    form = client.get(edit, headers=htmx).content.decode()
    assert "<html" not in form and 'hx-post="' + edit in form
    assert "Financer l&#x27;ingénierie que je porte" in form

    response = client.post(
        edit, {"label": "Financer mon ingénierie", "situation": practice.situation_id}, headers=htmx
    )
    assert response["HX-Retarget"] == "#grille"
    assert "Financer mon ingénierie" in response.content.decode()
    practice.refresh_from_db()
    assert practice.label == "Financer mon ingénierie"
    assert CurationEvent.objects.filter(action="practice.update", actor=nadia).exists()


def test_empty_label_is_refused_and_form_kept(nadia, htmx) -> None:
    draft = copy_current(nadia)
    practice = Practice.objects.get(version=draft, code="1.2")
    edit = url("element_edit", draft.slug, "pratique", practice.pk)
    response = logged_in(nadia).post(
        edit, {"label": "  ", "situation": practice.situation_id}, headers=htmx
    )
    html = response.content.decode()
    assert response.status_code == 400 and "HX-Retarget" not in response
    assert "Ce champ est obligatoire." in html
    practice.refresh_from_db()
    assert practice.label == "Financer l'ingénierie que je porte"


def test_plain_form_edit_without_javascript(nadia) -> None:
    draft = copy_current(nadia)
    situation = Situation.objects.get(version=draft, code="2")
    edit = url("element_edit", draft.slug, "situation", situation.pk)
    client = logged_in(nadia)
    page = client.get(edit).content.decode()
    assert "<html" in page and "Modifier la situation 2" in page
    response = client.post(
        edit,
        {
            "title": "Contractualiser",
            "scope_note": "De la négociation au bilan",
            "axis": situation.axis_id,
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#situation-{situation.pk}")
    situation.refresh_from_db()
    assert situation.scope_note == "De la négociation au bilan"


def test_scale_step_labels_are_editable(nadia, htmx) -> None:
    draft = copy_current(nadia)
    step = ScaleStep.objects.get(version=draft, scale="frequency", value=1)
    response = logged_in(nadia).post(
        url("element_edit", draft.slug, "echelon", step.pk),
        {"label": "De temps en temps", "description": "Quelques fois par an."},
        headers=htmx,
    )
    assert "De temps en temps" in response.content.decode()
    step.refresh_from_db()
    assert (step.label, step.description) == ("De temps en temps", "Quelques fois par an.")


def test_add_practice_with_htmx_and_without(nadia, htmx) -> None:
    draft = copy_current(nadia)
    situation = Situation.objects.get(version=draft, code="8")
    add = url("element_add", draft.slug, "pratique") + f"?parent={situation.pk}"
    client = logged_in(nadia)
    form = client.get(add, headers=htmx).content.decode()
    assert "<html" not in form and f'value="{situation.pk}" selected' in form
    response = client.post(
        add, {"label": "Rendre compte aux habitants", "situation": situation.pk}, headers=htmx
    )
    assert "8.4" in response.content.decode()
    response = client.post(
        add, {"label": "Animer un conseil de développement", "situation": situation.pk}
    )
    assert response.status_code == 302
    assert list(
        Practice.objects.filter(situation=situation).order_by("order").values_list("code", "label")
    )[-2:] == [
        ("8.4", "Rendre compte aux habitants"),
        ("8.5", "Animer un conseil de développement"),
    ]


def test_add_axis_and_situation(nadia) -> None:
    draft = copy_current(nadia)
    client = logged_in(nadia)
    client.post(
        url("element_add", draft.slug, "axe"),
        {"title": "Nouvel axe", "description": "", "lever": "vision"},
    )
    axis = Axis.objects.get(version=draft, code="4")
    client.post(
        url("element_add", draft.slug, "situation"),
        {"title": "Nouvelle situation", "scope_note": "", "axis": axis.pk},
    )
    assert Situation.objects.get(version=draft, code="9").axis == axis


def test_remove_and_reorder(nadia, htmx) -> None:
    draft = copy_current(nadia)
    client = logged_in(nadia)
    practice = Practice.objects.get(version=draft, code="3.3")
    remove = url("element_remove", draft.slug, "pratique", practice.pk)
    page = client.get(remove).content.decode()
    assert "Retirer la pratique 3.3 « Manager les équipes projets » ?" in page
    response = client.post(remove, headers=htmx)
    assert response["HX-Retarget"] == "#grille"
    assert not Practice.objects.filter(pk=practice.pk).exists()

    first = Practice.objects.get(version=draft, code="4.1")
    response = client.post(
        url("element_move", draft.slug, "pratique", first.pk), {"direction": "down"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.code == "4.2"
    response = client.post(
        url("element_move", draft.slug, "pratique", first.pk), {"direction": "sideways"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.code == "4.2"


def test_editing_a_published_version_is_refused(nadia, htmx) -> None:
    practice = Practice.objects.get(version__slug="2024", code="1.1")
    client = logged_in(nadia)
    edit = url("element_edit", "2024", "pratique", practice.pk)
    response = client.post(edit, {"label": "X", "situation": practice.situation_id})
    assert response.status_code == 302
    response = client.post(edit, {"label": "X", "situation": practice.situation_id}, headers=htmx)
    assert "ne peut plus changer" in response.content.decode()
    practice.refresh_from_db()
    assert practice.label == "Financer les projets"


def test_notes_of_the_draft(nadia) -> None:
    draft = copy_current(nadia)
    logged_in(nadia).post(
        url("version_notes", draft.slug), {"notes": "Après le séminaire de juin."}
    )
    draft.refresh_from_db()
    assert draft.notes == "Après le séminaire de juin."


def test_remove_confirmation_page(nadia, htmx) -> None:
    draft = copy_current(nadia)
    situation = Situation.objects.get(version=draft, code="4")
    html = (
        logged_in(nadia)
        .get(url("element_remove", draft.slug, "situation", situation.pk), headers=htmx)
        .content.decode()
    )
    # A page of its own (its link is not swapped in): an HTMX request gets the whole page too.
    assert "<html" in html and "Ses pratiques seront retirées aussi." in html
