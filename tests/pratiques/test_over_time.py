from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import User

from pratiques.models import Axis, GridStatus, GridVersion, Practice, Situation
from tests.conftest import logged_in
from tests.pratiques.helpers import submitted

pytestmark = pytest.mark.django_db


def publish_copy_of_2024(*, renewed_practice_code: str) -> GridVersion:
    """A 2025 version copied from 2024 with the same keys, except one practice replaced."""
    old = GridVersion.objects.get(slug="2024")
    new = GridVersion.objects.create(label="2025", slug="2025", status=GridStatus.DRAFT)
    axes = {}
    for axis in Axis.objects.filter(version=old):
        axes[axis.pk] = Axis.objects.create(
            version=new,
            key=axis.key,
            code=axis.code,
            order=axis.order,
            title=axis.title,
            lever=axis.lever,
        )
    situations = {}
    for s in Situation.objects.filter(version=old):
        situations[s.pk] = Situation.objects.create(
            version=new, axis=axes[s.axis_id], key=s.key, code=s.code, order=s.order, title=s.title
        )
    for p in Practice.objects.filter(version=old):
        key = uuid.uuid4() if p.code == renewed_practice_code else p.key
        Practice.objects.create(
            version=new,
            situation=situations[p.situation_id],
            key=key,
            code=p.code,
            order=p.order,
            label=p.label,
        )
    old.status = GridStatus.ARCHIVED
    old.save()
    new.status = GridStatus.PUBLISHED
    new.save()
    return new


def test_same_version_comparison(alice: User, geo) -> None:
    submitted(alice, geo.vincennes, 1, 1)
    latest = submitted(alice, geo.vincennes, 3, 3)
    html = logged_in(alice).get(f"/pratiques/evaluations/{latest.pk}/resultats/").content.decode()
    assert "Ce qui a bougé" in html and html.count("▲ +67") == 8


def test_across_versions_only_persisting_practices_are_compared(alice: User, geo) -> None:
    first = submitted(alice, geo.vincennes, 1, 1)
    publish_copy_of_2024(renewed_practice_code="1.1")
    latest = submitted(alice, geo.vincennes, 3, 3)
    assert (first.version.label, latest.version.label) == ("2024", "2025")
    html = logged_in(alice).get(f"/pratiques/evaluations/{latest.pk}/resultats/").content.decode()
    assert "sur les seules pratiques présentes dans les deux versions" in html
    assert html.count("▲ +67") == 8  # situation 1 compared on 1.2 and 1.3 only
    first.refresh_from_db()
    assert first.version.label == "2024"  # pinned
