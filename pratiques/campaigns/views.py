"""Campaign views: admins create, import, send, follow and close; invitees join by their link."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config import links
from config.forms import YesNoForm
from config.links import LinkError
from config.roles import Role, role_required
from config.spreadsheets import csv_response, spreadsheet_row
from config.tasks import enqueue_on_commit
from config.types import AuthenticatedHttpRequest, HtmxHttpRequest
from pratiques.campaigns import queries, report, services, tasks
from pratiques.campaigns.forms import CampaignForm, PopulationForm, SelfRegisterForm
from pratiques.campaigns.population import (
    PopulationRefused,
    accepted_values,
    population_import,
    template_rows,
)
from pratiques.models import Campaign, CampaignSnapshot, Invitee

T = "pratiques/campaigns/"


# --- admins ---------------------------------------------------------------------------------


@require_safe
@role_required(Role.NETWORK_ADMIN)
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.select_related("version").order_by("-opens_on", "-pk")
    return render(request, T + "campaign_list.html", {"campaigns": campaigns})


@require_http_methods(["GET", "POST"])
@role_required(Role.NETWORK_ADMIN)
def campaign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.created_by = request.user
        campaign.save()
        messages.success(request, "Campagne créée : importez maintenant sa population.")
        return redirect(campaign)
    status = 400 if request.method == "POST" else 200
    return render(request, T + "campaign_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@role_required(Role.NETWORK_ADMIN)
def campaign_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Dates, grid and texts, until the campaign opens (409 after: invitations have left)."""
    campaign = get_object_or_404(Campaign.objects.select_related("version"), pk=pk)
    if not campaign.is_editable:
        messages.error(
            request,
            "Cette campagne est ouverte ou close : ses dates, sa grille et ses textes ne changent "
            "plus (les invitations sont parties avec eux).",
        )
        return _detail(request, campaign, status=409)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Campagne modifiée.")
        return redirect(campaign)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "campaign": campaign}
    return render(request, T + "campaign_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@role_required(Role.NETWORK_ADMIN)
def campaign_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Only an empty campaign (nobody imported nor registered) is deleted; else it is closed."""
    campaign = get_object_or_404(Campaign, pk=pk)
    confirmation = None
    refusal = None
    status = 200
    if request.method == "POST":
        confirmation = YesNoForm(
            request.POST,
            field="confirmer_suppression",
            required_message="Cochez la case pour confirmer la suppression.",
        )
        status = 400
        if confirmation.confirmed():
            try:
                title = services.campaign_delete(campaign_id=campaign.pk)
            except services.CampaignRefused as error:
                refusal, status = error, 409  # people joined meanwhile: the page says why
            else:
                messages.success(request, f"Campagne « {title} » supprimée.")
                return redirect("pratiques:campaign_list")
    context = {"campaign": campaign, "confirmation": confirmation, "refusal": refusal}
    return render(request, T + "campaign_delete.html", context, status=status)


def _detail(
    request: HtmxHttpRequest,
    campaign: Campaign,
    *,
    form: PopulationForm | None = None,
    problems: list | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "campaign": campaign,
        "follow": queries.follow_up(campaign),
        "form": form or PopulationForm(),
        "problems": problems or [],
        "k": settings.ANONYMITY_THRESHOLD,
        "accepted": accepted_values(),
        "link_days": settings.INVITATION_LINK_MAX_AGE_DAYS,
        "open_url": request.build_absolute_uri(
            reverse("pratiques:campaign_register", kwargs={"code": campaign.open_code})
        ),
    }
    template = T + "campaign_detail.html"
    if request.htmx and request.GET.get("fragment") == "follow":
        template += "#follow"
    return render(request, template, context, status=status)


@require_safe
@role_required(Role.NETWORK_ADMIN)
def campaign_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("version"), pk=pk)
    return _detail(request, campaign)


@require_POST
@role_required(Role.NETWORK_ADMIN)
def campaign_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("version"), pk=pk)
    form = PopulationForm(request.POST, request.FILES)
    if campaign.is_closed:
        form.add_error(None, "La campagne est close : sa population ne change plus.")
        return _detail(request, campaign, form=form, status=409)
    if not form.is_valid():
        return _detail(request, campaign, form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        result = population_import(
            campaign=campaign, data=upload.read(), file_name=upload.name or ""
        )
    except PopulationRefused as refused:
        form.add_error(
            "file",
            f"Fichier refusé, rien n'a été importé : {len(refused.problems)} problème(s) "
            "à corriger, listés ci-dessous.",
        )
        return _detail(request, campaign, form=form, problems=refused.problems, status=400)
    messages.success(
        request,
        f"Population importée : {result.created} personne(s) ajoutée(s), "
        f"{result.updated} mise(s) à jour.",
    )
    return redirect(campaign)


@require_POST
@role_required(Role.NETWORK_ADMIN)
def campaign_send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if not campaign.accepts_answers():
        messages.error(request, "La campagne n'est pas ouverte : rien n'a été envoyé.")
        return redirect(campaign)
    enqueue_on_commit(tasks.campaign_messages_task, campaign.pk)
    messages.success(
        request,
        "Envoi lancé : les invitations et relances dues partent en tâche de fond "
        "(personne ne reçoit deux fois le même message).",
    )
    return redirect(campaign)


@require_POST
@role_required(Role.NETWORK_ADMIN)
def campaign_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        services.campaign_close(campaign_id=campaign.pk)
    except services.CampaignRefused as error:
        messages.error(request, str(error))
        return redirect(campaign)
    messages.success(request, "Campagne close : son jeu de données est figé, le rapport est prêt.")
    return redirect("pratiques:campaign_report", pk=campaign.pk)


def _closed(pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("version"), pk=pk)
    if not CampaignSnapshot.objects.filter(campaign=campaign).exists():
        raise Http404("Cette campagne n'est pas encore close : pas de rapport.")
    return campaign


@require_safe
@role_required(Role.NETWORK_ADMIN)
def campaign_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = _closed(pk)
    context = report.report_context(report.campaign_report(campaign))
    context["export"] = report.export_classes(campaign.snapshot)[1]
    return render(request, T + "campaign_report.html", context)


@require_safe
@role_required(Role.NETWORK_ADMIN)
def campaign_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = _closed(pk)
    rows, _summary = report.anonymised_rows(campaign.snapshot)
    return csv_response(rows, f"campagne-{campaign.pk}-anonyme.csv")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
@role_required(Role.NETWORK_ADMIN)
def population_template(request: AuthenticatedHttpRequest, extension: str) -> HttpResponse:
    """A population file to fill in: the header and two example lines (codes, then labels);
    the XLSX adds a sheet of the accepted values."""
    if extension not in ("csv", "xlsx"):
        raise Http404("Modèle disponible en CSV ou en XLSX.")
    values = accepted_values()
    rows = template_rows(values)
    if extension == "csv":
        response = csv_response(rows)
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "population"
        for row in rows:
            sheet.append(spreadsheet_row(row))
        accepted = workbook.create_sheet("valeurs acceptées")
        accepted.append(["colonne", "code", "libellé"])
        for column, pairs in (
            ("profil", values.profiles),
            ("ingenieries", values.engineerings),
            ("territoire (niveau:code)", values.levels),
        ):
            for code, label in pairs:
                accepted.append(spreadsheet_row([column, code, label]))
        out_bytes = io.BytesIO()
        workbook.save(out_bytes)
        response = HttpResponse(out_bytes.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="modele-population.{extension}"'
    return response


# --- invitees -------------------------------------------------------------------------------


def _link_error(request: HtmxHttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, T + "link_error.html", {"message": message}, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def campaign_join(request: HtmxHttpRequest, invitee: int, token: str) -> HttpResponse:
    """The personal link of an e-mail. GET changes nothing (mail scanners follow links): a button,
    or, for an account with a password or another role, the way to the login page. POST (the
    button) signs in a person who may be signed in by a link and opens their draft."""
    try:
        if request.method == "GET":
            user, person = services.campaign_link_check(invitee_id=invitee, token=token)
        else:
            user, person = services.campaign_link_use(invitee_id=invitee, token=token)
    except LinkError as error:
        return _link_error(request, str(error), 400 if error.code == "link_invalid" else 410)
    except services.CampaignRefused as error:
        return _link_error(request, str(error), 403)
    if request.method == "GET":
        open_url = reverse("pratiques:campaign_open", kwargs={"invitee": person.pk})
        context = {
            "campaign": person.campaign,
            "signed_in": request.user.is_authenticated and request.user.pk == user.pk,
            "by_link": links.may_sign_in_by_link(user),
            "open_url": open_url,
            "login_url": f"{reverse('login')}?{urlencode({'next': open_url})}",
        }
        return render(request, T + "campaign_join.html", context)
    if request.user.is_authenticated and request.user.pk != user.pk:
        logout(request)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return _open(request, person)


def _open(request: HtmxHttpRequest, person: Invitee) -> HttpResponse:
    try:
        assessment = services.campaign_assessment_open(invitee=person)
    except services.CampaignRefused as error:
        return _link_error(request, str(error), 409)
    messages.info(request, f"Campagne « {person.campaign.title} » : votre auto-évaluation.")
    return redirect(assessment)


@require_http_methods(["GET", "POST"])
@role_required(Role.CATALYST)
def campaign_open(request: AuthenticatedHttpRequest, invitee: int) -> HttpResponse:
    """From the catalyst's space: resume (or start) the assessment of one of their campaigns."""
    person = get_object_or_404(
        Invitee.objects.select_related("campaign"), pk=invitee, user=request.user
    )
    return _open(request, person)


@require_http_methods(["GET", "POST"])
@role_required(Role.CATALYST)
def campaign_register(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The open link of a campaign: a signed-in catalyst joins it."""
    campaign = get_object_or_404(Campaign, open_code=code, open_registration=True)
    existing = Invitee.objects.filter(campaign=campaign, user=request.user).first()
    if existing is not None:
        return _open(request, existing)
    form = SelfRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.campaign_self_register(
                campaign=campaign,
                user=request.user,
                territory=form.cleaned_data["territory"],
                actor_profile=form.cleaned_data["actor_profile"],
                engineerings=list(form.cleaned_data["engineerings"]),
            )
        except services.CampaignRefused as error:
            form.add_error(None, str(error))
        else:
            return _open(request, person)
    status = 400 if request.method == "POST" else 200
    return render(
        request, T + "campaign_register.html", {"form": form, "campaign": campaign}, status=status
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def campaign_stop(request: HtmxHttpRequest, invitee: int, token: str) -> HttpResponse:
    """« Ne plus recevoir de relances »: confirmed by a button (mail scanners follow links)."""
    if request.method == "POST":
        try:
            person = services.reminders_stop_by_link(invitee_id=invitee, token=token)
        except LinkError as error:
            return _link_error(request, str(error))
        return render(request, T + "reminders_stopped.html", {"campaign": person.campaign})
    return render(request, T + "reminders_stop.html", {"invitee": invitee, "token": token})


@require_POST
@role_required(Role.CATALYST)
def campaign_stop_mine(request: AuthenticatedHttpRequest, invitee: int) -> HttpResponse:
    try:
        person = services.reminders_stop(invitee_id=invitee, user=request.user)
    except Invitee.DoesNotExist:
        raise Http404("Campagne introuvable.") from None
    messages.success(
        request, f"Vous ne recevrez plus de relances pour « {person.campaign.title} »."
    )
    return redirect("dashboard", space="catalyseur")


@require_safe
@role_required(Role.CATALYST)
def my_campaigns(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The « Mes campagnes » block of the catalyst's space (pulled in with hx-get)."""
    template = T + "my_campaigns.html"
    if request.htmx:
        template += "#campaigns"
    return render(request, template, {"rows": queries.my_campaigns(request.user)})
