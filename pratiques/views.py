"""Views of the pratiques app after an assessment is validated: its results, exports, personal
data, organisations (what the journeys share, an own assessment and the filled grid, is in
`views_shared`). The public grid is in `views_grid`, filling and submitting in `views_fill`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config import charts as chart_export
from config.charts import VARIANTS, svg_response
from config.forms import YesNoForm
from config.refusals import Refused
from config.roles import Role, role_required
from config.spreadsheets import csv_response
from config.types import AuthenticatedHttpRequest
from pratiques import charts, disclosure, queries, services
from pratiques.directory.queries import sharers_by_practice
from pratiques.examples.queries import examples_by_practice
from pratiques.forms import PreferencesForm
from pratiques.models import Assessment, Organisation, OrganisationMembership
from pratiques.plan import queries as plan_queries
from pratiques.views_shared import fill_context, own_assessment_or_404

# --- the catalyst's space --------------------------------------------------------------------------


@require_safe
@role_required(Role.CATALYST)
def assessment_results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = own_assessment_or_404(request, pk)
    if assessment.is_draft:
        return redirect(assessment)
    data = queries.results(assessment, request.GET.get("groupe"))
    context = {
        "results": data,
        "assessment": assessment,
        "labels": queries.scale_labels(data.tree),
        "preferences": PreferencesForm(
            initial={
                "consent_statistics": assessment.consent_statistics,
                "share_with_organisation": assessment.shared_with_organisation,
            }
        ),
        "charts": _charts(data),
        "chart_sizes": charts.SIZES,
        "charts_unavailable": not chart_export.available(),
        "rows": _score_rows(data),
        "ternary_pct": _pct(data.ternary),
        "barycentre_pct": _pct(data.selected.barycentre if data.selected else None),
        "distribution_min": disclosure.DISTRIBUTION_MIN,
        # M.E.D.O.C. resources attached to the practices to develop (one query).
        "resources": queries.attachments_for_practice_keys(p.key for p, _ in data.to_develop),
        # Items of the previous plan reached since (1 query, only when there is a previous one).
        "plan_reached": plan_queries.reached_since_previous(data.previous),
        # Published examples illustrating them, and who can share them (one query each).
        "examples": examples_by_practice(p.key for p, _ in data.to_develop),
        "sharers": sharers_by_practice(request.user, (p.key for p, _ in data.to_develop)),
    }
    template = "pratiques/assessment_results.html"
    if request.htmx:
        template += "#peers" if request.GET.get("groupe") else "#results"
    return render(request, template, context)


@require_safe
@role_required(Role.CATALYST)
def assessment_results_chart(
    request: AuthenticatedHttpRequest, pk: int, name: str, variant: str
) -> HttpResponse:
    """A results chart as an SVG picture drawn on the server (no plotly.js on a phone); its
    owner only, like the page, and never kept by a shared cache."""
    assessment = own_assessment_or_404(request, pk)
    if assessment.is_draft or name not in charts.NAMES or variant not in VARIANTS:
        raise Http404("Graphique inconnu.")
    data = queries.results(assessment, request.GET.get("groupe"))
    fig, width, height = charts.results_figure(name, _charts(data), variant)
    return svg_response(fig, width=width, height=height, public=False)


QUARTILE_TEXT = {
    1: "dans le quart le plus bas",
    2: "dans le deuxième quart",
    3: "dans le troisième quart",
    4: "dans le quart le plus haut",
}


def _pct(shares: tuple[float, float, float] | None) -> list[tuple[str, float]]:
    if not shares:
        return []
    return [
        (label, 100 * share)
        for label, share in zip(("Gestion", "Action", "Vision"), shares, strict=True)
    ]


def _score_rows(data: queries.Results) -> list[dict]:
    """One row per axis and situation: the score and its place in the selected peer group."""
    group = data.selected if data.selected and data.selected.shown else None
    rows = []
    for axis in data.tree.axes:
        dist = group.axes.get(axis.key) if group else None
        rows.append(
            {
                "kind": "axis",
                "code": axis.code,
                "title": f"Axe {axis.code} « {axis.title} »",
                "score": data.axis_scores.get(axis.key),
                "dist": dist,
                "quartile": QUARTILE_TEXT.get(dist.quartile) if dist and dist.quartile else None,
            }
        )
        for situation in axis.situation_list:
            dist = group.situations.get(situation.key) if group else None
            rows.append(
                {
                    "kind": "situation",
                    "code": situation.code,
                    "title": f"{situation.code}. {situation.title}",
                    "score": data.situation_scores.get(situation.key),
                    "dist": dist,
                    "quartile": QUARTILE_TEXT.get(dist.quartile)
                    if dist and dist.quartile
                    else None,
                }
            )
    return rows


def _charts(data: queries.Results) -> dict:
    """Data of the two results charts (drawn by pratiques/charts.py)."""
    situations = data.tree.situations
    selected = data.selected if data.selected and data.selected.has_distribution else None
    radar = {
        "labels": [f"{s.code}. {s.title}" for s in situations],
        "mine": [data.situation_scores.get(s.key) for s in situations],
        "median": [selected.situations[s.key].median for s in situations] if selected else None,
        "q1": [selected.situations[s.key].q1 for s in situations] if selected else None,
        "q3": [selected.situations[s.key].q3 for s in situations] if selected else None,
        "group": selected.label if selected else None,
    }
    ternary = {
        "mine": data.ternary,
        "barycentre": selected.barycentre if selected else None,
        "spread": selected.spread if selected else [],
        "group": selected.label if selected else None,
    }
    return {"radar": radar, "ternary": ternary}


@require_POST
@role_required(Role.CATALYST)
def assessment_preferences(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = own_assessment_or_404(request, pk)
    form = PreferencesForm(request.POST)
    if assessment.is_draft or not form.is_valid():
        return redirect(assessment)
    services.assessment_preferences_set(
        assessment_id=assessment.pk,
        user=request.user,
        consent_statistics=form.cleaned_data["consent_statistics"],
        share_with_organisation=form.cleaned_data["share_with_organisation"],
    )
    messages.success(request, "Vos choix de partage sont enregistrés.")
    return redirect("pratiques:assessment_results", pk=assessment.pk)


# --- exports and personal data -------------------------------------------------------------------

CSV_HEADER = [
    "auto_evaluation",
    "version_grille",
    "statut",
    "validee_le",
    "territoire",
    "code_pratique",
    "situation",
    "pratique",
    "reponse",
    "frequence",
    "implication",
    "portage",
    "a_developper",
    "commentaire",
]


def _csv_rows(assessments: list[Assessment]) -> list[list[str]]:
    rows = []
    for assessment in assessments:
        tree = queries.grid_tree(assessment.version)
        labels = queries.scale_labels(tree)
        answers = queries.answers_by_practice(assessment)
        for practice in tree.practices:
            answer = answers.get(practice.pk)
            state = "pas encore répondu"
            if answer is not None and answer.not_concerned:
                state = "non concerné·e"
            elif answer is not None and answer.frequency is not None:
                state = "répondu"
            rows.append(
                [
                    str(assessment.pk),
                    assessment.version.label,
                    assessment.get_status_display(),
                    # The platform's time zone (Europe/Paris), as on screen.
                    timezone.localtime(assessment.submitted_at).date().isoformat()
                    if assessment.submitted_at
                    else "",
                    str(assessment.territory),
                    practice.code,
                    practice.situation.title,
                    practice.label,
                    state,
                    queries.step_label(labels, "frequency", answer.frequency) if answer else "",
                    queries.step_label(labels, "involvement", answer.involvement) if answer else "",
                    queries.step_label(labels, "carrying", answer.carrying) if answer else "",
                    "oui" if answer and answer.wants_to_develop else "",
                    answer.comment if answer else "",
                ]
            )
    return rows


def _csv_response(rows: list[list[str]], filename: str) -> HttpResponse:
    return csv_response([CSV_HEADER, *rows], filename)


@require_safe
@role_required(Role.CATALYST)
def assessment_export_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = own_assessment_or_404(request, pk)
    return _csv_response(_csv_rows([assessment]), f"auto-evaluation-{assessment.pk}.csv")


@require_safe
@role_required(Role.CATALYST)
def assessment_export_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from config.pdf import html_to_pdf

    assessment = own_assessment_or_404(request, pk)
    context = fill_context(assessment)
    context["scores"] = queries.rescore(assessment)
    context["labels"] = queries.scale_labels(context["tree"])
    html = render_to_string("pratiques/assessment_pdf.html", context, request=request)
    pdf = html_to_pdf(html, kind="self-assessment")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="auto-evaluation-{assessment.pk}.pdf"'
    return response


@require_safe
@role_required(Role.CATALYST)
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _my_data_page(request)


def _my_data_page(
    request: AuthenticatedHttpRequest, confirmation: YesNoForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "n_assessments": Assessment.objects.filter(user=request.user).count(),
        "n_memberships": OrganisationMembership.objects.filter(user=request.user).count(),
        "confirmation": confirmation,
    }
    template = "pratiques/my_data.html"
    if request.htmx:
        template += "#my_data"
    return render(request, template, context, status=status)


@require_safe
@role_required(Role.CATALYST)
def my_data_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    assessments = list(
        Assessment.objects.filter(user=request.user)
        .select_related("version", "territory")
        .order_by("created_at")
    )
    return _csv_response(_csv_rows(assessments), "mes-donnees-pratiques.csv")


@require_POST
@role_required(Role.CATALYST)
def my_data_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    confirmation = YesNoForm(
        request.POST,
        field="confirm",
        required_message="Cochez la case de confirmation pour supprimer vos données.",
    )
    if not confirmation.confirmed():
        return _my_data_page(request, confirmation, status=400)
    count = services.user_data_delete(user=request.user)
    messages.success(
        request,
        f"{count} auto-évaluation(s) et vos adhésions aux organisations ont été supprimées.",
    )
    return redirect("pratiques:home")


@require_http_methods(["GET", "POST"])
@role_required(Role.CATALYST)
def assessment_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Deletes one assessment (withdrawn from the peer statistics if it fed them)."""
    assessment = own_assessment_or_404(request, pk)
    if request.method == "POST":
        confirmation = YesNoForm(
            request.POST,
            field="confirm",
            required_message="Cochez la case de confirmation pour supprimer l'auto-évaluation.",
        )
        if confirmation.confirmed():
            services.assessment_delete(assessment_id=assessment.pk, user=request.user)
            messages.success(request, "L'auto-évaluation a été supprimée.")
            return redirect("pratiques:home")
    else:
        confirmation = None
    context = {"assessment": assessment, "confirmation": confirmation}
    status = 200 if confirmation is None else 400
    return render(request, "pratiques/assessment_delete.html", context, status=status)


# --- organisations -------------------------------------------------------------------------------


@require_POST
@role_required(Role.CATALYST)
def organisation_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        organisation = services.organisation_leave(user=request.user, organisation_id=pk)
    except Refused:
        raise Http404("Organisation introuvable.") from None
    messages.success(
        request,
        f"Vous avez quitté « {organisation.name} » : ses membres ne voient plus vos auto-évaluations.",
    )
    return redirect("pratiques:home")


@require_safe
@role_required(Role.CATALYST)
def organisation_dialogue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = Organisation.objects.filter(pk=pk, memberships__user=request.user).first()
    if organisation is None:
        raise Http404("Organisation introuvable.")
    data = queries.organisation_dialogue(organisation)
    # What the members who share their plan decide to develop (never notes, never unshared plans).
    team = plan_queries.team_plans(organisation, data.tree.practices if data.tree else [])
    template = "pratiques/organisation_dialogue.html"
    if request.htmx:
        template += "#dialogue"
    return render(request, template, {"organisation": organisation, "dialogue": data, "team": team})
