"""The dated release of practice aggregates (`manage.py release_aggregates`)."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from config.refusals import Refused
from pratiques import disclosure
from pratiques.aggregates import release_aggregates
from pratiques.models import PrivacySpend, Release, ReleasedAggregate
from territoires.models import Level, ProjectMember, Territory
from tests.factories import months_later
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
    assert release.parameters["epsilon_territory_draw"] == 36.5


def test_the_same_people_get_the_same_figures_and_reading_twice_changes_nothing(geo) -> None:
    peers(geo.vincennes, 6)
    release = release_aggregates()
    rows = {r.scope: r for r in release.aggregates.all()}
    # Vincennes, its EPCI, département, région and France hold the same six people.
    assert rows["commune:94080"].figures == rows["pays:FR"].figures
    again = release_aggregates(now=months_later())  # nobody changed: every figure is kept
    for row in again.aggregates.all():
        assert row.figures == rows[row.scope].figures and row.drawn_in_id == release.pk


def test_a_withdrawn_consent_waits_for_k_changes(geo) -> None:
    assessments = peers(geo.vincennes, 6)
    first = release_aggregates()
    assessments[0].consent_statistics = False
    assessments[0].save()
    second = release_aggregates(now=months_later())
    row = ReleasedAggregate.objects.get(release=second, scope="commune:94080")
    # One person left: the published figures stay as released (they cannot be subtracted).
    assert row.drawn_in_id == first.pk and len(row.members) == 6


def test_two_releases_of_unchanged_data_are_byte_identical(geo) -> None:
    peers(geo.vincennes, 12)
    first = release_aggregates()
    figures = {r.scope: r.figures for r in first.aggregates.all()}
    # Even deleting the first release (what used to draw the noise again) changes nothing.
    Release.objects.all().delete()
    second = release_aggregates(now=months_later())
    again = {r.scope: r.figures for r in second.aggregates.all()}
    assert json.dumps(again, sort_keys=True) == json.dumps(figures, sort_keys=True)
    assert again["pairs:all:0"]["situations"]  # peer quartiles too (12 people)


def test_a_padding_project_gets_its_communes_figures(geo) -> None:
    peers(geo.vincennes, 6)
    peers(geo.saint_etienne, 6, start_index=10)
    project = Territory.objects.create(level=Level.PROJECT, code="pad", name="Rembourrage")
    ProjectMember.objects.create(project=project, member=geo.vincennes)
    ProjectMember.objects.create(project=project, member=geo.saint_mande)  # nobody there
    release = release_aggregates()
    rows = {r.scope: r for r in release.aggregates.all()}
    assert rows["projet:pad"].figures == rows["commune:94080"].figures
    assert rows["projet:pad"].digest == rows["commune:94080"].digest


def test_a_second_release_within_the_month_is_refused_in_french(geo) -> None:
    peers(geo.vincennes, 6)
    release_aggregates(now=months_later())
    with pytest.raises(Refused) as refused:
        release_aggregates(now=months_later() + timedelta(days=20))
    assert "Une diffusion a déjà eu lieu ce mois-ci" in refused.value.text
    assert "La prochaine est possible à partir du 1er" in refused.value.text
    assert Release.objects.count() == 1
    with pytest.raises(CommandError, match="au plus mensuelles"):
        call_command("release_aggregates", stdout=io.StringIO())


def test_a_persons_yearly_budget_stops_new_draws(geo) -> None:
    users = peers(geo.vincennes, 6)
    limit = disclosure.yearly_budget()
    PrivacySpend.objects.create(user_id=users[0].user_id, year=months_later().year, epsilon=limit)
    release = release_aggregates(now=months_later())
    row = release.aggregates.get(scope="commune:94080")
    # The spent person is left out of the new draw; the five others are drawn.
    assert users[0].user_id not in row.members and len(row.members) == 5
    spent = dict(PrivacySpend.objects.values_list("user_id", "epsilon"))
    assert spent[users[0].user_id] == limit and spent[users[1].user_id] > 0


def test_a_release_that_changes_nothing_regenerates_no_report(geo) -> None:
    from observatoire.report.cache import dependency_stamp

    peers(geo.vincennes, 6)
    release_aggregates()
    before = dependency_stamp(geo.vincennes)
    release_aggregates(now=months_later())  # same people, same answers
    assert dependency_stamp(geo.vincennes) == before  # the cached PDF stays valid
    peers(geo.vincennes, 5, start_index=10)  # five more people: new figures, a new PDF
    release_aggregates(now=months_later(2))
    assert dependency_stamp(geo.vincennes)["release"] != before["release"]
