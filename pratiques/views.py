"""Views of the pratiques app after an assessment is validated: its results, exports, personal
data, organisations (what the journeys share, an own assessment and the filled grid, is in
`views_shared`). The public grid is in `views_grid`, filling and submitting in `views_fill`."""

from __future__ import annotations

import io

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
from config.spreadsheets import csv_response, spreadsheet_row
from config.types import AuthenticatedHttpRequest
from pratiques import charts, disclosure, queries, results_table, scoring, services
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
        "rows": results_table.score_rows(data),
        "ternary_pct": results_table.shares(data.ternary),
        "barycentre_pct": results_table.shares(data.selected.barycentre if data.selected else None),
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


def _submitted_results(request: AuthenticatedHttpRequest, pk: int) -> queries.Results:
    """A validated assessment's results with the peer group the page shows (``?groupe=``)."""
    assessment = own_assessment_or_404(request, pk)
    if assessment.is_draft:
        raise Http404("Une auto-évaluation en cours n'a pas encore de résultats.")
    return queries.results(assessment, request.GET.get("groupe"))


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@role_required(Role.CATALYST)
def assessment_results_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The results page's scores, peer comparison and triangle, as the page shows them."""
    data = _submitted_results(request, pk)
    rows = (
        ["" if cell is None else cell for cell in row] for row in results_table.export_rows(data)
    )
    return csv_response([results_table.EXPORT_HEADER, *rows], f"resultats-{pk}.csv")


@require_safe
@role_required(Role.CATALYST)
def assessment_export_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One workbook: the results (scores, peers, triangle) as the page shows them, the answers,
    and what the figures are."""
    from openpyxl import Workbook

    data = _submitted_results(request, pk)
    workbook = Workbook(write_only=True)
    results = workbook.create_sheet("resultats")
    results.append(results_table.EXPORT_HEADER)
    for row in results_table.export_rows(data):
        results.append(spreadsheet_row(row))
    answers = workbook.create_sheet("reponses")
    answers.append(CSV_HEADER)
    for row in _csv_rows([data.assessment]):
        answers.append(spreadsheet_row(row))
    label, release, people = results_table.group_caption(data)
    about = workbook.create_sheet("a-propos")
    for line in (
        "Scores de 0 à 100 : moyenne de la fréquence et de l'implication rapportées à "
        "l'échelon le plus haut ; « non concerné·e » et sans réponse laissés de côté.",
        (
            f"Pairs : groupe « {label} », diffusion du {release}, {people} personnes. Quartiles "
            "bruités et arrondis (secret statistique), montrés à partir de "
            f"{disclosure.DISTRIBUTION_MIN} personnes ; rien ne bouge entre deux diffusions."
        )
        if data.release
        else "Aucune diffusion n'a encore eu lieu : pas de comparaison avec les pairs.",
        "Les mêmes chiffres que la page de résultats.",
    ):
        about.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _download(
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"auto-evaluation-{pk}.xlsx",
    )


@require_safe
@role_required(Role.CATALYST)
def assessment_export_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The filled grid on one page and, once validated, the results as the page shows them
    (scores, the selected peer group's quartiles and place, the triangle and its barycentre)."""
    from config.pdf import html_to_pdf

    assessment = own_assessment_or_404(request, pk)
    context = fill_context(assessment)
    context["labels"] = queries.scale_labels(context["tree"])
    if assessment.is_draft:
        context |= {"scores": queries.rescore(assessment), "results": None}
    else:
        data = queries.results(assessment, request.GET.get("groupe"))
        group = results_table.compared_group(data)
        label, release, people = results_table.group_caption(data)
        context |= {
            "scores": scoring.Scores(
                {k: (v, 0) for k, v in data.situation_scores.items()},
                {k: (v, 0) for k, v in data.axis_scores.items()},
                {},
            ),
            "results": data,
            "rows": results_table.score_rows(data),
            "compared": group,
            "ternary_pct": results_table.shares(data.ternary),
            "barycentre_pct": results_table.shares(group.barycentre if group else None),
            "group_caption": {"label": label, "release": release, "people": people},
            "distribution_min": disclosure.DISTRIBUTION_MIN,
        }
    html = render_to_string("pratiques/assessment_pdf.html", context, request=request)
    pdf = html_to_pdf(html, kind="self-assessment")
    return _download(pdf, "application/pdf", f"auto-evaluation-{assessment.pk}.pdf")


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
    return render(request, "pratiques/my_data.html", context, status=status)


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
    return render(
        request,
        "pratiques/organisation_dialogue.html",
        {"organisation": organisation, "dialogue": data, "team": team},
    )
