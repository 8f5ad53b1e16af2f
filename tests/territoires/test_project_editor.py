from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from territoires.forms import territory_choice_label
from territoires.models import Level, ProjectMember, Territory
from territoires.services import project_create, project_member_remove
from tests.conftest import logged_in, ok

NEW = "/territoires/projet/nouveau/"


@pytest.mark.django_db
def test_anonymous_goes_to_login(client) -> None:
    response = client.get(NEW)
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["alice", "elise"])
def test_it_checks_the_role(geo, persona: str, request) -> None:
    user = request.getfixturevalue(persona)
    project = project_create(name="PETR", members=[geo.vincennes], user=None)
    client = logged_in(user)
    assert client.get(NEW).status_code == 403
    assert client.get(f"/territoires/projet/{project.code}/modifier/").status_code == 403
    add = client.post(
        f"/territoires/projet/{project.code}/membres/ajouter/", {"member": "commune:94067"}
    )
    assert add.status_code == 403
    assert project.memberships.count() == 1


@pytest.mark.django_db
def test_create_full_page_and_htmx(geo, nadia, htmx) -> None:
    client = logged_in(nadia)
    assert "<html" in client.get(NEW).content.decode()
    # Its form is posted as a whole (no swap): an HTMX request gets the whole page.
    page = client.get(NEW, headers=htmx).content.decode()
    assert "<html" in page and 'id="form-projet"' in page
    response = client.post(
        NEW,
        {"name": "PETR du Val-de-Marne", "member": territory_choice_label(geo.grand_paris)},
    )
    project = Territory.objects.get(level=Level.PROJECT)
    assert response.status_code == 302
    assert response["Location"] == f"/territoires/projet/{project.code}/modifier/"
    assert project.population == geo.grand_paris.population
    assert project.created_by == nadia


@pytest.mark.django_db
def test_a_project_without_member_is_refused_in_french(geo, nadia) -> None:
    response = logged_in(nadia).post(NEW, {"name": "PETR vide", "member": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "Un territoire de projet doit compter au moins une intercommunalité ou une commune." in html
    )
    assert 'value="PETR vide"' in html  # nothing lost
    assert not Territory.objects.filter(level=Level.PROJECT).exists()
    with pytest.raises(ValidationError):
        project_create(name="Vide", members=[], user=None)


@pytest.mark.django_db
def test_a_departement_is_not_a_member(geo, nadia) -> None:
    html = logged_in(nadia).post(NEW, {"name": "PETR", "member": "departement:94"}).content.decode()
    assert "un territoire de projet réunit des intercommunalités" in html


@pytest.mark.django_db
def test_editor_page_and_fragment(geo, nadia, htmx, django_assert_num_queries) -> None:
    project = project_create(
        name="PETR", members=[geo.grand_paris, geo.vincennes, geo.firminy], user=None
    )
    client = logged_in(nadia)
    url = f"/territoires/projet/{project.code}/modifier/"
    client.get(url)
    # session, user, groups, project, segments, members
    with django_assert_num_queries(6):
        html = ok(client.get(url)).content.decode()
    assert "<html" in html and "Membres (3)" in html
    fragment = client.get(url, headers=htmx).content.decode()
    assert "<html" not in fragment and fragment.strip().startswith(
        '<section class="panel" id="membres"'
    )


@pytest.mark.django_db
def test_population_sums_members_without_double_counting(geo, nadia, htmx) -> None:
    project = project_create(name="PETR", members=[geo.vincennes], user=None)
    assert project.population == 48_193
    client = logged_in(nadia)
    add = f"/territoires/projet/{project.code}/membres/ajouter/"
    html = client.post(add, {"member": "commune:42095"}, headers=htmx).content.decode()
    assert "<html" not in html and "Firminy" in html
    project.refresh_from_db()
    assert project.population == 48_193 + 16_817
    # The EPCI of Vincennes joins: Vincennes is no longer counted on its own.
    client.post(add, {"member": "epci:200054781"}, headers=htmx)
    project.refresh_from_db()
    assert project.population == geo.grand_paris.population + 16_817
    assert (
        "plus de 50 000 habitants"
        in client.get(f"/territoires/projet/{project.code}/modifier/").content.decode()
    )


@pytest.mark.django_db
def test_add_without_javascript_redirects(geo, nadia) -> None:
    project = project_create(name="PETR", members=[geo.vincennes], user=None)
    response = logged_in(nadia).post(
        f"/territoires/projet/{project.code}/membres/ajouter/", {"member": "Saint-Mandé"}
    )
    assert response.status_code == 302
    assert project.memberships.count() == 2


@pytest.mark.django_db
def test_add_unknown_member_explains(geo, nadia, htmx) -> None:
    project = project_create(name="PETR", members=[geo.vincennes], user=None)
    html = (
        logged_in(nadia)
        .post(
            f"/territoires/projet/{project.code}/membres/ajouter/",
            {"member": "Atlantide"},
            headers=htmx,
        )
        .content.decode()
    )
    assert "Aucun territoire ne correspond à « Atlantide »" in html
    assert 'value="Atlantide"' in html


@pytest.mark.django_db
def test_remove_member_and_refuse_removing_the_last(geo, nadia, htmx) -> None:
    project = project_create(name="PETR", members=[geo.vincennes, geo.firminy], user=None)
    client = logged_in(nadia)
    url = f"/territoires/projet/{project.code}/membres/{geo.firminy.pk}/retirer/"
    html = client.post(url, headers=htmx).content.decode()
    assert "<html" not in html and "« Firminy » retiré du périmètre." in html
    assert 'href="/territoires/commune/42095/"' not in html
    project.refresh_from_db()
    assert project.population == 48_193
    last = f"/territoires/projet/{project.code}/membres/{geo.vincennes.pk}/retirer/"
    html = client.post(last, headers=htmx).content.decode()
    assert "Impossible de retirer le dernier membre" in html
    assert ProjectMember.objects.filter(project=project).count() == 1
    with pytest.raises(ValidationError):
        project_member_remove(project=project, member=geo.vincennes)


@pytest.mark.django_db
def test_unknown_project_is_404(nadia) -> None:
    client = logged_in(nadia)
    assert client.get("/territoires/projet/inconnu/modifier/").status_code == 404
    assert client.post("/territoires/projet/inconnu/membres/1/retirer/").status_code == 404


@pytest.mark.django_db
def test_rename(geo, nadia) -> None:
    project = project_create(name="PETR", members=[geo.vincennes], user=None)
    client = logged_in(nadia)
    response = client.post(
        f"/territoires/projet/{project.code}/modifier/",
        {"name": "Pays de l'Est", "description": ""},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "Pays de l'Est" and project.search_name == "pays de l est"
    assert (
        "Pays de l&#x27;Est"
        in client.get("/territoires/recherche/", {"q": "pays de l"}).content.decode()
    )
