"""The test settings fail loudly: unordered querysets come back in a random order."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
def test_an_unordered_query_is_randomly_ordered() -> None:
    with CaptureQueriesContext(connection) as queries:
        list(Group.objects.all())
        list(Group.objects.order_by("name"))
        Group.objects.count()
    assert "ORDER BY RANDOM()" in queries[0]["sql"]
    assert "RANDOM()" not in queries[1]["sql"]


def test_a_warning_fails_the_test() -> None:
    with pytest.raises(DeprecationWarning):
        import warnings

        warnings.warn("obsolète", DeprecationWarning, stacklevel=1)
