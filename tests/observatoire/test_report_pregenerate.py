"""Reports regenerated in the background when their data change: which territories, which
triggers (enqueued after the commit, never run inside the request or the import)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from observatoire.report.pregenerate import targets
from territoires.models import Follow, Level


def _queued() -> list[Any]:
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path__endswith="pregenerate_reports"))


def test_targets_are_read_followed_and_upper_levels(
    geo: Any, elise: User, settings: Any, tmp_path: Any
) -> None:
    settings.CACHE_DIR = tmp_path
    settings.REPORT_PREGENERATE_LEVELS = [Level.DEPARTEMENT]
    (tmp_path / "reports" / "commune").mkdir(parents=True)
    (tmp_path / "reports" / "commune" / "42095-0123abcd.pdf").write_bytes(b"%PDF")
    Follow.objects.create(user=elise, territory=geo.vincennes)
    found = targets()
    assert set(found[Level.COMMUNE]) == {"42095", geo.vincennes.code}
    assert geo.vincennes.departement.code in found[Level.DEPARTEMENT]
    assert Level.REGION not in found


def test_a_release_enqueues_one_regeneration_after_commit(
    geo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from pratiques.aggregates import release_aggregates

    with django_capture_on_commit_callbacks(execute=True):
        release_aggregates()
    assert [q.args_kwargs["args"] for q in _queued()] == [["diffusion des agrégats de pratiques"]]


def test_nothing_is_enqueued_before_the_commit(geo: Any) -> None:
    from pratiques.aggregates import release_aggregates

    release_aggregates()  # the test's transaction never commits
    assert _queued() == []
