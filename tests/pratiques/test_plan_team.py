from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from pratiques import services
from pratiques.models import Organisation, PlanItem
from tests.conftest import logged_in, ok
from tests.factories import catalyst
from tests.pratiques.plan_helpers import with_plan

pytestmark = pytest.mark.django_db


def team(alice: User, bob: User, geo) -> tuple[Organisation, object]:
    _, plan = with_plan(alice, geo.vincennes, [0, 1], organisation_name="Agence")
    organisation = Organisation.objects.get()
    services.organisation_join(user=bob, join_code=organisation.join_code)
    first, second = plan.items.order_by("practice_code")
    PlanItem.objects.filter(pk=first.pk).update(way=1, note="note secrète d'Alice")
    PlanItem.objects.filter(pk=second.pk).update(way=2, partner="Département")
    return organisation, plan


def test_unshared_plan_is_invisible_shared_is_visible_notes_never(
    alice: User, bob: User, geo
) -> None:
    organisation, plan = team(alice, bob, geo)
    url = f"/pratiques/organisations/{organisation.pk}/"
    html = ok(logged_in(bob).get(url)).content.decode()
    assert "Aucun membre n'a encore partagé son plan" in html
    assert "Alice Martin : en interne" not in html
    # alice shares her plan with the organisation from her plan page
    response = logged_in(alice).post(
        f"/pratiques/plan/{plan.pk}/reglages/", {"shared_with": str(organisation.pk)}
    )
    ok(response, 302)
    html = ok(logged_in(bob).get(url)).content.decode()
    assert "1 membre partage son plan : Alice Martin" in html
    assert "Alice Martin : en interne · à faire" in html
    assert "Alice Martin : en partenariat · à faire" in html
    assert "En interne (1)" in html and "Cherchées en partenariat (1)" in html
    assert "Portées par personne (22)" in html
    assert "note secrète" not in html and "commentaire très privé" not in html


def test_sharing_only_with_an_organisation_of_mine(alice: User, charlie: User, geo) -> None:
    _, plan = with_plan(alice, geo.vincennes, [0])
    other = Organisation.objects.create(name="Pas la mienne")
    response = logged_in(alice).post(
        f"/pratiques/plan/{plan.pk}/reglages/", {"shared_with": str(other.pk)}
    )
    assert response.status_code == 400
    # Said on the sharing form itself, not in a message at the top of the page.
    html = response.content.decode()
    assert 'role="alert"><p>Choisissez une de vos organisations.</p>' in html
    plan.refresh_from_db()
    assert plan.shared_with is None


def test_leaving_unshares(alice: User, bob: User, geo) -> None:
    organisation, plan = team(alice, bob, geo)
    plan.shared_with = organisation
    plan.save()
    services.organisation_leave(user=alice, organisation_id=organisation.pk)
    plan.refresh_from_db()
    assert plan.shared_with is None


def test_queries_constant_in_members(
    alice: User, bob: User, geo, django_assert_num_queries
) -> None:
    organisation, plan = team(alice, bob, geo)
    plan.shared_with = organisation
    plan.save()
    url = f"/pratiques/organisations/{organisation.pk}/"
    client = logged_in(bob)
    with django_assert_num_queries(11):
        ok(client.get(url))
    for n in range(3):
        member = catalyst(f"membre{n}")
        services.organisation_join(user=member, join_code=organisation.join_code)
        _, other = with_plan(member, geo.vincennes, [n, n + 3, n + 6])
        other.shared_with = organisation
        other.save()
    with django_assert_num_queries(11):
        html = ok(client.get(url)).content.decode()
    assert "4 membres partagent leur plan" in html
