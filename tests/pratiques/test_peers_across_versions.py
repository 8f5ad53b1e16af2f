"""Publishing a new grid version keeps the peer groups of the results page (stable keys)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from pratiques.aggregates import release_aggregates
from pratiques.curation import services as curation
from pratiques.models import Practice
from tests.conftest import logged_in
from tests.pratiques.helpers import peers, submitted

pytestmark = pytest.mark.django_db


def test_publishing_a_new_version_keeps_the_peers(alice: User, nadia: User, geo) -> None:
    peers(geo.vincennes, 10)  # submitted on 2024; quartiles are shown from 10 people
    draft = curation.version_copy(actor=nadia, label="2025")
    curation.element_update(
        actor=nadia,
        element=Practice.objects.get(version=draft, code="1.1"),
        changes={"label": "Financer l’ingénierie du territoire"},
    )
    curation.version_publish(actor=nadia, version=draft)
    mine = submitted(alice, geo.vincennes, 3, 3)
    assert mine.version.label == "2025"
    release_aggregates()  # the peers are read from the release (stable keys, every version)
    html = logged_in(alice).get(f"/pratiques/evaluations/{mine.pk}/resultats/").content.decode()
    # The ten 2024 assessments are still Alice's peers, situation by situation.
    people = re.search(
        r"Tous les catalyseurs</a>\s*<span class=\"muted\">\(environ (\d+) personnes", html
    )
    assert people and int(people.group(1)) in (5, 10, 15)  # ten people, noised and rounded
    assert "Médiane" in html and "dans le quart le plus haut" in html
    assert "moins de 5 auto-évaluations partagées" not in html
