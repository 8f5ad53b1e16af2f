from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from pratiques import services
from pratiques.models import Organisation
from tests.conftest import logged_in, ok
from tests.pratiques.helpers import answer_all, start, submitted

pytestmark = pytest.mark.django_db


def test_members_share_and_dialogue(
    alice: User, bob: User, charlie: User, geo, htmx, django_assert_num_queries
) -> None:
    submitted(alice, geo.vincennes, 3, 3, share=True, organisation_name="Mairie de Vincennes")
    organisation = Organisation.objects.get()
    # bob joins with the code, then shares an assessment with the organisation
    response = logged_in(bob).post(
        "/pratiques/organisations/rejoindre/", {"join_code": organisation.join_code}
    )
    assert response["Location"] == f"/pratiques/organisations/{organisation.pk}/"
    draft = start(bob, geo.vincennes, organisation=organisation)
    answer_all(draft, 1, 1, carrying=2)
    services.assessment_submit(
        assessment_id=draft.pk, user=bob, consent_statistics=False, share_with_organisation=True
    )
    client = logged_in(alice)
    with django_assert_num_queries(11):  # + the shared plans (none here)
        html = ok(client.get(f"/pratiques/organisations/{organisation.pk}/")).content.decode()
    assert "2 auto-évaluation(s) partagée(s)" in html
    assert "En partenariat : Bob Durand" in html
    assert "Au quotidien : 1" in html and "Ponctuellement : 1" in html
    # A page of its own (no link swaps it in): an HTMX request gets the whole page.
    page = client.get(f"/pratiques/organisations/{organisation.pk}/", headers=htmx)
    assert "<html" in page.content.decode() and 'id="dialogue"' in page.content.decode()
    # charlie is not a member
    assert logged_in(charlie).get(f"/pratiques/organisations/{organisation.pk}/").status_code == 404


def test_unshared_assessments_stay_private(alice: User, bob: User, geo) -> None:
    submitted(alice, geo.vincennes, 3, 3, share=False, organisation_name="Asso")
    organisation = Organisation.objects.get()
    services.organisation_join(user=bob, join_code=organisation.join_code)
    html = logged_in(bob).get(f"/pratiques/organisations/{organisation.pk}/").content.decode()
    assert "Aucun membre n'a encore partagé" in html


def test_wrong_code_gives_a_french_message(alice: User) -> None:
    response = logged_in(alice).post(
        "/pratiques/organisations/rejoindre/", {"join_code": "nope"}, follow=True
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Aucune organisation ne porte ce code" in html
    assert 'value="nope"' in html  # the join form is shown again with what was typed
