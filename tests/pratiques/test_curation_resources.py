"""The M.E.D.O.C. library: seeded from the publications, edited, attached to practices by key."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pratiques.curation.services import resource_attach, version_publish
from pratiques.models import CurationEvent, Practice, Resource, ResourceAttachment
from pratiques.queries import resources_for_practice_keys
from tests.conftest import logged_in, ok
from tests.pratiques.curation_helpers import copy_current

pytestmark = pytest.mark.django_db

LIST = reverse("pratiques:curation:resources")


def test_seed_holds_the_resources_named_in_the_publications() -> None:
    titles = set(Resource.objects.values_list("title", flat=True))
    assert {
        "Référentiel « Co-construction territoriale »",
        "MOOC « Les alliances qui changent les territoires »",
        "Kit pratique « Réussir ensemble les transitions »",
        "Base IMPACT-Alliances",
    } <= titles
    assert set(Resource.objects.values_list("kind", flat=True)) == {
        "methodes",
        "exemples",
        "donnees",
        "outils",
        "competences",
    }
    mooc = Resource.objects.get(title__startswith="MOOC")
    assert mooc.url == "" and "sans lien" in mooc.note
    assert all(r.source for r in Resource.objects.all())


def test_library_full_and_fragment(nadia, htmx, django_assert_max_num_queries) -> None:
    practice = Practice.objects.get(version__slug="2024", code="5.2")
    for resource in Resource.objects.all()[:5]:
        resource_attach(actor=nadia, resource=resource, practice=practice)
    client = logged_in(nadia)
    with django_assert_max_num_queries(10):
        html = ok(client.get(LIST)).content.decode()
    assert "<html" in html and "Méthodes" in html and "Compétences" in html
    assert "5.2 Créer des liens entre acteurs de mon territoire" in html
    # The library fragment answers the attach / detach forms; the page itself is never swapped.
    assert "<html" in client.get(LIST, headers=htmx).content.decode()


def test_create_edit_delete(nadia) -> None:
    client = logged_in(nadia)
    new = reverse("pratiques:curation:resource_new")
    assert "<html" in client.get(new).content.decode()
    bad = client.post(new, {"title": "", "kind": "outils", "url": "pas une adresse"})
    html = bad.content.decode()
    assert "Ce champ est obligatoire." in html and "Saisissez une URL valide." in html
    response = client.post(
        new,
        {
            "title": "Guide de l'animation territoriale",
            "kind": "methodes",
            "url": "https://exemple.fr/guide",
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get(title="Guide de l'animation territoriale")
    client.post(
        reverse("pratiques:curation:resource_edit", args=[resource.pk]),
        {"title": "Guide de l'animation", "kind": "methodes", "url": ""},
    )
    resource.refresh_from_db()
    assert resource.title == "Guide de l'animation"
    client.post(reverse("pratiques:curation:resource_delete", args=[resource.pk]))
    assert not Resource.objects.filter(pk=resource.pk).exists()
    assert list(
        CurationEvent.objects.filter(target_type="resource")
        .order_by("at", "id")
        .values_list("action", flat=True)
    ) == ["resource.add", "resource.update", "resource.delete"]


def test_attach_and_detach_with_htmx(nadia, htmx) -> None:
    resource = Resource.objects.get(title="Base IMPACT-Alliances")
    practice = Practice.objects.get(version__slug="2024", code="5.3")
    client = logged_in(nadia)
    response = client.post(
        reverse("pratiques:curation:resource_attach", args=[resource.pk]),
        {"practice": practice.pk},
        headers=htmx,
    )
    assert response["HX-Retarget"] == "#bibliotheque"
    attachment = ResourceAttachment.objects.get(resource=resource)
    assert attachment.practice_key == practice.key
    response = client.post(reverse("pratiques:curation:resource_detach", args=[attachment.pk]))
    assert response.status_code == 302
    assert not ResourceAttachment.objects.exists()


def test_attach_without_a_practice_is_refused_with_400(nadia, htmx) -> None:
    resource = Resource.objects.get(title="Base IMPACT-Alliances")
    url = reverse("pratiques:curation:resource_attach", args=[resource.pk])
    client = logged_in(nadia)
    response = client.post(url, {"practice": ""}, headers=htmx)
    assert response.status_code == 400 and response["HX-Retarget"] == "#bibliotheque"
    html = response.content.decode()
    assert "<html" not in html and "Choisissez une pratique de la version courante." in html
    response = client.post(url, {"practice": "nope"})
    assert response.status_code == 400
    assert "Choisissez une pratique de la version courante." in response.content.decode()
    assert not ResourceAttachment.objects.exists()


def test_attachments_survive_a_new_version(nadia, django_assert_num_queries) -> None:
    resource = Resource.objects.get(title="Base IMPACT-Alliances")
    practice = Practice.objects.get(version__slug="2024", code="5.3")
    resource_attach(actor=nadia, resource=resource, practice=practice)
    draft = copy_current(nadia)
    version_publish(actor=nadia, version=draft)
    same = Practice.objects.get(version=draft, code="5.3")
    other = Practice.objects.get(version=draft, code="1.1")
    with django_assert_num_queries(1):
        found = resources_for_practice_keys([same.key, other.key])
    assert found == {same.key: [resource]}
    assert resources_for_practice_keys([]) == {}


def test_resource_form_page(nadia, htmx) -> None:
    client = logged_in(nadia)
    # Reached by a plain link (no swap): an HTMX request gets the whole page.
    page = client.get(reverse("pratiques:curation:resource_new"), headers=htmx).content.decode()
    assert "<html" in page and 'id="resource-form"' in page
    resource = Resource.objects.first()
    page = client.get(
        reverse("pratiques:curation:resource_edit", args=[resource.pk])
    ).content.decode()
    assert "<html" in page and "Supprimer la ressource" in page
