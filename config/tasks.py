"""The one way to enqueue background work: after the current transaction commits.

A worker must never pick up a task whose rows it cannot see yet, and a request that rolls back
must leave nothing queued; outside a transaction (a command, a task), the work is enqueued at once.
A task is declared with `@task` (no parentheses) in `<app>/tasks.py` and only calls a service.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.tasks import Task

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task(*args, **kwargs)`` once the transaction commits (never after a rollback).

    A configured task works too: ``enqueue_on_commit(t.using(run_after=when), pk)``. A queue that
    cannot take it is logged, never raised: the request or the run that asked for it is done.
    """

    def enqueue() -> None:
        try:
            task.enqueue(*args, **kwargs)
        except Exception:
            logger.exception("Tâche non planifiée : %s", task.module_path)

    transaction.on_commit(enqueue)
