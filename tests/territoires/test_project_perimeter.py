"""Project perimeters that stay right: région/département from the members, archive, delete."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from territoires.models import Level, Territory
from territoires.queries import search_territories
from territoires.services import (
    maturity_assess,
    project_archive,
    project_create,
    project_delete,
    project_member_add,
    project_member_remove,
)
from tests.conftest import logged_in
from tests.factories import territory
from tests.pratiques.helpers import start


def _in_ain(geo) -> Territory:
    ara = geo.ara
    ain = territory(Level.DEPARTEMENT, "01", "Ain", 650_000, region=ara)
    return Territory.objects.create(
        level=Level.COMMUNE,
        code="01173",
        name="Gex",
        population=13_000,
        region=ara,
        departement=ain,
        postal_codes="01170",
    )


@pytest.mark.django_db
def test_region_and_departement_follow_the_members(geo) -> None:
    gex = _in_ain(geo)
    project = project_create(name="PETR du Pays", members=[geo.vincennes], user=None)
    assert (project.region, project.departement) == (geo.idf, geo.val_de_marne)

    # Adding a more populous member elsewhere: the main département is the most populous one.
    project_member_add(project=project, member=geo.saint_etienne)
    project.refresh_from_db()
    assert (project.region, project.departement) == (geo.ara, geo.loire)
    assert project.population == 48_193 + 173_136

    # The first member removed: nothing of it stays (the issue's « Gironde » for a project in Ain).
    project_member_add(project=project, member=gex)
    project_member_remove(project=project, member=geo.vincennes)
    project_member_remove(project=project, member=geo.saint_etienne)
    project.refresh_from_db()
    assert (project.region.code, project.departement.code) == ("84", "01")
    assert project.population == 13_000


@pytest.mark.django_db
def test_the_page_lists_every_departement_covered(geo, client) -> None:
    project = project_create(
        name="PETR à cheval", members=[geo.vincennes, geo.saint_etienne], user=None
    )
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Départements couverts" in html
    assert html.index("Loire") < html.index("Val-de-Marne")  # most populous first
    assert "le plus peuplé, Loire, sert de département principal" in html


@pytest.mark.django_db
def test_deletion_is_refused_while_assessments_point_to_it(geo, alice) -> None:
    project = project_create(name="PETR évalué", members=[geo.vincennes], user=None)
    assessment = start(alice, project)
    with pytest.raises(ValidationError) as refused:
        project_delete(project=project)
    assert "auto-évaluation" in refused.value.messages[0]
    assert "Archivez-le plutôt" in refused.value.messages[0]
    assert Territory.objects.filter(pk=project.pk).exists()
    assert project.memberships.count() == 1

    assessment.delete()
    project_delete(project=project)
    assert not Territory.objects.filter(pk=project.pk).exists()


@pytest.mark.django_db
def test_deletion_is_refused_while_its_maturity_history_exists(geo) -> None:
    project = project_create(name="PETR suivi", members=[geo.vincennes], user=None)
    maturity_assess(
        territory=project,
        ecosystem_score=2,
        pivot_score=2,
        skills_score=2,
        rationale="Diagnostic.",
        user=None,
    )
    with pytest.raises(ValidationError, match="évaluation\\(s\\) de maturité"):
        project_delete(project=project)


@pytest.mark.django_db
def test_delete_view_refuses_with_the_reason_then_deletes(geo, nadia, alice) -> None:
    client = logged_in(nadia)
    project = project_create(name="PETR vue", members=[geo.vincennes], user=None)
    assessment = start(alice, project)
    unconfirmed = client.post(f"/territoires/projet/{project.code}/supprimer/")
    assert unconfirmed.status_code == 400
    assert "Cochez la case de confirmation" in unconfirmed.content.decode()
    refused = client.post(f"/territoires/projet/{project.code}/supprimer/", {"confirmer": "oui"})
    assert refused.status_code == 409
    assert "Impossible de supprimer « PETR vue »" in refused.content.decode()
    assessment.delete()
    deleted = client.post(f"/territoires/projet/{project.code}/supprimer/", {"confirmer": "oui"})
    assert deleted.status_code == 302
    assert not Territory.objects.filter(level=Level.PROJECT, code=project.code).exists()


@pytest.mark.django_db
def test_delete_and_archive_check_the_role(geo, alice) -> None:
    project = project_create(name="PETR gardé", members=[geo.vincennes], user=None)
    client = logged_in(alice)
    assert client.post(f"/territoires/projet/{project.code}/supprimer/").status_code == 403
    assert client.post(f"/territoires/projet/{project.code}/archiver/").status_code == 403
    assert Territory.objects.filter(pk=project.pk, archived_at__isnull=True).exists()


@pytest.mark.django_db
def test_an_archived_project_leaves_the_search(geo, nadia) -> None:
    project = project_create(name="PETR Vincennois", members=[geo.vincennes], user=None)
    assert search_territories("petr vincennois")[0].territory == project
    response = logged_in(nadia).post(
        f"/territoires/projet/{project.code}/archiver/", {"archive": "oui"}
    )
    assert response.status_code == 302
    assert search_territories("petr vincennois") == []
    project_archive(project=project, archived=False)
    assert search_territories("petr vincennois")[0].territory == project


@pytest.mark.django_db
def test_demo_projects_only_in_demo_mode(geo, client) -> None:
    project_create(name="Est parisien démo", members=[geo.vincennes], user=None, is_demo=True)
    assert search_territories("est parisien") == []
    assert (
        "Est parisien" not in client.get("/territoires/recherche/", {"q": "est"}).content.decode()
    )
    with override_settings(DEMO_MODE=True):
        assert search_territories("est parisien")[0].name == "Est parisien démo"
