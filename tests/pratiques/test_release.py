"""The dated release of practice aggregates (`manage.py release_aggregates`)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from pratiques.aggregates import release_aggregates
from pratiques.models import Release, ReleasedAggregate
from tests.pratiques.helpers import peers

pytestmark = pytest.mark.django_db


def test_the_command_releases_every_scope(geo) -> None:
    peers(geo.vincennes, 6)
    out = io.StringIO()
    call_command("release_aggregates", stdout=out)
    release = Release.objects.get()
    assert "Diffusion du" in out.getvalue() and "6 personnes" in out.getvalue()
    scopes = dict(release.aggregates.values_list("scope", "status"))
    assert scopes["commune:94080"] == "published" and scopes["pays:FR"] == "published"
    assert release.parameters["k"] == 5 and release.parameters["epsilon_per_count"] == 0.5


def test_the_same_people_get_the_same_figures_and_reading_twice_changes_nothing(geo) -> None:
    peers(geo.vincennes, 6)
    release = release_aggregates()
    rows = {r.scope: r for r in release.aggregates.all()}
    # Vincennes, its EPCI, département, région and France hold the same six people.
    assert rows["commune:94080"].figures == rows["pays:FR"].figures
    again = release_aggregates()  # nobody changed: every figure is kept as it was
    for row in again.aggregates.all():
        assert row.figures == rows[row.scope].figures and row.drawn_in_id == release.pk


def test_a_withdrawn_consent_waits_for_k_changes(geo) -> None:
    assessments = peers(geo.vincennes, 6)
    first = release_aggregates()
    assessments[0].consent_statistics = False
    assessments[0].save()
    second = release_aggregates()
    row = ReleasedAggregate.objects.get(release=second, scope="commune:94080")
    # One person left: the published figures stay as released (they cannot be subtracted).
    assert row.drawn_in_id == first.pk and len(row.members) == 6
