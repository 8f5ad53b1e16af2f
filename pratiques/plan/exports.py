"""The plan taken away: a PDF (the platform's one tagged pipeline), a CSV, an iCalendar file
(one event per due date, to put in one's own calendar). Owner only, never cached publicly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from config.roles import Role, role_required
from config.spreadsheets import csv_response
from config.types import AuthenticatedHttpRequest
from config.typography import french_html
from pratiques.models import OPEN_STATUSES, DevelopmentPlan, DevelopmentWay, PlanItem
from pratiques.plan import queries
from pratiques.plan.views import own_plan

CSV_HEADER = [
    "plan",
    "auto_evaluation_validee_le",
    "code_pratique",
    "pratique",
    "facon",
    "frequence_visee",
    "implication_visee",
    "ressources",
    "autres_liens",
    "partenaire",
    "debut",
    "echeance",
    "statut",
    "statut_depuis",
    "note",
]


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _label(labels: dict[str, dict[int, str]], scale: str, value: int | None) -> str:
    return "" if value is None else labels.get(scale, {}).get(value, "")


def csv_rows(plans: Iterable[DevelopmentPlan]) -> list[list[str]]:
    """One row per item of each plan (the « mes données » export reads every plan)."""
    rows = []
    ways = dict(DevelopmentWay.choices)
    for plan in plans:
        labels = queries.scale_labels_of(plan)
        submitted = plan.assessment.submitted_at
        for item in queries.plan_items(plan):
            rows.append(
                [
                    str(plan.pk),
                    timezone.localtime(submitted).date().isoformat() if submitted else "",
                    item.practice_code,
                    item.practice_label,
                    ways.get(item.way, "") if item.way else "",
                    _label(labels, "frequency", item.target_frequency),
                    _label(labels, "involvement", item.target_involvement),
                    " | ".join(r.title for r in item.resources.all()),
                    " ".join(item.link_list),
                    item.partner,
                    _date(item.starts_on),
                    _date(item.due_on),
                    item.get_status_display(),
                    _date(item.status_on),
                    item.note,
                ]
            )
    return rows


def plan_csv_response(rows: list[list[str]], filename: str) -> HttpResponse:
    response = csv_response([CSV_HEADER, *rows], filename)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@role_required(Role.CATALYST)
def plan_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = own_plan(request, pk)
    return plan_csv_response(csv_rows([plan]), f"plan-de-developpement-{plan.pk}.csv")


def calendar_of(plan: DevelopmentPlan, items: list[PlanItem]) -> bytes:
    """One all-day event per open item with a due date."""
    calendar = Calendar()
    calendar.add("prodid", "-//Réseau des catalyseurs territoriaux//Plan de développement//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Mon plan de développement")
    host = settings.SITE_URL.split("://")[-1].split("/")[0].split(":")[0] or "catalyseurs.local"
    url = settings.SITE_URL.rstrip("/") + plan.get_absolute_url()
    ways = dict(DevelopmentWay.choices)
    stamp = timezone.now()
    for item in items:
        if item.due_on is None or item.status not in OPEN_STATUSES:
            continue
        event = Event()
        event.add("uid", f"plan-element-{item.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due_on)
        event.add("dtend", item.due_on + dt.timedelta(days=1))
        event.add("summary", f"Échéance : {item.practice_code} {item.practice_label}")
        details = [f"Pratique à développer : {item.practice_code} {item.practice_label}"]
        if item.way:
            details.append(f"Façon : {ways[item.way].lower()}")
        if item.partner:
            details.append(f"Partenaire : {item.partner}")
        details.append(f"Mon plan : {url}")
        event.add("description", "\n".join(details))
        event.add("url", url)
        calendar.add_component(event)
    return calendar.to_ical()


@require_safe
@role_required(Role.CATALYST)
def plan_ics(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = own_plan(request, pk)
    response = HttpResponse(
        calendar_of(plan, queries.plan_items(plan)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="plan-de-developpement-{plan.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@role_required(Role.CATALYST)
def plan_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from config.pdf import html_to_pdf

    plan = own_plan(request, pk)
    page = queries.plan_page(plan)
    html: str = render_to_string(
        "pratiques/plan_pdf.html",
        {"p": page, "plan": plan, "today": timezone.localdate()},
        request=request,
    )
    # « 1er avril », non-breaking spaces: the French typography of every PDF of the platform.
    html = french_html(html)
    response = HttpResponse(html_to_pdf(html, kind="plan"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="plan-de-developpement-{plan.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@role_required(Role.CATALYST)
def my_data_plan_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """« Mes données »: every plan of the person, oldest first."""
    plans = (
        DevelopmentPlan.objects.filter(user=request.user)
        .select_related("assessment")
        .order_by("assessment__submitted_at", "pk")
    )
    return plan_csv_response(csv_rows(plans), "mes-plans-de-developpement.csv")
