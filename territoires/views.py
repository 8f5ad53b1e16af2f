from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.forms import YesNoForm
from config.refusals import Refused
from config.roles import Role, has_role, role_required
from config.types import AuthenticatedHttpRequest, HtmxHttpRequest
from territoires.forms import (
    FragilityReadingForm,
    MandateForm,
    MaturityAssessmentForm,
    ProjectCreateForm,
    ProjectMemberForm,
    ProjectUpdateForm,
    territory_choice_label,
)
from territoires.models import (
    MANDATE_LEVELS,
    MATURITY_DIMENSIONS,
    Follow,
    FragilityLevel,
    Level,
    Mandate,
    MandateStatus,
    MaturityProfile,
    MaturityScore,
    SizeSegment,
    Territory,
)
from territoires.queries import (
    MEMBERS_PER_PAGE,
    SEARCH_MAX_LENGTH,
    TerritoryMatch,
    arrondissements_of,
    fragility_history,
    fragility_profile,
    maturity_history,
    member_communes,
    project_coverage,
    project_members,
    projects_of,
    search_territories,
    territory_by_former_code,
    territory_for_page,
)
from territoires.services import (
    MandateRefused,
    follow_notify_set,
    follow_set,
    fragility_record,
    mandate_declare,
    mandate_withdraw,
    maturity_assess,
    project_archive,
    project_create,
    project_delete,
    project_member_add,
    project_member_remove,
    project_update,
)

SEARCH_PAGE_LIMIT = 20


@login_not_required
@require_safe
def search_options(request: HtmxHttpRequest) -> HttpResponse:
    """<option> elements for a TerritoryField's datalist. The widget sends its own name as the
    parameter, so the query is the first non-empty value of the request."""
    query = request.GET.get("q") or next(
        (request.GET[k] for k in request.GET if request.GET[k]), ""
    )
    # Each match with the text its option fills the field with (read back by TerritoryField).
    results = [
        (match, territory_choice_label(match.territory))
        for match in search_territories(query, limit=10)
    ]
    template = "territoires/widgets/territory_input.html"
    template += "#options"
    return render(request, template, {"results": results})


@login_not_required
@require_safe
def search(request: HtmxHttpRequest) -> HttpResponse:
    """Find a territory by name, postal code or official code (full page, or results for HTMX)."""
    query = request.GET.get("q", "")
    problem = ""
    results: list[TerritoryMatch] = []
    if not query.strip():
        problem = "empty"
    elif len(query) > SEARCH_MAX_LENGTH:
        problem = "too_long"
    else:
        segments = list(SizeSegment.objects.all())
        results = [
            replace(match, segment=match.territory.size_segment(segments))
            for match in search_territories(query, limit=SEARCH_PAGE_LIMIT)
        ]
    template = "territoires/search.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "query": query if problem != "too_long" else "",
            "query_length": len(query),
            "problem": problem,
            "results": results,
            "max_length": SEARCH_MAX_LENGTH,
        },
    )


def _sections(territory: Territory) -> list[dict[str, str]]:
    """Parts of the page served by other apps; names that do not resolve yet are skipped."""
    sections = []
    kwargs = {"level": territory.level, "code": territory.code}
    for index, (url_name, heading) in enumerate(settings.TERRITORY_PAGE_SECTIONS):
        try:
            url = reverse(url_name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        sections.append({"url": url, "heading": heading, "id": f"section-{index + 1}"})
    return sections


def _report_url(territory: Territory) -> str:
    try:
        return reverse(
            settings.TERRITORY_REPORT_URL_NAME,
            kwargs={"level": territory.level, "code": territory.code},
        )
    except NoReverseMatch:
        return ""


def _page_territory(level: str, code: str) -> Territory:
    territory = territory_for_page(level, code)
    if territory is None:
        raise Http404("Territoire introuvable.")
    return territory


def _detail_context(request: HtmxHttpRequest, territory: Territory) -> dict[str, Any]:
    segments = list(SizeSegment.objects.all())
    communes_page = None
    if territory.level == Level.EPCI:
        paginator = Paginator(member_communes(territory), MEMBERS_PER_PAGE)
        communes_page = paginator.get_page(request.GET.get("page"))
    members = project_members(territory) if territory.level == Level.PROJECT else []
    coverage = project_coverage(territory) if territory.level == Level.PROJECT else {}
    arrondissements = arrondissements_of(territory) if territory.level == Level.COMMUNE else []
    is_admin = has_role(request.user, Role.NETWORK_ADMIN)
    is_official = has_role(request.user, Role.OFFICIAL)
    history = maturity_history(territory)
    return {
        "territory": territory,
        "segment": territory.size_segment(segments),
        "communes_page": communes_page,
        "members": members,
        "coverage": coverage,
        "arrondissements": arrondissements,
        "projects": projects_of(territory)
        if territory.level in (Level.EPCI, Level.COMMUNE)
        else [],
        "maturity_history": history,
        "maturity_current": history[0] if history else None,
        "fragility_groups": fragility_profile(territory),
        "sections": _sections(territory),
        "report_url": _report_url(territory),
        "is_admin": is_admin,
        "is_official": is_official and territory.level in MANDATE_LEVELS,
        "following": is_official
        and request.user.is_authenticated
        and Follow.objects.filter(user=request.user, territory=territory).exists(),
        # Only mandates an admin confirmed are ever shown.
        "representatives": list(
            Mandate.objects.filter(territory=territory, status=MandateStatus.CONFIRMED)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        ),
    }


@login_not_required
@require_safe
def territory_detail(request: HtmxHttpRequest, level: str, code: str) -> HttpResponse:
    """/territoires/<niveau>/<code>/: identity card, maturity, fragilities, other apps' parts.
    A former commune code (merged since) leads to the commune it merged into."""
    territory = territory_for_page(level, code)
    if territory is None:
        heir = territory_by_former_code(level, code)
        if heir is None:
            raise Http404("Territoire introuvable.")
        return redirect(heir.get_absolute_url(), permanent=True)
    context = _detail_context(request, territory)
    template = "territoires/territory_detail.html"
    if request.htmx:
        template += "#communes" if request.htmx.target == "communes" else "#territory"
    return render(request, template, context)


def _scale_context() -> dict[str, Any]:
    return {
        "dimensions": [label for _, label in MATURITY_DIMENSIONS],
        "scores": MaturityScore.choices,
        "profiles": list(MaturityProfile.objects.all()),
        "fragility_levels": FragilityLevel.choices,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.NETWORK_ADMIN)
def maturity_create(request: AuthenticatedHttpRequest, level: str, code: str) -> HttpResponse:
    """A new maturity assessment (history kept); network admins only."""
    territory = _page_territory(level, code)
    form = MaturityAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assessment = maturity_assess(territory=territory, user=request.user, **form.cleaned_data)
        messages.success(
            request,
            f"Évaluation enregistrée : {assessment.profile.label} (rang {assessment.profile.rank}).",
        )
        return redirect(territory.get_absolute_url() + "#maturite")
    template = "territoires/maturity_form.html"
    context = {"territory": territory, "form": form, **_scale_context()}
    return render(request, template, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.NETWORK_ADMIN)
def fragility_create(request: AuthenticatedHttpRequest, level: str, code: str) -> HttpResponse:
    """Record a territory's level on one fragility domain, with its source."""
    territory = _page_territory(level, code)
    form = FragilityReadingForm(
        request.POST or None, initial={"fragility": request.GET.get("domaine")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            reading = fragility_record(territory=territory, user=request.user, **form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, f"Fragilité « {reading.fragility.label} » enregistrée.")
            return redirect(territory.get_absolute_url() + "#fragilites")
    template = "territoires/fragility_form.html"
    context = {"territory": territory, "form": form, "history": fragility_history(territory)}
    return render(
        request, template, {**context, **_scale_context()}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.NETWORK_ADMIN)
def project_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create a territoire de projet from its name and first member."""
    form = ProjectCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = project_create(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                members=[form.cleaned_data["member"]],
                user=request.user,
            )
        except Refused as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, f"Territoire de projet « {project.name} » créé.")
            return redirect("territoires:project_edit", code=project.code)
    template = "territoires/project_new.html"
    projects = Territory.objects.filter(level=Level.PROJECT).only("id", "level", "code", "name")
    context = {"form": form, "projects": projects}
    return render(request, template, context, status=400 if form.errors else 200)


def _project(code: str) -> Territory:
    return get_object_or_404(
        Territory.objects.defer("search_prefixes"), level=Level.PROJECT, code=code[:20]
    )


def _editor_context(
    project: Territory,
    *,
    member_form: ProjectMemberForm | None = None,
    update_form: ProjectUpdateForm | None = None,
    error: str = "",
    notice: str = "",
    project_error: str = "",
) -> dict[str, Any]:
    segments = list(SizeSegment.objects.all())
    return {
        "project": project,
        "members": project_members(project),
        "segment": project.size_segment(segments),
        "member_form": member_form or ProjectMemberForm(),
        "update_form": update_form
        or ProjectUpdateForm(initial={"name": project.name, "description": project.description}),
        "member_error": error,
        "member_notice": notice,
        "project_error": project_error,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.NETWORK_ADMIN)
def project_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The perimeter editor: name, description, members (add / remove)."""
    project = _project(code)
    update_form = None
    if request.method == "POST":
        update_form = ProjectUpdateForm(request.POST)
        if update_form.is_valid():
            project_update(project=project, **update_form.cleaned_data)
            messages.success(request, "Territoire de projet enregistré.")
            return redirect("territoires:project_edit", code=project.code)
    template = "territoires/project_edit.html"
    if request.htmx:
        template += "#members"
    context = _editor_context(project, update_form=update_form)
    return render(request, template, context, status=400 if update_form is not None else 200)


@require_POST
@role_required(Role.NETWORK_ADMIN)
def project_member_add_view(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    project = _project(code)
    form = ProjectMemberForm(request.POST)
    notice = ""
    if form.is_valid():
        member = form.cleaned_data["member"]
        try:
            added = project_member_add(project=project, member=member)
        except Refused as refusal:
            form.add_error("member", refusal)
        else:
            if added:
                notice = f"« {member.name} » ajouté au périmètre."
            else:
                notice = f"« {member.name} » fait déjà partie du périmètre."
            if not request.htmx:
                messages.success(request, notice)
                return redirect("territoires:project_edit", code=project.code)
            form = ProjectMemberForm()
    template = "territoires/project_edit.html"
    if request.htmx:
        template += "#members"
    context = _editor_context(project, member_form=form, notice=notice)
    return render(request, template, context, status=400 if form.errors else 200)


@require_POST
@role_required(Role.NETWORK_ADMIN)
def project_member_remove_view(
    request: AuthenticatedHttpRequest, code: str, member_id: int
) -> HttpResponse:
    project = _project(code)
    member = get_object_or_404(Territory.objects.only("id", "name"), pk=member_id)
    error = notice = ""
    try:
        project_member_remove(project=project, member=member)
    except Refused as refusal:
        error = refusal.text
    else:
        notice = f"« {member.name} » retiré du périmètre."
        if not request.htmx:
            messages.success(request, notice)
            return redirect("territoires:project_edit", code=project.code)
    template = "territoires/project_edit.html"
    if request.htmx:
        template += "#members"
    context = _editor_context(project, error=error, notice=notice)
    return render(request, template, context, status=409 if error else 200)


# --- elected officials: follow a territory, declare a mandate ----------------------------------------


@require_POST
@role_required(Role.OFFICIAL)
def follow(request: AuthenticatedHttpRequest, level: str, code: str) -> HttpResponse:
    """« Suivre ce territoire » / « Ne plus suivre » from the territory page."""
    territory = _page_territory(level, code)
    answer = YesNoForm(request.POST, field="suivre", default=True)
    if not answer.is_valid():
        return HttpResponseBadRequest(answer.error_text)
    following = answer.answer
    try:
        follow_set(user=request.user, territory=territory, follow=following)
    except MandateRefused as error:
        messages.error(request, str(error))
    else:
        _follow_message(request, territory, following)
    return redirect(territory.get_absolute_url())


def _follow_message(request: HtmxHttpRequest, territory: Territory, following: bool) -> None:
    if following:
        messages.success(
            request, f"Vous suivez {territory.name} : il figure dans votre espace élu·e."
        )
    else:
        messages.success(request, f"Vous ne suivez plus {territory.name}.")


@require_POST
@role_required(Role.OFFICIAL)
def follow_notify(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    answer = YesNoForm(request.POST, field="courriel")
    if not answer.is_valid():
        return HttpResponseBadRequest(answer.error_text)
    try:
        item = follow_notify_set(user=request.user, follow_id=pk, notify=answer.answer)
    except Refused:
        raise Http404("Territoire suivi introuvable.") from None
    if item.notify_by_email:
        messages.success(
            request, f"Vous recevrez un e-mail quand le rapport de {item.territory.name} change."
        )
    else:
        messages.success(request, f"Plus d'e-mail pour {item.territory.name}.")
    return redirect("dashboard", "elu")


@require_POST
@role_required(Role.OFFICIAL)
def mandate_declare_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MandateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))  # an ErrorList yields its messages
        return redirect("dashboard", "elu")
    try:
        mandate = mandate_declare(
            user=request.user,
            territory=form.cleaned_data["territory"],
            role_label=form.cleaned_data["role_label"],
        )
    except MandateRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Mandat déclaré : {mandate.territory.name}. Il sera visible une fois confirmé par "
            "un·e administrateur·rice du réseau.",
        )
    return redirect("dashboard", "elu")


@require_POST
@role_required(Role.OFFICIAL)
def mandate_withdraw_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An official withdraws a mandate of theirs (a wrong declaration, the end of a term)."""
    try:
        mandate = mandate_withdraw(user=request.user, mandate_id=pk)
    except MandateRefused as error:
        raise Http404(str(error)) from None
    messages.success(
        request,
        f"Mandat retiré : {mandate.territory.name}. Vous suivez toujours ce territoire ; "
        "« Ne plus suivre » sur sa page pour l'arrêter.",
    )
    return redirect("dashboard", "elu")


@require_POST
@role_required(Role.NETWORK_ADMIN)
def project_archive_view(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Archive a project (kept, no longer proposed by search), or bring it back."""
    project = _project(code)
    answer = YesNoForm(request.POST, field="archive", default=True)
    if not answer.is_valid():
        return HttpResponseBadRequest(answer.error_text)
    archived = answer.answer
    project_archive(project=project, archived=archived)
    messages.success(
        request,
        f"« {project.name} » archivé." if archived else f"« {project.name} » désarchivé.",
    )
    return redirect("territoires:project_edit", code=project.code)


@require_POST
@role_required(Role.NETWORK_ADMIN)
def project_delete_view(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Delete a project; refused with the reason while anything refers to it (409)."""
    project = _project(code)
    confirmation = YesNoForm(
        request.POST,
        field="confirmer",
        required_message="Cochez la case de confirmation pour supprimer ce territoire.",
    )
    if not confirmation.confirmed():
        context = _editor_context(project, project_error=confirmation.error_text)
        return render(request, "territoires/project_edit.html", context, status=400)
    try:
        project_delete(project=project)
    except Refused as refusal:
        context = _editor_context(project, project_error=refusal.text)
        return render(request, "territoires/project_edit.html", context, status=409)
    messages.success(request, f"Territoire de projet « {project.name} » supprimé.")
    return redirect("territoires:project_new")
