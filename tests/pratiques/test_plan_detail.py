from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from pratiques.models import PlanItem, PlanStatus
from tests.conftest import logged_in, ok
from tests.pratiques.plan_helpers import attach, first_practices, with_plan

pytestmark = pytest.mark.django_db


def item_post(item: PlanItem, **fields: str) -> dict[str, str]:
    data = {
        "status": item.status,
        "way": "",
        "target_frequency": "",
        "target_involvement": "",
        "links": "",
        "partner": "",
        "starts_on": "",
        "due_on": "",
        "note": "",
        **fields,
    }
    return {f"i{item.pk}-{k}": v for k, v in data.items()}


def test_three_ticked_practices_become_three_items_with_their_resources(alice: User, geo) -> None:
    practices = first_practices(5)
    attach(practices[0], "Guide A", "Guide B")
    attach(practices[2], "Outil C")
    attach(practices[1], "Jamais proposé")  # practice 1 is not ticked
    _, plan = with_plan(alice, geo.vincennes, [0, 2, 4])
    items = list(plan.items.order_by("practice_code"))
    assert [i.practice_key for i in items] == [practices[0].key, practices[2].key, practices[4].key]
    assert [sorted(r.title for r in i.resources.all()) for i in items] == [
        ["Guide A", "Guide B"],
        ["Outil C"],
        [],
    ]
    assert {i.status for i in items} == {PlanStatus.TODO}
    assert plan.shared_with is None and plan.reminders is False  # both opt-in


def test_page_lists_items(alice: User, charlie: User, geo, htmx) -> None:
    _, plan = with_plan(alice, geo.vincennes, [0, 1, 2])
    client = logged_in(alice)
    assert ok(client.get("/pratiques/plan/"), 302)["Location"] == f"/pratiques/plan/{plan.pk}/"
    html = ok(client.get(f"/pratiques/plan/{plan.pk}/")).content.decode()
    assert "Mon plan de développement" in html
    assert html.count('<article class="plan-item') == 3
    assert 'hx-sync="this:replace"' in html
    assert "À faire (3)" in html
    # Only an item's state is swapped in (the autosave): an HTMX request for the page gets it all.
    whole = ok(client.get(f"/pratiques/plan/{plan.pk}/", headers=htmx)).content.decode()
    assert "<html" in whole and 'id="plan"' in whole
    assert logged_in(charlie).get(f"/pratiques/plan/{plan.pk}/").status_code == 404


def test_queries_do_not_grow_with_items(
    alice: User, bob: User, geo, django_assert_num_queries
) -> None:
    _, small = with_plan(alice, geo.vincennes, [0])
    _, large = with_plan(bob, geo.vincennes, list(range(12)))
    for practice in first_practices(12):
        attach(practice, f"Ressource {practice.code}")
    counts = []
    for user, plan in ((alice, small), (bob, large)):
        client = logged_in(user)
        with django_assert_num_queries(11) as context:
            ok(client.get(f"/pratiques/plan/{plan.pk}/"))
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


def test_autosave_and_overdue(alice: User, geo, htmx) -> None:
    _, plan = with_plan(alice, geo.vincennes, [0])
    item = plan.items.get()
    resource = attach(first_practices(1)[0], "Guide")[0]
    client = logged_in(alice)
    due = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(
        f"/pratiques/plan/elements/{item.pk}/",
        item_post(
            item,
            way="2",
            target_frequency="2",
            target_involvement="1",
            resources=str(resource.pk),
            partner="Agence d'urbanisme",
            due_on=due.isoformat(),
            status="en_cours",
            links="https://exemple.fr/guide",
        ),
        headers=htmx,
    )
    assert "Enregistré" in ok(response).content.decode()
    item.refresh_from_db()
    assert (item.way, item.target_frequency, item.due_on, item.status) == (2, 2, due, "en_cours")
    assert list(item.resources.all()) == [resource]
    # an item whose due date passed is marked overdue (its stored date is kept on later saves)
    PlanItem.objects.filter(pk=item.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    html = client.get(f"/pratiques/plan/{plan.pk}/").content.decode()
    assert "En retard" in html and "1 en retard" in html
    item.refresh_from_db()
    response = client.post(
        f"/pratiques/plan/elements/{item.pk}/",
        item_post(item, due_on=item.due_on.isoformat(), note="ok", status="en_cours"),
    )
    assert ok(response, 302)["Location"].endswith(f"#element-{item.pk}")


def test_due_date_in_the_past_is_refused_in_french(alice: User, geo, htmx) -> None:
    _, plan = with_plan(alice, geo.vincennes, [0])
    item = plan.items.get()
    client = logged_in(alice)
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        f"/pratiques/plan/elements/{item.pk}/", item_post(item, due_on=past), headers=htmx
    )
    assert response.status_code == 400
    assert "échéance est déjà passée" in response.content.decode()
    # without JavaScript: the page again, the message beside the field, nothing written
    response = client.post(f"/pratiques/plan/elements/{item.pk}/", item_post(item, due_on=past))
    assert response.status_code == 400
    html = response.content.decode()
    assert "échéance est déjà passée" in html and "<html" in html
    item.refresh_from_db()
    assert item.due_on is None


def test_bad_inputs_are_refused_not_500(alice: User, bob: User, geo, htmx) -> None:
    _, plan = with_plan(alice, geo.vincennes, [0])
    item = plan.items.get()
    client = logged_in(alice)
    for fields in (
        {"due_on": "31/02/2027"},
        {"target_frequency": "9"},
        {"links": "pas une adresse"},
        {"resources": "999999"},
        {"starts_on": "2099-05-02", "due_on": "2099-05-01"},
    ):
        response = client.post(
            f"/pratiques/plan/elements/{item.pk}/", item_post(item, **fields), headers=htmx
        )
        assert response.status_code == 400, fields
    assert logged_in(bob).post(f"/pratiques/plan/elements/{item.pk}/", {}).status_code == 404


def test_add_and_remove_a_practice(alice: User, geo) -> None:
    _, plan = with_plan(alice, geo.vincennes, [0])
    other = first_practices(4)[3]
    client = logged_in(alice)
    response = client.post(f"/pratiques/plan/{plan.pk}/ajouter/", {"practice": str(other.pk)})
    ok(response, 302)
    assert plan.items.count() == 2
    again = client.post(f"/pratiques/plan/{plan.pk}/ajouter/", {"practice": str(other.pk)})
    assert again.status_code == 400
    added = plan.items.get(practice_key=other.key)
    ok(client.post(f"/pratiques/plan/elements/{added.pk}/retirer/"), 302)
    assert plan.items.count() == 1


def test_a_person_without_submitted_assessment_gets_an_explanation(alice: User) -> None:
    html = ok(logged_in(alice).get("/pratiques/plan/")).content.decode()
    assert "Votre plan naît de votre auto-évaluation" in html


def test_items_sought_in_partnership_suggest_who_can_share_them(
    alice: User, bob: User, charlie: User, geo, django_assert_max_num_queries
) -> None:
    from pratiques.models import DevelopmentWay
    from tests.pratiques.directory_helpers import opt_in

    _, plan = with_plan(alice, geo.vincennes, [0, 1])
    first, second = plan.items.order_by("pk")
    opt_in(bob, geo.vincennes, shown_name="Bob Partage", shares=[first.practice_key])
    opt_in(alice, geo.vincennes, shown_name="Alice Elle-même", shares=[first.practice_key])
    opt_in(charlie, geo.vincennes, shown_name="Charlie Partage", shares=[second.practice_key])
    PlanItem.objects.filter(pk=first.pk).update(way=DevelopmentWay.PARTNERSHIP)
    PlanItem.objects.filter(pk=second.pk).update(way=DevelopmentWay.INTERNAL)
    client = logged_in(alice)
    with django_assert_max_num_queries(13):  # + who shares, + the person's own profile
        html = ok(client.get(f"/pratiques/plan/{plan.pk}/")).content.decode()
    assert "qui peut partager cette pratique" in html and "Bob Partage" in html
    assert "Alice Elle-même" not in html  # not oneself
    assert "Charlie Partage" not in html  # developed in-house: no suggestion
