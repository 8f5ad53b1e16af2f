"""Demo data of the directory and the examples: ~40 profiles, 60 examples, labelled, idempotent."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse

from pratiques.examples.demo import EXAMPLES, PROFILES, load_demo_directory, load_demo_examples
from pratiques.models import DirectoryProfile, Example, ExampleStatus
from tests.conftest import ok


def test_demo_loads_once_and_shows(geo: Any) -> None:
    out = io.StringIO()
    load_demo_directory(stdout=out)
    load_demo_examples(stdout=out)
    load_demo_directory(stdout=out)
    load_demo_examples(stdout=out)
    assert DirectoryProfile.objects.filter(is_demo=True).count() == PROFILES
    assert Example.objects.filter(is_demo=True, status=ExampleStatus.PUBLISHED).count() == EXAMPLES
    assert not DirectoryProfile.objects.filter(user__email__contains="@").exists()
    page = ok(
        Client().get(reverse("pratiques:territory_directory", args=["commune", "94080"]))
    ).content.decode()
    assert "données de démonstration" in page
    listing = ok(Client().get(reverse("pratiques:example_list"))).content.decode()
    assert "60 exemples publiés" in listing and "données de démonstration" in listing
