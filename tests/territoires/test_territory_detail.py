from __future__ import annotations

import pytest
from django.test import Client

from territoires.models import Level, Territory
from territoires.services import project_create
from tests.conftest import logged_in, ok


@pytest.mark.django_db
def test_commune_page(geo, client: Client, django_assert_num_queries) -> None:
    # territory+parents, segments, arrondissements, projects, maturity, fragility readings,
    # fragilities, confirmed officials
    with django_assert_num_queries(8):
        response = client.get("/territoires/commune/94080/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and "<h1" in html and "Vincennes" in html
    assert "48\u00a0193" in html
    assert "moins de 50 000 habitants" in html and "entrepreneuriat territorial" in html
    assert 'href="/territoires/departement/94/"' in html
    assert 'href="/territoires/region/11/"' in html
    assert 'href="/territoires/epci/200054781/"' in html
    assert 'href="/territoires/pays/FR/"' in html
    assert "Aucune évaluation de maturité" in html
    assert html.count("non renseigné</span>") == 16


@pytest.mark.django_db
def test_htmx_fragment(geo, client: Client, htmx) -> None:
    html = client.get("/territoires/commune/94080/", headers=htmx).content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<article id="territoire"')


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/territoires/commune/99999/",
        "/territoires/planete/94080/",
        "/territoires/epci/94080/",
        "/territoires/projet/inconnu/",
        "/territoires/commune/" + "9" * 300 + "/",
    ],
)
def test_unknown_territory_is_a_french_404(geo, client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_france_is_reachable(geo, client: Client) -> None:
    assert client.get("/territoires/pays/FR/").status_code == 200


def add_communes(epci: Territory, count: int) -> None:
    Territory.objects.bulk_create(
        [
            Territory(
                level=Level.COMMUNE,
                code=f"9{n:04d}",
                name=f"Commune {n}",
                population=100 + n,
                echelon="local",
                epci=epci,
                search_name=f"commune {n}",
            )
            for n in range(count)
        ]
    )


@pytest.mark.django_db
def test_epci_members_are_paginated(geo, client: Client, htmx) -> None:
    add_communes(geo.grand_paris, 40)  # 42 members, 25 a page
    html = client.get("/territoires/epci/200054781/").content.decode()
    assert "Communes membres (42)" in html
    assert "Page 1 sur 2" in html
    assert 'href="?page=2#communes"' in html and 'hx-get="?page=2"' in html
    fragment = client.get(
        "/territoires/epci/200054781/",
        {"page": 2},
        headers={**htmx, "HX-Target": "communes"},
    ).content.decode()
    assert "<html" not in fragment and fragment.strip().startswith(
        '<section class="panel page-part" id="communes"'
    )
    assert "Page 2 sur 2" in fragment


@pytest.mark.django_db
def test_query_count_does_not_grow_with_members(
    geo, client: Client, django_assert_num_queries
) -> None:
    add_communes(geo.grand_paris, 60)
    # territory, segments, count, page of communes, projects, maturity, readings, fragilities,
    # confirmed officials
    with django_assert_num_queries(9):
        ok(client.get("/territoires/epci/200054781/"))
    add_communes(geo.st_etienne_metropole, 0)
    project = project_create(
        name="PETR test", members=[geo.grand_paris, geo.vincennes, geo.firminy], user=None
    )
    # territory, segments, members, départements and régions covered, maturity, readings,
    # fragilities, confirmed officials
    with django_assert_num_queries(9):
        html = ok(client.get(project.get_absolute_url())).content.decode()
    assert "Membres du territoire de projet (3)" in html


@pytest.mark.django_db
def test_projects_it_belongs_to(geo, client: Client) -> None:
    project = project_create(name="Pays de l'Est", members=[geo.grand_paris], user=None)
    html = client.get("/territoires/commune/94080/").content.decode()
    assert f'href="{project.get_absolute_url()}"' in html


@pytest.mark.django_db
def test_other_apps_sections_and_report_link(geo, client: Client, settings) -> None:
    settings.TERRITORY_PAGE_SECTIONS = [
        ("territoires:fragility_create", "Une partie servie ailleurs"),
        ("nulle:part", "Pas encore construite"),
    ]
    settings.TERRITORY_REPORT_URL_NAME = "territoires:maturity_create"
    html = client.get("/territoires/commune/94080/").content.decode()
    assert 'hx-get="/territoires/commune/94080/fragilites/" hx-trigger="load"' in html
    assert '<a href="/territoires/commune/94080/fragilites/">' in html
    assert "Pas encore construite" not in html
    assert 'href="/territoires/commune/94080/maturite/">Télécharger le rapport (PDF)' in html


@pytest.mark.django_db
def test_without_resolvable_sections_nothing_breaks(geo, client: Client) -> None:
    html = client.get("/territoires/commune/94080/").content.decode()
    assert "Télécharger le rapport (PDF)" not in html or "/rapport" in html


@pytest.mark.django_db
def test_admin_sees_the_forms_links(geo, nadia) -> None:
    html = logged_in(nadia).get("/territoires/commune/94080/").content.decode()
    assert 'href="/territoires/commune/94080/maturite/"' in html
    assert "/territoires/commune/94080/fragilites/?domaine=" in html
