"""The catalyst's self-assessment journey up to its validation: the space (and joining an
organisation from it), starting, filling (the whole form, or one practice autosaved), submitting."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.forms import YesNoForm
from config.refusals import Refused
from config.roles import Role, role_required
from config.types import AuthenticatedHttpRequest
from pratiques import queries, services
from pratiques.forms import JoinForm, PreferencesForm, StartForm
from pratiques.models import Answer, Assessment, AssessmentStatus, Organisation
from pratiques.plan import queries as plan_queries
from pratiques.views_shared import fill_context, own_assessment_or_404


def _home(
    request: AuthenticatedHttpRequest, join_form: JoinForm, status: int = 200
) -> HttpResponse:
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
        "join_form": join_form,
    }
    return render(request, "pratiques/home.html", context, status=status)


@require_safe
@role_required(Role.CATALYST)
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _home(request, JoinForm())


@require_POST
@role_required(Role.CATALYST)
def organisation_join(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Joins an organisation by its code; a wrong code is shown on the space's join form."""
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            organisation = services.organisation_join(
                user=request.user, join_code=form.cleaned_data["join_code"]
            )
        except Refused as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, f"Vous avez rejoint « {organisation.name} ».")
            return redirect(organisation)
    return _home(request, form, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CATALYST)
def assessment_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    draft = Assessment.objects.filter(user=request.user, status=AssessmentStatus.DRAFT).first()
    if draft is not None:
        return _draft_choice(request, draft)
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
    return render(request, "pratiques/assessment_start.html", context, status=status)


def _draft_choice(request: AuthenticatedHttpRequest, draft: Assessment) -> HttpResponse:
    """One draft at a time: resume it, or start again from scratch (its answers erased, after
    a confirmation box), beside each other rather than a silent redirect."""
    status = 200
    posted = request.method == "POST" and request.POST.get("action") == "repartir"
    confirm = YesNoForm(
        request.POST if posted else None,
        field="confirmer_repartir",
        required_message="Cochez la case pour confirmer l'effacement des réponses en cours.",
    )
    if posted:
        if confirm.confirmed():
            services.assessment_delete(assessment_id=draft.pk, user=request.user)
            messages.success(
                request, "L'auto-évaluation en cours a été effacée : vous repartez de zéro."
            )
            return redirect("pratiques:assessment_start")
        status = 400
    answered = (
        Answer.objects.filter(assessment=draft)
        .filter(Q(not_concerned=True) | Q(frequency__isnull=False))
        .count()
    )
    context = {"draft": draft, "answered": answered, "confirm": confirm}
    return render(request, "pratiques/assessment_start_draft.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CATALYST)
def assessment_fill(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The form of every practice; POST saves them all (the no-JavaScript path)."""
    assessment = own_assessment_or_404(request, pk)
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
        for message in errors:
            messages.error(request, message)
        if not errors and not result.newer:
            messages.success(request, "Vos réponses sont enregistrées.")
        if request.POST.get("next") == "submit" and not errors and not result.newer:
            return redirect("pratiques:assessment_submit", pk=assessment.pk)
        return redirect("pratiques:assessment_fill", pk=assessment.pk)
    template = "pratiques/assessment_fill.html"
    return render(request, template, fill_context(assessment))


def _answer_status(
    request: AuthenticatedHttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    template = "pratiques/assessment_fill.html"
    template += "#answer_status"
    return render(request, template, context, status=status)


@require_POST
@role_required(Role.CATALYST)
def answer_save(request: AuthenticatedHttpRequest, pk: int, practice_pk: int) -> HttpResponse:
    """Autosave of one practice: one upsert statement; answers the saved state and the progress."""
    try:
        data = services.answer_data_from(request.POST, practice_id=practice_pk)
    except services.AnswerRejected as error:
        return _answer_status(
            request,
            {"practice_pk": practice_pk, "error": str(error)},
            status=400,
        )
    try:
        result = services.answer_save(
            assessment_id=pk, user_id=request.user.pk, practice_id=practice_pk, data=data
        )
    except services.AssessmentNotFound:
        raise Http404("Auto-évaluation ou pratique introuvable.") from None
    except services.AssessmentLocked:
        return _answer_status(
            request,
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
    return _answer_status(
        request,
        {
            "practice_pk": practice_pk,
            "result": result,
            "data": data,
            "seen": services.answer_fingerprint(data),
            "saved_at": timezone.localtime(),
        },
    )


def _recap(tree: queries.GridTree, answers: dict[int, Answer]) -> list[dict[str, Any]]:
    """The answers by situation, as a person reads them before validating (the fill context's
    answers, no query): « Régulièrement · implication … · portage … », « sans réponse »."""
    labels = queries.scale_labels(tree)
    situations = []
    for situation in tree.situation_nodes:
        rows = []
        for practice in situation.practice_list:
            answer = answers.get(practice.pk)
            if answer is None or not answer.is_answered:
                text = ""
            elif answer.not_concerned:
                text = "non concerné·e"
            else:
                parts = [queries.step_label(labels, "frequency", answer.frequency)]
                if answer.involvement is not None:
                    parts.append("implication : " + labels["involvement"][answer.involvement])
                if answer.carrying is not None:
                    parts.append("portage : " + labels["carrying"][answer.carrying])
                if answer.wants_to_develop:
                    parts.append("à développer")
                text = " · ".join(part for part in parts if part)
            rows.append({"practice": practice, "text": text})
        missing = sum(1 for row in rows if not row["text"])
        situations.append({"situation": situation, "rows": rows, "missing": missing})
    return situations


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CATALYST)
def assessment_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = own_assessment_or_404(request, pk)
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
            plan = plan_queries.review_pending(assessment.pk)
            if plan is not None:  # the open items of the previous plan beside the new answers
                messages.success(
                    request, "Auto-évaluation validée. Faites le point sur votre plan précédent."
                )
                return redirect("pratiques:plan_review", pk=plan.pk)
            messages.success(request, "Auto-évaluation validée. Voici vos résultats.")
            return redirect("pratiques:assessment_results", pk=assessment.pk)
    status = 200
    if request.method == "POST":  # refused: the campaign is closed (409), or the form is invalid
        status = 409 if form.non_field_errors() else 400
    context = fill_context(assessment)
    context["form"] = form
    context["scores"] = queries.rescore(assessment)
    context["recap"] = _recap(context["tree"], context["answers"])
    return render(request, "pratiques/assessment_submit.html", context, status=status)
