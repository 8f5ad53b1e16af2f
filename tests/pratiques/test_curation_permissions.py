"""Only network admins reach the curation pages: 403 for others, login for anonymous."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from pratiques.models import Practice, Resource, Situation
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def admin_urls() -> list[str]:
    practice = Practice.objects.filter(version__slug="2024").first()
    situation = Situation.objects.filter(version__slug="2024").first()
    resource = Resource.objects.first()
    name = "pratiques:curation:"
    return [
        reverse(name + "home"),
        reverse(name + "version_new"),
        reverse(name + "version", args=["2024"]),
        reverse(name + "version_publish", args=["2024"]),
        reverse(name + "version_delete", args=["2024"]),
        reverse(name + "lineage", args=["2024"]),
        reverse(name + "element_edit", args=["2024", "pratique", practice.pk]),
        reverse(name + "element_add", args=["2024", "pratique"]) + f"?parent={situation.pk}",
        reverse(name + "element_remove", args=["2024", "pratique", practice.pk]),
        reverse(name + "compare"),
        reverse(name + "history"),
        reverse(name + "reference_lists"),
        reverse(name + "reference_edit", args=["maturite", 1]),
        reverse(name + "resources"),
        reverse(name + "resource_new"),
        reverse(name + "resource_edit", args=[resource.pk]),
        reverse(name + "analytics"),
        reverse(name + "export_csv"),
        reverse(name + "export_xlsx"),
    ]


@pytest.mark.parametrize("persona", ["alice", "elise"])
def test_others_get_403(request, persona) -> None:
    client = logged_in(request.getfixturevalue(persona))
    for url in admin_urls():
        assert client.get(url).status_code == 403, url


def test_posts_are_refused_too(alice) -> None:
    client = logged_in(alice)
    practice = Practice.objects.filter(version__slug="2024").first()
    urls = [
        reverse("pratiques:curation:version_new"),
        reverse("pratiques:curation:element_move", args=["2024", "pratique", practice.pk]),
        reverse("pratiques:curation:resource_delete", args=[Resource.objects.first().pk]),
    ]
    for url in urls:
        assert client.post(url, {"label": "2030", "direction": "up"}).status_code == 403
    assert Resource.objects.count() == 18


def test_anonymous_is_sent_to_login() -> None:
    response = Client().get(reverse("pratiques:curation:home"))
    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]


def test_admin_reaches_every_page(nadia) -> None:
    client = logged_in(nadia)
    for url in admin_urls():
        # Editing an element of the published version sends back to it, with the reason.
        expected = 302 if "/versions/2024/pratique/" in url else 200
        assert client.get(url).status_code == expected, url


def test_missing_objects_are_404(nadia) -> None:
    client = logged_in(nadia)
    name = "pratiques:curation:"
    for url in [
        reverse(name + "version", args=["1999"]),
        reverse(name + "element_edit", args=["2024", "pratique", 999999]),
        reverse(name + "element_edit", args=["2024", "inconnu", 1]),
        reverse(name + "reference_edit", args=["inconnu", 1]),
        reverse(name + "reference_edit", args=["maturite", 999]),
        reverse(name + "resource_edit", args=[999999]),
    ]:
        assert client.get(url).status_code == 404, url
