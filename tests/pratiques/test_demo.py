from __future__ import annotations

import io

import pytest

from config.roles import Role
from pratiques.demo import DEMO_COUNT, load_demo_assessments
from pratiques.models import Assessment, PeerBucket
from tests.conftest import logged_in, make_user

pytestmark = pytest.mark.django_db


def test_demo_data_is_deterministic_labelled_and_idempotent(
    geo, django_assert_max_num_queries
) -> None:
    demo = make_user("catalyseur-demo", Role.CATALYST)
    out = io.StringIO()
    with django_assert_max_num_queries(75):  # + the demo catalyst's two plans
        load_demo_assessments(stdout=out)
    assert Assessment.objects.filter(is_demo=False).count() == 0
    submitted = Assessment.objects.filter(status="submitted")
    assert submitted.count() == DEMO_COUNT + 2
    assert PeerBucket.objects.get(group_kind="all", dimension="n").count > 300
    mine = list(Assessment.objects.filter(user=demo).order_by("created_at", "pk"))
    assert [a.status for a in mine] == ["submitted", "submitted", "draft"]
    load_demo_assessments(stdout=out)  # idempotent
    assert Assessment.objects.count() == DEMO_COUNT + 3
    assert "déjà présentes" in out.getvalue()
    # The demo login sees its past, its peers (from a release) and the « over time » comparison.
    from pratiques.aggregates import release_aggregates

    release_aggregates()
    latest = (
        Assessment.objects.filter(user=demo, status="submitted").order_by("-submitted_at").first()
    )
    html = logged_in(demo).get(f"/pratiques/evaluations/{latest.pk}/resultats/").content.decode()
    assert "Données de démonstration" in html and "Médiane" in html and "Ce qui a bougé" in html


def test_the_demo_dialogue_page(geo) -> None:
    demo = make_user("catalyseur-demo", Role.CATALYST)
    load_demo_assessments(stdout=io.StringIO())
    organisation = demo.pratiques_organisations.first()
    html = logged_in(demo).get(f"/pratiques/organisations/{organisation.pk}/").content.decode()
    assert "Dialogue sur les pratiques" in html and "données de démonstration" in html
    assert "En partenariat" in html or "En interne" in html
