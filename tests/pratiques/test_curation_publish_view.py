"""Publishing a draft from its page; deleting a draft; recording splits and merges."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pratiques.models import GridVersion, KeyLineage, Practice, Situation
from tests.conftest import logged_in, ok
from tests.pratiques.curation_helpers import copy_current

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"pratiques:curation:{name}", args=args)


def test_check_page_lists_errors(nadia, htmx) -> None:
    draft = copy_current(nadia)
    Practice.objects.filter(situation__version=draft, situation__code="5").delete()
    client = logged_in(nadia)
    html = client.get(url("version_publish", draft.slug)).content.decode()
    assert "<html" in html
    assert "La situation 5 « Créer des liens » n&#x27;a aucune pratique." in html
    assert "Publier la version" not in html
    response = client.post(url("version_publish", draft.slug), headers=htmx)
    fragment = response.content.decode()
    assert "<html" not in fragment and "aucune pratique" in fragment
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publish_full_page_and_htmx(nadia, htmx) -> None:
    draft = copy_current(nadia)
    client = logged_in(nadia)
    page = client.get(url("version_publish", draft.slug), headers=htmx).content.decode()
    assert "<html" not in page and "la version 2024 est archivée" in page
    response = client.post(url("version_publish", draft.slug), headers=htmx)
    assert response.status_code == 200 and response["HX-Redirect"] == url("version", "2025")
    assert GridVersion.objects.get(slug="2025").status == "published"
    assert GridVersion.objects.get(slug="2024").status == "archived"
    # Publishing again is refused plainly.
    html = client.post(url("version_publish", "2025")).content.decode()
    assert "ne peut plus changer" in html


def test_publish_without_javascript(nadia) -> None:
    draft = copy_current(nadia)
    response = logged_in(nadia).post(url("version_publish", draft.slug))
    assert response.status_code == 302 and response["Location"] == url("version", "2025")


def test_delete_draft_page(nadia, htmx) -> None:
    draft = copy_current(nadia)
    client = logged_in(nadia)
    # A page of its own (its link is not swapped in): an HTMX request gets the whole page.
    page = client.get(url("version_delete", draft.slug), headers=htmx).content.decode()
    assert "<html" in page and "Supprimer" in page
    response = client.post(url("version_delete", draft.slug))
    assert response.status_code == 302
    assert not GridVersion.objects.filter(slug="2025").exists()
    html = client.post(url("version_delete", "2024")).content.decode()
    assert "ne peut plus changer" in html
    assert GridVersion.objects.filter(slug="2024").exists()


def test_record_a_split(nadia, htmx) -> None:
    draft = copy_current(nadia)
    old = Practice.objects.get(version__slug="2024", code="2.3")
    new = list(Practice.objects.filter(version=draft, code__in=["2.1", "2.2"]))
    client = logged_in(nadia)
    page = client.get(url("lineage", draft.slug)).content.decode()
    assert "<html" in page and "Aucune scission" in page
    response = client.post(
        url("lineage", draft.slug),
        {
            "element_type": "practice",
            "kind": "split",
            "old_keys": [str(old.key)],
            "new_keys": [str(p.key) for p in new],
            "note": "Séminaire 2025",
        },
        headers=htmx,
    )
    html = response.content.decode()
    assert "<html" not in html and "Séminaire 2025" in html
    assert KeyLineage.objects.filter(version=draft, old_key=old.key).count() == 2
    bad = client.post(
        url("lineage", draft.slug),
        {
            "element_type": "practice",
            "kind": "merge",
            "old_keys": [str(old.key)],
            "new_keys": [str(new[0].key)],
        },
    )
    assert "Une fusion relie au moins deux éléments" in bad.content.decode()
    row = KeyLineage.objects.filter(version=draft).first()
    client.post(url("lineage_remove", draft.slug, row.pk))
    assert KeyLineage.objects.filter(version=draft).count() == 1


def test_lineage_of_a_published_version_is_read_only(nadia) -> None:
    html = logged_in(nadia).get(url("lineage", "2024")).content.decode()
    assert "Enregistrer une scission" not in html
    assert Situation.objects.filter(version__slug="2024").count() == 8


def test_the_publish_page_announces_the_effect_on_peers_and_territories(
    nadia, alice, geo, django_assert_max_num_queries
) -> None:
    from pratiques.curation import services as curation_services
    from pratiques.models import Vouch
    from tests.pratiques.helpers import submitted

    Vouch.objects.create(user=alice, source="invitation")  # only established people count
    for _ in range(2):
        submitted(alice, geo.vincennes, 2, 2)
    draft = copy_current(nadia)
    practice = Practice.objects.get(situation__version=draft, code="1.1")
    curation_services.element_remove(actor=nadia, element=practice)
    client = logged_in(nadia)
    with django_assert_max_num_queries(20):
        html = ok(client.get(url("version_publish", draft.slug))).content.decode()
    effects = html.split('id="publication-effects"')[1].split("</section>")[0]
    assert "Ce que la publication change pour les pairs et les territoires" in effects
    assert "<strong>Situations</strong> : 8 gardent leur clé." in effects
    assert "<strong>Pratiques</strong> : 23 gardent leur clé ; 1 retirée (1.1 " in effects
    assert "2 des 2 auto-évaluations validées et consenties ont un score" in effects
    assert "Les autres n’ont de score" not in effects  # said only when some do not count
    assert "une pratique retirée n’est plus publiée" in effects


def test_the_publish_page_lists_what_else_it_touches(nadia, alice, geo) -> None:
    from tests.pratiques.campaign_helpers import make_campaign
    from tests.pratiques.helpers import start

    start(alice, geo.vincennes)
    open_one = make_campaign("Étude 2026")
    draft = copy_current(nadia)
    html = ok(logged_in(nadia).get(url("version_publish", draft.slug))).content.decode()
    reach = html.split('id="publication-reach"')[1].split("</section>")[0]
    assert "Étude 2026" in reach and open_one.get_absolute_url() in reach
    assert "<strong>Auto-évaluations en cours sur la grille 2024</strong> : 1." in reach
    assert "aucune diffusion n’a encore eu lieu" in reach
