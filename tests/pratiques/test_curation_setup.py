"""Reference and demo data of the curation, loaded by setup_platform."""

from __future__ import annotations

import io

import pytest

from pratiques.curation.setup import load_demo_attachments, load_resources
from pratiques.models import Resource, ResourceAttachment

pytestmark = pytest.mark.django_db


def test_resources_are_loaded_once() -> None:
    out = io.StringIO()
    load_resources(stdout=out)
    assert "déjà présentes" in out.getvalue()
    Resource.objects.all().delete()
    load_resources(stdout=io.StringIO())
    assert Resource.objects.count() == 18


def test_demo_attachments_are_labelled_and_idempotent() -> None:
    load_demo_attachments(stdout=io.StringIO())
    count = ResourceAttachment.objects.count()
    assert count > 20
    assert not ResourceAttachment.objects.filter(is_demo=False).exists()
    load_demo_attachments(stdout=io.StringIO())
    assert ResourceAttachment.objects.count() == count
