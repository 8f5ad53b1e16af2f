"""What each role's space shows: reads across the apps, composed for the landing pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.dateparse import parse_datetime

from accounts.services import standing_sentence
from observatoire.models import ImportRun, ImportStatus
from observatoire.report.batch import latest_batches
from pratiques.models import Answer, Assessment, GridVersion, Organisation
from pratiques.models.assessment import AssessmentStatus
from pratiques.models.examples import Example, ExampleStatus
from pratiques.models.grid import GridStatus
from territoires.models import Mandate, MandateStatus


def catalyst_space(user: Any) -> dict[str, Any]:
    """Drafts, last results, practices to develop and organisations of one catalyst."""
    assessments = list(
        Assessment.objects.filter(user=user)
        .select_related("version", "territory", "organisation")
        .annotate(
            n_answers=Count(
                "answers",
                filter=Q(answers__not_concerned=True) | Q(answers__frequency__isnull=False),
            )
        )
        .order_by("-created_at")[:6]
    )
    draft = next((a for a in assessments if a.is_draft), None)
    submitted = [a for a in assessments if not a.is_draft]
    source = submitted[0] if submitted else draft
    to_develop = (
        list(
            Answer.objects.filter(assessment=source, wants_to_develop=True)
            .select_related("practice")
            .order_by("practice__code")
        )
        if source
        else []
    )
    counts, sentence = standing_sentence(user)
    return {
        "counts_in_figures": counts,
        "standing_sentence": sentence,
        "draft": draft,
        "submitted": submitted[:3],
        "to_develop": to_develop,
        "to_develop_source": source,
        "organisations": list(Organisation.objects.filter(memberships__user=user)),
    }


def admin_space() -> dict[str, Any]:
    """A network admin's to-dos: grid drafts, imports to confirm or fix, report batches."""
    runs = list(ImportRun.objects.order_by("-created_at")[:20])
    confirmed = set(
        ImportRun.objects.filter(confirms__in=[r.pk for r in runs]).values_list(
            "confirms_id", flat=True
        )
    )
    imports = [
        run
        for run in runs
        if run.status in (ImportStatus.PENDING, ImportStatus.RUNNING, ImportStatus.REFUSED)
        or (run.dry_run and run.status == ImportStatus.SUCCEEDED and run.pk not in confirmed)
    ][:5]
    return {
        "grid_drafts": list(GridVersion.objects.filter(status=GridStatus.DRAFT).order_by("label")),
        "imports": imports,
        "batches": [
            {**batch, "created": parse_datetime(batch["created_at"])} for batch in latest_batches(3)
        ],
        "draft_assessments": Assessment.objects.filter(status=AssessmentStatus.DRAFT).count(),
        "proposed_examples": Example.objects.filter(status=ExampleStatus.PROPOSED).count(),
        # Few at a time (each is decided within days): one query, the card shows the first five.
        "pending_mandates": list(
            Mandate.objects.filter(status=MandateStatus.PENDING)
            .select_related("user", "territory")
            .order_by("declared_at")
        ),
    }
