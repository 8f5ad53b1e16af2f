"""The catalyst's and the network admin's spaces: what they land on after logging in."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from observatoire.services import catalogue_import
from pratiques.models import Answer
from territoires.models import Mandate
from tests.conftest import logged_in
from tests.observatoire.conftest import CATALOGUE_CSV
from tests.pratiques.curation_helpers import copy_current
from tests.pratiques.helpers import answer_all, start, submitted


@pytest.mark.django_db
def test_a_catalyst_sees_draft_results_practices_to_develop_and_organisation(
    alice: User, geo: Any, django_assert_max_num_queries: Any
) -> None:
    done = submitted(alice, geo.vincennes, 2, 1, organisation_name="Agence du Val")
    Answer.objects.filter(assessment=done, practice__code="1.2").update(wants_to_develop=True)
    draft = start(alice, geo.vincennes)
    answer_all(draft, 1, 1)
    client = logged_in(alice)
    with django_assert_max_num_queries(7):
        html = client.get("/espace/catalyseur/").content.decode()
    assert f"/pratiques/evaluations/{draft.pk}/" in html and "24 / 24" in html
    assert f"/pratiques/evaluations/{done.pk}/resultats/" in html
    assert "Financer l&#x27;ingénierie que je porte" in html
    assert "Agence du Val" in html


@pytest.mark.django_db
def test_a_new_catalyst_is_invited_to_start(alice: User) -> None:
    html = logged_in(alice).get("/espace/catalyseur/").content.decode()
    assert "Commencer une auto-évaluation" in html and "Aucune auto-évaluation en cours" in html


@pytest.mark.django_db
def test_an_admin_sees_grid_drafts_imports_to_confirm_and_batches(
    nadia: User, geo: Any, settings: Any, tmp_path: Any, django_assert_max_num_queries: Any
) -> None:
    settings.CACHE_DIR = tmp_path
    copy_current(nadia, label="2027")
    run = catalogue_import(data=CATALOGUE_CSV.encode(), file_name="cat.csv", dry_run=True)
    client = logged_in(nadia)
    with django_assert_max_num_queries(10):  # + the mandates to confirm, the examples to review
        html = client.get("/espace/administration/").content.decode()
    assert "/pratiques/administration/versions/2027/" in html
    assert f"/observatoire/imports/{run.pk}/" in html and "à confirmer" in html
    assert "Aucun lot lancé" in html


@pytest.mark.django_db
def test_an_admin_sees_the_mandates_to_confirm(
    nadia: User, elise: User, geo: Any, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(nadia)
    assert "Aucun mandat en attente." in client.get("/espace/administration/").text
    Mandate.objects.create(user=elise, territory=geo.vincennes, role_label="maire")
    with django_assert_max_num_queries(10):
        html = client.get("/espace/administration/").text
    assert "Mandats à confirmer" in html and "maire, Vincennes" in html
    assert f"/comptes/personnes/{elise.pk}/" in html


@pytest.mark.django_db
def test_an_admin_sees_the_examples_to_review(nadia: User, alice: User, geo: Any) -> None:
    from pratiques.models import ExampleStatus
    from tests.pratiques.directory_helpers import example

    client = logged_in(nadia)
    assert "Aucun exemple à relire." in client.get("/espace/administration/").text
    example("Un tiers-lieu rural", status=ExampleStatus.PROPOSED)
    html = client.get("/espace/administration/").text
    assert "<strong>1</strong> exemple inspirant proposé" in html
