"""The respondent's side, without an account: the personal link of an e-mail, the open link
``/d/<code>`` (rate-limited per address), the questionnaire (autosaved one part at a time) and
its submission. The questionnaire's address carries the answer's secret key."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from config import links, throttle
from config.links import LinkError, Purpose
from config.types import HtmxHttpRequest
from observatoire.dialogues import queries, services
from observatoire.dialogues.forms import (
    ActsWithForm,
    IdentityForm,
    InitiativeForm,
    perception_from,
)
from observatoire.dialogues.models import (
    PRIORITIES_MAX,
    PRIORITIES_MIN,
    Dialogue,
    DialogueInvitee,
    DialogueResponse,
)
from territoires.models import Fragility

T = "observatoire/dialogues/"


def _refused(request: HtmxHttpRequest, message: str, status: int, **context: Any) -> HttpResponse:
    return render(request, T + "link_refused.html", {"message": message, **context}, status=status)


# --- the personal link -------------------------------------------------------------------------


def _invitee_of(dialogue: int, token: str) -> DialogueInvitee:
    data = links.check_data_token(token, Purpose.DIALOGUE)
    if data.get("d") != dialogue or "i" not in data:
        raise LinkError("Ce lien personnel est celui d'un autre dialogue.")
    invitee = (
        DialogueInvitee.objects.select_related("dialogue__territory")
        .filter(pk=data["i"], dialogue_id=dialogue)
        .first()
    )
    if invitee is None:
        raise LinkError(LinkError.INVALID)
    return invitee


@login_not_required
@require_http_methods(["GET", "POST"])
def dialogue_link(request: HtmxHttpRequest, dialogue: int, token: str) -> HttpResponse:
    """The personal link of an e-mail. GET changes nothing (mail scanners follow links): the
    introduction and a button; POST (the button) starts or resumes the answer. Once the answer
    is sent, the link shows it as sent and refuses any change."""
    try:
        invitee = _invitee_of(dialogue, token)
    except LinkError as error:
        status = 410 if error.code == "link_expired" else 400
        return _refused(request, str(error), status)
    response = DialogueResponse.objects.filter(invitee=invitee).first()
    if response is not None and response.is_submitted:
        return _refused(
            request,
            "Vous avez déjà répondu à ce dialogue : votre réponse est enregistrée et ne peut "
            "plus être modifiée.",
            410,
            response=response,
            recap=_recap(response),
        )
    if invitee.dialogue.is_closed:
        return _refused(request, services.CLOSED, 410)
    if request.method == "POST":
        try:
            response = services.response_start_invited(invitee_id=invitee.pk)
        except services.DialogueRefused as refusal:
            return _refused(request, refusal.text, 409)
        return redirect("observatoire:response_fill", key=response.key)
    context = {"dialogue": invitee.dialogue, "started": response is not None}
    return render(request, T + "dialogue_welcome.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def dialogue_stop(request: HtmxHttpRequest, dialogue: int, token: str) -> HttpResponse:
    """« Ne plus recevoir de relances »: confirmed by a button (mail scanners follow links)."""
    try:
        data = links.check_lasting_data_token(token, Purpose.DIALOGUE_REMINDERS_STOP)
        if data.get("d") != dialogue:
            raise LinkError("Ce lien est celui d'un autre dialogue.")
        invitee = get_object_or_404(DialogueInvitee, pk=data.get("i"), dialogue_id=dialogue)
    except LinkError as error:
        return _refused(request, str(error), 400)
    stopped = request.method == "POST"
    if stopped:
        services.reminders_stop(invitee_id=invitee.pk)
    return render(request, T + "reminders_stop.html", {"stopped": stopped})


# --- the open link -----------------------------------------------------------------------------


def _throttled(request: HtmxHttpRequest) -> HttpResponse | None:
    window = settings.DIALOGUE_OPEN_LINK_WINDOW_MINUTES * 60
    if throttle.allow(
        "dialogue-open-link",
        get_client_ip_address(request) or "inconnue",
        limit=settings.DIALOGUE_OPEN_LINK_LIMIT,
        window_seconds=window,
    ):
        return None
    response = _refused(
        request,
        "Trop de réponses sont parties de votre réseau en peu de temps : réessayez dans "
        f"{settings.DIALOGUE_OPEN_LINK_WINDOW_MINUTES} minutes.",
        429,
    )
    response["Retry-After"] = str(window)
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def dialogue_entry(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """``/d/<code>``: anyone may answer, once they say their actor profile and commune."""
    if (limited := _throttled(request)) is not None:  # before the look-up: no guessing codes
        return limited
    dialogue = Dialogue.objects.select_related("territory").filter(open_code=code).first()
    if dialogue is None:
        raise Http404("Aucun dialogue ne correspond à ce code.")
    if dialogue.is_closed:
        return _refused(request, services.CLOSED, 410)
    if not dialogue.open_link_active:
        return _refused(request, "L'organisateur a fermé le lien ouvert de ce dialogue.", 410)
    if not dialogue.accepts_answers():
        return _refused(request, services.NOT_OPEN, 409)
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_start_open(
                dialogue_id=dialogue.pk,
                actor_profile=form.cleaned_data["actor_profile"],
                commune=form.cleaned_data["commune"],
            )
        except services.DialogueRefused as refusal:
            form.add_error(None, refusal)
        else:
            return redirect("observatoire:response_fill", key=response.key)
    status = 400 if form.errors else 200
    context = {"dialogue": dialogue, "form": form}
    return render(request, T + "dialogue_entry.html", context, status=status)


# --- the questionnaire -------------------------------------------------------------------------


def _response(key: str) -> DialogueResponse:
    return get_object_or_404(
        DialogueResponse.objects.select_related("dialogue__territory", "actor_profile", "commune"),
        key=key,
    )


def _recap(response: DialogueResponse) -> dict[str, Any]:
    rows = queries.questionnaire(response)
    labels = dict(queries.LEVEL_CHOICES)
    labels[queries.DONT_KNOW] = "je ne sais pas"
    return {
        "rows": [
            (row.fragility, labels.get(row.level, "pas de réponse"), row.is_priority)
            for row in rows
        ],
        "priorities": [row.fragility for row in rows if row.is_priority],
        "initiative": getattr(response, "initiative", None),
        "acts_with": list(response.acts_with.order_by("order", "label")),
    }


def fill_context(response: DialogueResponse, **extra: Any) -> dict[str, Any]:
    rows = queries.questionnaire(response)
    initiative = getattr(response, "initiative", None)
    initial = (
        {
            "fragility": initiative.fragility_id,
            "title": initiative.title,
            "text": initiative.text,
            "carrier": initiative.carrier,
        }
        if initiative
        else None
    )
    defaults: dict[str, Any] = {"errors": [], "oob": False}
    return {
        **defaults,
        "response": response,
        "dialogue": response.dialogue,
        "rows": rows,
        "levels": queries.LEVEL_CHOICES,
        "dont_know": queries.DONT_KNOW,
        "priorities": sum(row.is_priority for row in rows),
        "priorities_min": PRIORITIES_MIN,
        "priorities_max": PRIORITIES_MAX,
        "identity": extra.pop(
            "identity",
            IdentityForm(
                initial={"actor_profile": response.actor_profile, "commune": response.commune},
                required=False,
            ),
        ),
        "initiative_form": extra.pop("initiative_form", InitiativeForm(initial=initial)),
        "acts_with_form": extra.pop(
            "acts_with_form",
            ActsWithForm(initial={"acts_with": list(response.acts_with.all())}),
        ),
        **extra,
    }


def _closed_or_sent(request: HtmxHttpRequest, response: DialogueResponse) -> HttpResponse | None:
    if response.is_submitted:
        context = {
            "response": response,
            "dialogue": response.dialogue,
            "thanks": False,
            **_recap(response),
        }
        return render(request, T + "response_sent.html", context)
    if response.dialogue.is_closed:
        return _refused(request, services.CLOSED, 410)
    if not response.dialogue.accepts_answers():
        return _refused(request, services.NOT_OPEN, 409)
    return None


@login_not_required
@require_http_methods(["GET", "POST"])
def response_fill(request: HtmxHttpRequest, key: str) -> HttpResponse:
    """The questionnaire. POST saves every part at once (the path without JavaScript)."""
    response = _response(key)
    if (done := _closed_or_sent(request, response)) is not None:
        return done
    if request.method == "POST":
        errors = _save_all(request, response)
        if not errors:
            if request.POST.get("suite") == "envoyer":
                return redirect("observatoire:response_submit", key=key)
            return redirect("observatoire:response_fill", key=key)
        context = fill_context(response, errors=errors)
        return render(request, T + "response_fill.html", context, status=400)
    return render(request, T + "response_fill.html", fill_context(response))


def _save_all(request: HtmxHttpRequest, response: DialogueResponse) -> list[str]:
    errors: list[str] = []
    identity = IdentityForm(request.POST, required=False)
    try:
        if identity.is_valid():
            services.identity_save(
                response_id=response.pk,
                actor_profile=identity.cleaned_data["actor_profile"],
                commune=identity.cleaned_data["commune"],
            )
        else:
            errors += [
                f"{identity[name].label} : {' '.join(str(m) for m in e)}"
                for name, e in identity.errors.items()
            ]
        for fragility in Fragility.objects.order_by("order", "label"):
            posted = perception_from(request.POST, fragility.pk)
            if posted is None:
                errors.append(f"{fragility.label} : niveau inconnu.")
                continue
            try:
                services.perception_save(
                    response_id=response.pk,
                    fragility_id=fragility.pk,
                    level=posted[0],
                    is_priority=posted[1],
                )
            except services.DialogueRefused as refusal:
                if refusal.code != "too_many_priorities":
                    raise
                errors.append(f"{fragility.label} : {refusal.text}")
        acts = ActsWithForm(request.POST)
        if acts.is_valid():
            services.acts_with_save(
                response_id=response.pk, profiles=list(acts.cleaned_data["acts_with"])
            )
        initiative = InitiativeForm(request.POST)
        if initiative.is_valid() and _initiative_refusal(response, initiative) is not None:
            errors.append("Initiative : remplissez ses quatre champs, ou aucun.")
    except services.DialogueRefused as refusal:
        errors.append(refusal.text)
    return errors


def _autosave_refused(request: HtmxHttpRequest, response: DialogueResponse) -> HttpResponse | None:
    """An autosave of an answer sent, or of a dialogue closed or out of its dates: 409, as the
    part's status line for HTMX, as the page otherwise."""
    done = _closed_or_sent(request, response)
    if done is None:
        return None
    if not request.htmx:
        done.status_code = 409
        return done
    if response.is_submitted:
        message = services.SUBMITTED
    elif response.dialogue.is_closed:
        message = services.CLOSED
    else:
        message = services.NOT_OPEN
    return _status(request, error=message, status=409)


def _form_error(form: Any) -> str:
    """A form's errors on one line, each with its field's label."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(str(error) for error in errors)
        parts.append(text if name == "__all__" else f"{form[name].label} : {text}")
    return " ".join(parts)


def _status(
    request: HtmxHttpRequest, *, error: str = "", status: int = 200, **context: Any
) -> HttpResponse:
    """The status line of one part of the questionnaire (« Enregistré. » or what went wrong)."""
    template = T + "response_fill.html"
    template += "#status"
    return render(request, template, {"error": error, "row": None, **context}, status=status)


def _fragility_part(
    request: HtmxHttpRequest,
    row: queries.QuestionRow,
    priorities: int,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """One fragility's status line, the priorities' counter and, after a refusal, its priority
    box as saved (out of band)."""
    return _status(
        request,
        error=error,
        status=status,
        row=row,
        pk=str(row.fragility.pk),
        oob=True,
        priorities=priorities,
        priorities_min=PRIORITIES_MIN,
        priorities_max=PRIORITIES_MAX,
    )


@login_not_required
@require_POST
def response_perception(request: HtmxHttpRequest, key: str, fragility: int) -> HttpResponse:
    """Autosave of one fragility (level and priority): answers its part of the page."""
    response = _response(key)
    if (done := _autosave_refused(request, response)) is not None:
        return done
    item = get_object_or_404(Fragility, pk=fragility)
    posted = perception_from(request.POST, fragility)
    if posted is None:
        return _fragility_part(
            request,
            queries.question_row(response, item),
            queries.priorities_count(response),
            error="Niveau inconnu : choisissez-en un dans la liste.",
            status=400,
        )
    try:
        saved = services.perception_save(
            response_id=response.pk, fragility_id=fragility, level=posted[0], is_priority=posted[1]
        )
    except services.DialogueRefused as refusal:
        return _fragility_part(
            request,
            queries.question_row(response, item),
            queries.priorities_count(response),
            error=refusal.text,
            status=409,
        )
    if not request.htmx:
        return redirect(
            reverse("observatoire:response_fill", kwargs={"key": key}) + f"#f-{fragility}"
        )
    row = queries.QuestionRow(item, queries.level_code(saved.level), saved.is_priority)
    return _fragility_part(request, row, saved.priorities)


@login_not_required
@require_POST
def response_identity(request: HtmxHttpRequest, key: str) -> HttpResponse:
    response = _response(key)
    if (done := _autosave_refused(request, response)) is not None:
        return done
    form = IdentityForm(request.POST, required=False)
    if form.is_valid():
        try:
            services.identity_save(
                response_id=response.pk,
                actor_profile=form.cleaned_data["actor_profile"],
                commune=form.cleaned_data["commune"],
            )
        except services.DialogueRefused as refusal:
            form.add_error(None, refusal)
    if form.errors:
        return _status(request, error=_form_error(form), status=400)
    if not request.htmx:
        return redirect("observatoire:response_fill", key=key)
    return _status(request)


def _initiative_refusal(
    response: DialogueResponse, form: InitiativeForm
) -> services.DialogueRefused | None:
    """Saves a valid form's initiative (the autosave and the no-JavaScript save); returns the
    refusal when its fields are incomplete, any other refusal goes up."""
    data = form.cleaned_data
    try:
        services.initiative_save(
            response_id=response.pk,
            fragility=data["fragility"],
            title=data["title"],
            text=data["text"],
            carrier=data["carrier"],
        )
    except services.DialogueRefused as refusal:
        if refusal.code != "initiative_incomplete":
            raise
        return refusal
    return None


@login_not_required
@require_POST
def response_initiative(request: HtmxHttpRequest, key: str) -> HttpResponse:
    response = _response(key)
    if (done := _autosave_refused(request, response)) is not None:
        return done
    form = InitiativeForm(request.POST)
    if form.is_valid() and (refusal := _initiative_refusal(response, form)) is not None:
        missing = ", ".join(str(form[name].label).lower() for name in refusal.error_dict)
        error = f"Pour enregistrer l'initiative, remplissez aussi : {missing}."
        return _status(request, error=error, status=400)
    if form.errors:
        return _status(request, error=_form_error(form), status=400)
    if not request.htmx:
        return redirect("observatoire:response_fill", key=key)
    return _status(request)


@login_not_required
@require_POST
def response_acts_with(request: HtmxHttpRequest, key: str) -> HttpResponse:
    response = _response(key)
    if (done := _autosave_refused(request, response)) is not None:
        return done
    form = ActsWithForm(request.POST)
    if not form.is_valid():
        return _status(request, error=_form_error(form), status=400)
    services.acts_with_save(response_id=response.pk, profiles=list(form.cleaned_data["acts_with"]))
    if not request.htmx:
        return redirect("observatoire:response_fill", key=key)
    return _status(request)


@login_not_required
@require_http_methods(["GET", "POST"])
def response_submit(request: HtmxHttpRequest, key: str) -> HttpResponse:
    """The recap, and the button that sends the answer (then it no longer changes)."""
    response = _response(key)
    if (done := _closed_or_sent(request, response)) is not None:
        if request.method == "POST":
            done.status_code = 409
        return done
    problems = services.submit_problems(response)
    status = 200
    if request.method == "POST":
        try:
            services.response_submit(response_id=response.pk)
        except services.DialogueRefused as refusal:
            problems = refusal.problems or [refusal.text]
            status = 409 if refusal.code != "response_incomplete" else 400
        else:
            response.refresh_from_db()
            context = {
                "response": response,
                "dialogue": response.dialogue,
                "thanks": True,
                **_recap(response),
            }
            return render(request, T + "response_sent.html", context)
    context = {
        "response": response,
        "dialogue": response.dialogue,
        "problems": problems,
        **_recap(response),
    }
    return render(request, T + "response_submit.html", context, status=status)
