"""Views of the pratiques app: the public grid and the catalyst's self-assessment journey."""

from __future__ import annotations

import contextlib
import csv
import io

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.charts import VARIANTS, svg_response
from config.roles import Role, role_required
from config.spreadsheets import spreadsheet_row
from config.types import AuthenticatedHttpRequest, HtmxHttpRequest
from pratiques import aggregates, charts, disclosure, queries, services
from pratiques.forms import JoinForm, PreferencesForm, StartForm
from pratiques.models import Assessment, AssessmentStatus, Organisation, OrganisationMembership
from territoires.models import Territory
from territoires.queries import territory_for_page


def _render(request: HtmxHttpRequest, template: str, fragment: str, context: dict) -> HttpResponse:
    name = f"{template}#{fragment}" if request.htmx else template
    return render(request, name, context)


# --- public grid ---------------------------------------------------------------------------------


@require_safe
def grid_current(request: HtmxHttpRequest) -> HttpResponse:
    return _grid(request, None)


@require_safe
def grid_version(request: HtmxHttpRequest, version: str) -> HttpResponse:
    return _grid(request, version)


def _grid(request: HtmxHttpRequest, slug: str | None) -> HttpResponse:
    version = queries.public_version(slug)
    if version is None:
        raise Http404("Cette version de la grille n'existe pas ou n'est pas publiée.")
    context = {
        "tree": queries.grid_tree(version),
        "versions": queries.published_versions(),
    }
    return _render(request, "pratiques/grid.html", "grid", context)


# --- the catalyst's space --------------------------------------------------------------------------


@require_safe
@role_required(Role.CATALYST)
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    assessments = list(
        Assessment.objects.filter(user=request.user)
        .select_related("version", "territory", "organisation")
        .annotate(
            n_answers=Count(
                "answers",
                filter=Q(answers__not_concerned=True) | Q(answers__frequency__isnull=False),
            )
        )
        .order_by("-created_at")
    )
    organisations = list(Organisation.objects.filter(memberships__user=request.user))
    context = {
        "assessments": assessments,
        "draft": next((a for a in assessments if a.is_draft), None),
        "organisations": organisations,
        "join_form": JoinForm(),
    }
    return _render(request, "pratiques/home.html", "assessments", context)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CATALYST)
def assessment_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    draft = Assessment.objects.filter(user=request.user, status=AssessmentStatus.DRAFT).first()
    if draft is not None:
        messages.info(
            request,
            "Vous avez une auto-évaluation en cours : reprenez-la là où vous l'aviez laissée.",
        )
        return redirect(draft)
    try:
        version = services.current_version()
    except services.NoPublishedGrid:
        raise Http404("Aucune version de la grille n'est publiée.") from None
    initial = services.assessment_context_of_latest(user=request.user)
    form = StartForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assessment = services.assessment_start(
            user=request.user,
            version=version,
            territory=data["territory"],
            actor_profile=data["actor_profile"],
            engineerings=list(data["engineerings"]),
            organisation=data["organisation"],
            organisation_name=data["organisation_name"],
        )
        return redirect(assessment)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "version": version, "prefilled": bool(initial)}
    response = _render(request, "pratiques/assessment_start.html", "start_form", context)
    response.status_code = status
    return response


def _own(request: AuthenticatedHttpRequest, pk: int) -> Assessment:
    assessment = queries.own_assessment(request.user, pk)
    if assessment is None:
        raise Http404("Auto-évaluation introuvable.")
    return assessment


def _fill_context(assessment: Assessment) -> dict:
    tree = queries.grid_tree(assessment.version)
    answers = queries.answers_by_practice(assessment)
    for practice in tree.practices:
        practice.answer = answers.get(practice.pk)
        practice.seen = services.answer_fingerprint(practice.answer)
    progress = sum(a.is_answered for a in answers.values())
    return {
        "assessment": assessment,
        "tree": tree,
        "progress": progress,
        "total": len(tree.practices),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CATALYST)
def assessment_fill(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The form of every practice; POST saves them all (the no-JavaScript path)."""
    assessment = _own(request, pk)
    if not assessment.is_draft:
        messages.info(
            request, "Cette auto-évaluation est validée : elle ne peut plus être modifiée."
        )
        return redirect(assessment)
    if request.method == "POST":
        tree = queries.grid_tree(assessment.version)
        errors, posted = [], {}
        for practice in tree.practices:
            try:
                data = services.answer_data_from(request.POST, practice_id=practice.pk)
            except services.AnswerRejected as error:
                errors.append(f"{practice.code} : {error}")
                continue
            posted[practice.pk] = (data, request.POST.get(f"p{practice.pk}-seen"))
        try:
            result = services.answers_save_form(
                assessment_id=assessment.pk, user_id=request.user.pk, posted=posted
            )
        except services.AssessmentLocked:
            return redirect(assessment)
        codes = {practice.pk: practice.code for practice in tree.practices}
        for practice_id in result.newer:
            messages.warning(
                request,
                f"{codes[practice_id]} : une réponse plus récente a été enregistrée depuis un autre "
                "onglet ou appareil ; elle est conservée et affichée ci-dessous. "
                "Refaites votre choix si besoin.",
            )
        for error in errors:
            messages.error(request, error)
        if not errors and not result.newer:
            messages.success(request, "Vos réponses sont enregistrées.")
        if request.POST.get("next") == "submit" and not errors and not result.newer:
            return redirect("pratiques:assessment_submit", pk=assessment.pk)
        return redirect("pratiques:assessment_fill", pk=assessment.pk)
    return _render(
        request, "pratiques/assessment_fill.html", "grid_form", _fill_context(assessment)
    )


@require_POST
@role_required(Role.CATALYST)
def answer_save(request: AuthenticatedHttpRequest, pk: int, practice_pk: int) -> HttpResponse:
    """Autosave of one practice: one upsert statement; answers the saved state and the progress."""
    try:
        data = services.answer_data_from(request.POST, practice_id=practice_pk)
    except services.AnswerRejected as error:
        return render(
            request,
            "pratiques/_answer_status.html",
            {"practice_pk": practice_pk, "error": str(error)},
            status=400,
        )
    try:
        result = services.answer_save(
            assessment_id=pk, user_id=request.user.pk, practice_id=practice_pk, data=data
        )
    except Assessment.DoesNotExist:
        raise Http404("Auto-évaluation ou pratique introuvable.") from None
    except services.AssessmentLocked:
        return render(
            request,
            "pratiques/_answer_status.html",
            {
                "practice_pk": practice_pk,
                "error": "Cette auto-évaluation est validée : réponse non enregistrée.",
            },
            status=409,
        )
    if not request.htmx:
        return HttpResponseRedirect(
            reverse("pratiques:assessment_fill", kwargs={"pk": pk}) + f"#pratique-{practice_pk}"
        )
    return render(
        request,
        "pratiques/_answer_status.html",
        {
            "practice_pk": practice_pk,
            "result": result,
            "data": data,
            "seen": services.answer_fingerprint(data),
            "saved_at": timezone.localtime(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CATALYST)
def assessment_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _own(request, pk)
    if not assessment.is_draft:
        return redirect(assessment)
    form = PreferencesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with contextlib.suppress(services.AssessmentLocked):  # submitted in another tab
                services.assessment_submit(
                    assessment_id=assessment.pk,
                    user=request.user,
                    consent_statistics=form.cleaned_data["consent_statistics"],
                    share_with_organisation=form.cleaned_data["share_with_organisation"],
                )
        except services.SubmissionClosed:
            form.add_error(
                None,
                "La campagne de cette auto-évaluation est close : elle ne peut plus être validée.",
            )
        else:
            messages.success(request, "Auto-évaluation validée. Voici vos résultats.")
            return redirect("pratiques:assessment_results", pk=assessment.pk)
    status = 409 if request.method == "POST" and form.non_field_errors() else 200
    context = _fill_context(assessment)
    context["form"] = form
    context["scores"] = queries.rescore(assessment)
    response = _render(request, "pratiques/assessment_submit.html", "submit_form", context)
    response.status_code = status
    return response


@require_safe
@role_required(Role.CATALYST)
def assessment_results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _own(request, pk)
    if assessment.is_draft:
        return redirect(assessment)
    data = queries.results(assessment, request.GET.get("groupe"))
    context = {
        "r": data,
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
        "rows": _score_rows(data),
        "ternary_pct": _pct(data.ternary),
        "barycentre_pct": _pct(data.selected.barycentre if data.selected else None),
        "distribution_min": disclosure.DISTRIBUTION_MIN,
        # M.E.D.O.C. resources attached to the practices to develop (one query).
        "resources": queries.resources_for_practice_keys(p.key for p, _ in data.to_develop),
    }
    fragment = "peers" if request.htmx and request.GET.get("groupe") else "results"
    return _render(request, "pratiques/assessment_results.html", fragment, context)


@require_safe
@role_required(Role.CATALYST)
def assessment_results_chart(
    request: AuthenticatedHttpRequest, pk: int, name: str, variant: str
) -> HttpResponse:
    """A results chart as an SVG picture drawn on the server (no plotly.js on a phone); its
    owner only, like the page, and never kept by a shared cache."""
    assessment = _own(request, pk)
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
    assessment = _own(request, pk)
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
                    labels.get("frequency", {}).get(answer.frequency, "") if answer else "",
                    labels.get("involvement", {}).get(answer.involvement, "") if answer else "",
                    labels.get("carrying", {}).get(answer.carrying, "") if answer else "",
                    "oui" if answer and answer.wants_to_develop else "",
                    answer.comment if answer else "",
                ]
            )
    return rows


def _csv_response(rows: list[list[str]], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(CSV_HEADER)
    writer.writerows(spreadsheet_row(row) for row in rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@role_required(Role.CATALYST)
def assessment_export_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _own(request, pk)
    return _csv_response(_csv_rows([assessment]), f"auto-evaluation-{assessment.pk}.csv")


@require_safe
@role_required(Role.CATALYST)
def assessment_export_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from weasyprint import HTML

    assessment = _own(request, pk)
    context = _fill_context(assessment)
    context["scores"] = queries.rescore(assessment)
    context["labels"] = queries.scale_labels(context["tree"])
    html = render_to_string("pratiques/assessment_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="auto-evaluation-{assessment.pk}.pdf"'
    return response


@require_safe
@role_required(Role.CATALYST)
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "n_assessments": Assessment.objects.filter(user=request.user).count(),
        "n_memberships": OrganisationMembership.objects.filter(user=request.user).count(),
    }
    return _render(request, "pratiques/my_data.html", "my_data", context)


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
    if request.POST.get("confirm") != "oui":
        messages.error(request, "Cochez la case de confirmation pour supprimer vos données.")
        return redirect("pratiques:my_data")
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
    assessment = _own(request, pk)
    if request.method == "POST":
        if request.POST.get("confirm") != "oui":
            messages.error(
                request, "Cochez la case de confirmation pour supprimer l'auto-évaluation."
            )
            return redirect("pratiques:assessment_delete", pk)
        services.assessment_delete(assessment_id=assessment.pk, user=request.user)
        messages.success(request, "L'auto-évaluation a été supprimée.")
        return redirect("pratiques:home")
    return render(request, "pratiques/assessment_delete.html", {"assessment": assessment})


# --- organisations -------------------------------------------------------------------------------


@require_POST
@role_required(Role.CATALYST)
def organisation_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        organisation = services.organisation_leave(user=request.user, organisation_id=pk)
    except OrganisationMembership.DoesNotExist:
        raise Http404("Organisation introuvable.") from None
    messages.success(
        request,
        f"Vous avez quitté « {organisation.name} » : ses membres ne voient plus vos auto-évaluations.",
    )
    return redirect("pratiques:home")


@require_POST
@role_required(Role.CATALYST)
def organisation_join(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            organisation = services.organisation_join(
                user=request.user, join_code=form.cleaned_data["join_code"]
            )
        except Organisation.DoesNotExist:
            messages.error(
                request, "Aucune organisation ne porte ce code : vérifiez-le auprès de ses membres."
            )
        else:
            messages.success(request, f"Vous avez rejoint « {organisation.name} ».")
            return redirect(organisation)
    else:
        messages.error(request, "Saisissez le code de l'organisation.")
    return redirect("pratiques:home")


@require_safe
@role_required(Role.CATALYST)
def organisation_dialogue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = Organisation.objects.filter(pk=pk, memberships__user=request.user).first()
    if organisation is None:
        raise Http404("Organisation introuvable.")
    data = queries.organisation_dialogue(organisation)
    return _render(
        request,
        "pratiques/organisation_dialogue.html",
        "dialogue",
        {"organisation": organisation, "d": data},
    )


# --- a territory's page part (public: aggregates above the anonymity threshold only) ------------


def _page_territory(level: str, code: str) -> Territory:
    """The territory of a /territoires/<niveau>/<code>/ address (the territory page's own lookup)."""
    territory = territory_for_page(level, code)
    if territory is None:
        raise Http404("Territoire introuvable.")
    return territory


@require_safe
def territory_practices(request: HtmxHttpRequest, level: str, code: str) -> HttpResponse:
    territory = _page_territory(level, code)
    data = aggregates.territory_practices(territory)
    context = {
        "territory": territory,
        "t": data,
        "cadence": disclosure.RELEASE_CADENCE,
        "distribution_min": disclosure.DISTRIBUTION_MIN,
    }
    return _render(request, "pratiques/territory_practices.html", "territory_practices", context)


@require_safe
def territory_practices_csv(request: HtmxHttpRequest, level: str, code: str) -> HttpResponse:
    """The same released figures as the page, one line per practice (nothing when not published)."""
    territory = _page_territory(level, code)
    data = aggregates.territory_practices(territory)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="pratiques-{territory.level}-{territory.code}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerows(aggregates.csv_rows(territory, data))
    return response
