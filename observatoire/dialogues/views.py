"""The organiser's pages: open a dialogue, import its actors, open it, share its open link
(and QR code), send the invitations and reminders, close it. Network admins see every one."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.forms import YesNoForm
from config.spreadsheets import csv_response, spreadsheet_row
from config.tasks import enqueue_on_commit
from config.types import AuthenticatedHttpRequest
from observatoire.dialogues import queries, services, tasks
from observatoire.dialogues.forms import DialogueForm, RespondentsForm
from observatoire.dialogues.models import Dialogue, DialogueStatus
from observatoire.dialogues.population import template_rows
from pratiques.campaigns.population import PopulationRefused
from territoires.forms import territory_choice_label
from territoires.models import ActorProfile, Territory

T = "observatoire/dialogues/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _managed(request: AuthenticatedHttpRequest, pk: int) -> Dialogue:
    dialogue = get_object_or_404(Dialogue.objects.select_related("territory", "organiser"), pk=pk)
    if not services.may_manage(request.user, dialogue):
        raise PermissionDenied
    return dialogue


@require_safe
def dialogue_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not services.may_organise(request.user):
        raise PermissionDenied
    context = {"dialogues": queries.dialogues_for(request.user)}
    return render(request, T + "dialogue_list.html", context)


def _initial_territory(request: AuthenticatedHttpRequest) -> dict[str, str]:
    """« Ouvrir un dialogue territorial » from a territory's report or page names it
    (``?niveau=commune&code=94080``): the form starts with it chosen; an unknown one is ignored."""
    territory = Territory.objects.filter(
        level=request.GET.get("niveau", ""), code=request.GET.get("code", "")
    ).first()
    if territory is None:
        return {}
    return {"territory": territory_choice_label(territory)}


@require_http_methods(["GET", "POST"])
def dialogue_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not services.may_organise(request.user):
        raise PermissionDenied
    form = DialogueForm(request.POST or None, initial=_initial_territory(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dialogue = services.dialogue_create(
                user=request.user,
                territory=data["territory"],
                title=data["title"],
                introduction=data["introduction"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                reminder_days=data["reminder_days"],
            )
        except services.DialogueRefused as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request,
                "Dialogue créé : importez la liste des acteurs à inviter, puis ouvrez-le.",
            )
            return redirect(dialogue)
    status = 400 if form.errors else 200
    return render(request, T + "dialogue_form.html", {"form": form}, status=status)


def _detail(
    request: AuthenticatedHttpRequest,
    dialogue: Dialogue,
    *,
    form: RespondentsForm | None = None,
    problems: list | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "dialogue": dialogue,
        "follow": queries.follow_up(dialogue),
        "form": form or RespondentsForm(),
        "problems": problems or [],
        "profiles": ActorProfile.objects.order_by("order", "label"),
        "link_days": settings.INVITATION_LINK_MAX_AGE_DAYS,
        "open_url": open_url(request, dialogue),
        "accepts": dialogue.accepts_answers(),
        "snapshot": getattr(dialogue, "snapshot", None) if dialogue.is_closed else None,
    }
    return render(request, T + "dialogue_detail.html", context, status=status)


def open_url(request: AuthenticatedHttpRequest, dialogue: Dialogue) -> str:
    return request.build_absolute_uri(
        reverse("observatoire:dialogue_entry", kwargs={"code": dialogue.open_code})
    )


@require_safe
def dialogue_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _managed(request, pk))


@require_POST
def dialogue_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    form = RespondentsForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, dialogue, form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        result = services.respondents_import(
            dialogue_id=dialogue.pk, data=upload.read(), file_name=upload.name or ""
        )
    except PopulationRefused as refused:
        form.add_error(
            "file",
            f"Fichier refusé, rien n'a été importé : {len(refused.problems)} problème(s) "
            "à corriger, listés ci-dessous.",
        )
        return _detail(request, dialogue, form=form, problems=refused.problems, status=400)
    except services.DialogueRefused as refusal:
        form.add_error(None, refusal)
        return _detail(request, dialogue, form=form, status=409)
    messages.success(
        request,
        f"Acteurs importés : {result.created} ajouté(s), {result.updated} mis à jour.",
    )
    if dialogue.status == DialogueStatus.OPEN:
        enqueue_on_commit(tasks.dialogue_messages_task, dialogue.pk)
    return redirect(dialogue)


@require_POST
def dialogue_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    try:
        services.dialogue_open(dialogue_id=dialogue.pk)
    except services.DialogueRefused as refusal:
        messages.error(request, refusal.text)
        return redirect(dialogue)
    enqueue_on_commit(tasks.dialogue_messages_task, dialogue.pk)
    messages.success(
        request,
        "Dialogue ouvert : les invitations partent en tâche de fond ; le lien ouvert et son "
        "code QR sont prêts.",
    )
    return redirect(dialogue)


@require_POST
def dialogue_send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    if not dialogue.accepts_answers():
        messages.error(request, "Le dialogue n'est pas ouvert : rien n'a été envoyé.")
        return redirect(dialogue)
    enqueue_on_commit(tasks.dialogue_messages_task, dialogue.pk)
    messages.success(
        request,
        "Envoi lancé : les invitations et relances dues partent en tâche de fond "
        "(personne ne reçoit deux fois le même message).",
    )
    return redirect(dialogue)


@require_POST
def dialogue_open_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    form = YesNoForm(request.POST, field="actif")
    if not form.is_valid():
        messages.error(request, "Réponse attendue : « oui » ou « non ».")
        return _detail(request, dialogue, status=400)
    try:
        services.open_link_set(dialogue_id=dialogue.pk, active=form.answer)
    except services.DialogueRefused as refusal:
        messages.error(request, refusal.text)
        return redirect(dialogue)
    messages.success(
        request,
        "Lien ouvert rouvert."
        if form.answer
        else "Lien ouvert fermé : il refuse désormais toute nouvelle réponse.",
    )
    return redirect(dialogue)


@require_safe
def dialogue_qr(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The open link as a QR code (SVG), to project or print for a public meeting."""
    dialogue = _managed(request, pk)
    out = io.BytesIO()
    segno.make(open_url(request, dialogue), error="m").save(
        out, kind="svg", scale=8, border=2, title=f"Code QR du dialogue « {dialogue.title} »"
    )
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    if request.GET.get("telecharger") == "oui":
        response["Content-Disposition"] = f'attachment; filename="dialogue-{dialogue.pk}-qr.svg"'
    return response


@require_POST
def dialogue_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    form = YesNoForm(request.POST, field="confirmer")
    if not form.confirmed():
        messages.error(request, "Cochez la case pour confirmer la clôture.")
        return _detail(request, dialogue, status=400)
    try:
        snapshot = services.dialogue_close(dialogue_id=dialogue.pk, user=request.user)
    except services.DialogueRefused as refusal:
        messages.error(request, refusal.text)
        return redirect(dialogue)
    messages.success(
        request,
        f"Dialogue clos : son jeu de données est figé ({len(snapshot.records)} réponse(s) "
        "envoyée(s)) ; toute nouvelle réponse est refusée.",
    )
    return redirect(dialogue)


@require_safe
def respondents_template(request: AuthenticatedHttpRequest, extension: str) -> HttpResponse:
    """A respondents' file to fill in; the XLSX adds a sheet of the accepted profiles."""
    if not services.may_organise(request.user):
        raise PermissionDenied
    if extension not in ("csv", "xlsx"):
        raise Http404("Modèle disponible en CSV ou en XLSX.")
    rows = template_rows()
    if extension == "csv":
        response = csv_response(rows)
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "acteurs"
        for row in rows:
            sheet.append(spreadsheet_row(row))
        accepted = workbook.create_sheet("profils acceptés")
        accepted.append(["code", "libellé"])
        for code, label in ActorProfile.objects.order_by("order", "label").values_list(
            "code", "label"
        ):
            accepted.append(spreadsheet_row([code, label]))
        out_bytes = io.BytesIO()
        workbook.save(out_bytes)
        response = HttpResponse(out_bytes.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="modele-acteurs.{extension}"'
    return response
