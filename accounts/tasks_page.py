"""« Tâches de fond »: what the worker has queued, runs, finished or failed, for network admins.

Read-only: it answers « why is my import still waiting? » and « did last night's batch fail? »
without a shell. Names are the domain's, not the Python paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult

from config.roles import Role, role_required
from config.types import AuthenticatedHttpRequest

TASK_LABELS = {
    "observatoire.tasks.import_run_task": "Import d’indicateurs",
    "observatoire.tasks.notify_followers": "E-mails aux élu·es qui suivent un territoire",
    "observatoire.report.tasks.generate_reports": "Rapports PDF en lot",
    "observatoire.report.pregenerate.pregenerate_reports": "Préparation des rapports PDF",
    "pratiques.campaigns.tasks.campaign_messages_task": "Invitations et relances de campagne",
    "pratiques.tasks.release_aggregates_task": "Diffusion des agrégats",
}
STATUS_LABELS = {
    "READY": "en attente",
    "RUNNING": "en cours",
    "SUCCESSFUL": "terminée",
    "FAILED": "en échec",
}
STATUSES = list(STATUS_LABELS)
PER_PAGE = 50


@dataclass
class TaskRow:
    label: str
    status: str
    status_label: str
    queue: str
    enqueued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str

    @property
    def duration(self) -> str:
        """« 2,4 s », « 3 min 05 s »; empty until it finishes."""
        if self.started_at is None or self.finished_at is None:
            return ""
        return duration_text(self.finished_at - self.started_at)

    @property
    def waited(self) -> str:
        if self.started_at is None:
            return ""
        return duration_text(self.started_at - self.enqueued_at)


def duration_text(delta: timedelta) -> str:
    seconds = max(delta.total_seconds(), 0.0)
    if seconds < 60:
        return f"{seconds:.1f} s".replace(".", ",")
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def task_row(result: DBTaskResult[Any, Any]) -> TaskRow:
    path = result.task_path
    return TaskRow(
        label=TASK_LABELS.get(path, path.rpartition(".")[2].replace("_", " ")),
        status=result.status,
        status_label=STATUS_LABELS.get(result.status, result.status.lower()),
        queue=result.queue_name,
        enqueued_at=result.enqueued_at,
        started_at=result.started_at,
        finished_at=result.finished_at,
        # The exception's class only: a traceback may quote data, and it is for the log.
        error=result.exception_class_path.rpartition(".")[2] if result.status == "FAILED" else "",
    )


@require_safe
@role_required(Role.NETWORK_ADMIN)
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("statut", "")
    results = DBTaskResult.objects.order_by("-enqueued_at")
    if status in STATUSES:
        results = results.filter(status=status)
    else:
        status = ""
    counts = {
        row["status"]: row["n"]
        for row in DBTaskResult.objects.values("status").annotate(n=Count("id"))
    }
    page = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "tasks": [task_row(result) for result in page.object_list],
        "status": status,
        "statuses": [(key, STATUS_LABELS[key], counts.get(key, 0)) for key in STATUSES],
    }
    template = "comptes/task_list.html"
    return render(request, template, context)
