"""The two task queues: short jobs never wait behind long ones.

``default`` takes what a person waits for (an import, an e-mail, a campaign's messages); ``long``
takes what nobody watches second by second (a batch of reports, their pre-generation, the release
of aggregates). Each queue has its own worker (``make run``, docker-compose), so a batch of two
hours never delays a three-line import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.tasks import Task

SHORT = "default"
LONG = "long"
QUEUES = [SHORT, LONG]

# What a queued task is, for the person waiting behind it (keyed by the task's dotted path).
TASK_LABELS = {
    "observatoire.tasks.import_run_task": "un import d’indicateurs",
    "observatoire.tasks.notify_followers": "les e-mails aux personnes qui suivent un territoire",
    "pratiques.campaigns.tasks.campaign_messages_task": "les e-mails d’une campagne",
    "pratiques.tasks.release_aggregates_task": "la diffusion des statistiques",
    "observatoire.report.tasks.generate_reports": "un lot de rapports",
    "observatoire.report.pregenerate.pregenerate_reports": "la préparation des rapports",
}


@dataclass
class QueuePlace:
    """Where a queued task stands: its position (1 = next) and what runs or waits before it."""

    queue: str
    position: int
    running: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)


def _label(task_path: str) -> str:
    return TASK_LABELS.get(task_path, "une autre tâche")


def queue_place(task_path: str, first_arg: object) -> QueuePlace | None:
    """The place of the oldest waiting task ``task_path(first_arg, …)``, or None when it is no
    longer waiting (running, done, or run inline). Two queries."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    task = (
        DBTaskResult.objects.filter(
            task_path=task_path, status=TaskResultStatus.READY, args_kwargs__args__0=first_arg
        )
        .order_by("enqueued_at")
        .only("queue_name", "priority", "run_after", "enqueued_at")
        .first()
    )
    if task is None:
        return None
    from django.db.models import Q

    before = Q(status=TaskResultStatus.RUNNING) | Q(
        status=TaskResultStatus.READY,
        run_after__lte=task.run_after,
        enqueued_at__lt=task.enqueued_at,
        priority__gte=task.priority,
    )
    ahead = list(
        DBTaskResult.objects.filter(before, queue_name=task.queue_name)
        .exclude(pk=task.pk)
        .order_by("enqueued_at")
        .values_list("status", "task_path")
    )
    running = [_label(path) for status, path in ahead if status == TaskResultStatus.RUNNING]
    waiting = [_label(path) for status, path in ahead if status != TaskResultStatus.RUNNING]
    return QueuePlace(task.queue_name, len(waiting) + 1, running, waiting)


def on_long_queue[T: Task[Any, Any]](task: T) -> T:
    """The task sent to the long queue, when its backend has one (an immediate backend of the
    tests serves the default queue only, and runs everything at once anyway)."""
    from django.tasks import task_backends

    if LONG in task_backends[task.backend].queues:
        return task.using(queue_name=LONG)  # type: ignore[return-value]
    return task
