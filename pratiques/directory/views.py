"""Pages of the directory: search, a profile, contact, the person's own profile, moderation, and
the « Qui agit ici » part of a territory page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.forms import YesNoForm
from config.refusals import Refused
from config.roles import Role, has_role, role_required
from config.spreadsheets import csv_response
from config.types import AuthenticatedHttpRequest, HtmxHttpRequest
from pratiques.directory import queries, services
from pratiques.directory.forms import MessageForm, ProfileForm, SearchForm, profile_initial
from pratiques.models import ContactBlock, ContactMessage, DirectoryProfile
from pratiques.models.directory import CONSENT_TEXT, CONSENT_VERSION
from territoires.queries import territory_for_page


@login_not_required
@require_safe
def directory_search(request: HtmxHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        search = queries.DirectorySearch(
            territory=data["territoire"],
            practice=data["pratique"] or None,
            actor_profile=data["profil"],
            engineering=data["ingenierie"],
            page=request.GET.get("page", 1),
        )
        page = queries.search_profiles(request.user, search)
    elif not form.is_bound:
        page = queries.search_profiles(request.user, queries.DirectorySearch())
    labels = queries.practice_labels(
        key for profile in (page or []) for key in [*profile.shares, *profile.seeks]
    )
    template = "pratiques/directory/search.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {"form": form, "page": page, "labels": labels, "query": request.GET.urlencode()},
        status=400 if form.errors else 200,
    )


@login_not_required
@require_safe
def directory_profile(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    profile = queries.profile_for(request.user, pk)
    if profile is None:
        raise Http404("Cette fiche n'existe pas ou n'est pas visible.")
    labels = queries.practice_labels([*profile.shares, *profile.seeks])
    return render(
        request,
        "pratiques/directory/profile.html",
        {
            "profile": profile,
            "shares": [labels[k] for k in profile.shares if k in labels],
            "seeks": [labels[k] for k in profile.seeks if k in labels],
        },
    )


def _limited(request: HtmxHttpRequest, profile: DirectoryProfile | None) -> HttpResponse:
    return render(
        request,
        "pratiques/directory/contact_limited.html",
        {"profile": profile, "limit": services.CONTACT_DAILY_LIMIT},
        status=429,
    )


@require_http_methods(["GET", "POST"])
@login_required
def directory_contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    profile = queries.profile_for(request.user, pk)
    if profile is None:
        raise Http404("Cette fiche n'existe pas ou n'est pas visible.")
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_send(
                sender=request.user, recipient=profile.user, body=form.cleaned_data["body"]
            )
        except services.ContactLimited:
            return _limited(request, profile)
        except Refused as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request,
                f"Message envoyé à {profile.shown_name}. La réponse arrivera dans vos messages.",
            )
            return redirect("pratiques:directory_profile", pk=profile.pk)
    return render(
        request,
        "pratiques/directory/contact.html",
        {"profile": profile, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.CATALYST)
def directory_me(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = queries.own_profile(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                profile = services.profile_opt_in(
                    user=request.user,
                    data=form.profile_data(),
                    consent=form.cleaned_data["consent"],
                )
            except Refused as refusal:
                form.add_error(None, refusal)
            else:
                messages.success(request, "Votre fiche est enregistrée et visible dans l'annuaire.")
                return redirect("pratiques:directory_me")
    elif profile is not None:
        form = ProfileForm(initial=profile_initial(profile))
    else:
        name = " ".join(p for p in (request.user.first_name, request.user.last_name) if p)
        form = ProfileForm(initial={"shown_name": name})
    template = "pratiques/directory/me.html"
    return render(
        request,
        template,
        {
            "form": form,
            "profile": profile,
            "consent_text": CONSENT_TEXT,
            "consent_version": CONSENT_VERSION,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(Role.CATALYST)
def directory_withdraw(request: AuthenticatedHttpRequest) -> HttpResponse:
    if services.profile_withdraw(user=request.user):
        messages.success(
            request, "Vous ne figurez plus dans l'annuaire : votre fiche est supprimée."
        )
    return redirect("pratiques:directory_me")


@require_POST
@role_required(Role.CATALYST)
def directory_reconfirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        services.profile_reconfirm(user=request.user)
    except Refused as refusal:
        messages.error(request, refusal.text)
    else:
        messages.success(request, "Votre fiche est confirmée pour 13 mois.")
    return redirect("pratiques:directory_me")


@require_safe
@login_required
def directory_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _inbox(request)


def _inbox(
    request: AuthenticatedHttpRequest,
    *,
    reply_to: int | None = None,
    form: MessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The inbox; a reply that was refused is shown again under its message, with its error."""
    items = queries.inbox(request.user)
    unread = [
        line.pk
        for line in items
        if line.recipient_id == request.user.pk and line.message.read_at is None
    ]
    services.messages_mark_read(user=request.user, ids=unread)
    return render(
        request,
        "pratiques/directory/inbox.html",
        {
            "items": items,
            "unread": set(unread),
            "form": form or MessageForm(),
            "reply_to": reply_to,
        },
        status=status,
    )


@require_POST
@login_required
def directory_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.contact_reply(user=request.user, message_id=pk, body=form.cleaned_data["body"])
        except services.ContactLimited:
            return _limited(request, None)
        except Refused as refusal:
            form.add_error(None, refusal)
            return _inbox(request, reply_to=pk, form=form, status=409)
        messages.success(request, "Réponse envoyée.")
        return redirect("pratiques:directory_inbox")
    return _inbox(request, reply_to=pk, form=form, status=400)


@require_safe
@role_required(Role.CATALYST)
def directory_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's profile and messages (« mes données »): no address, theirs or anyone's."""
    profile = queries.own_profile(request.user)
    lines: list[list[str]] = [["rubrique", "champ", "valeur"]]
    if profile is not None:
        labels = queries.practice_labels([*profile.shares, *profile.seeks])

        def named(keys: list) -> str:
            return " | ".join(
                f"{labels[k].code} {labels[k].label}" if k in labels else str(k) for k in keys
            )

        rows = [
            ("nom_affiche", profile.shown_name),
            ("structure", profile.structure),
            ("profil", str(profile.actor_profile or "")),
            ("ingenieries", " | ".join(e.label for e in profile.engineerings.all())),
            ("territoires", " | ".join(str(t) for t in profile.territories.all())),
            ("je_peux_partager", named(profile.shares)),
            ("je_cherche", named(profile.seeks)),
            ("presentation", profile.presentation),
            ("visibilite", profile.get_visibility_display()),
            ("consentement_le", timezone.localtime(profile.consent_at).isoformat()),
            ("version_du_texte", profile.consent_version),
            ("confirmee_le", timezone.localtime(profile.confirmed_at).isoformat()),
        ]
        lines += [["fiche", k, v] for k, v in rows]
    for message in (line.message for line in queries.inbox(request.user)):
        direction = "envoye" if message.sender_id == request.user.pk else "recu"
        lines.append(
            [f"message_{direction}", timezone.localtime(message.sent_at).isoformat(), message.body]
        )
    return csv_response(lines, "mes-donnees-annuaire.csv")


# --- moderation ----------------------------------------------------------------------------------


@require_safe
@role_required(Role.NETWORK_ADMIN)
def directory_moderation(request: AuthenticatedHttpRequest) -> HttpResponse:
    profiles = list(DirectoryProfile.objects.select_related("user").order_by("-updated_at")[:200])
    recent = list(
        ContactMessage.objects.select_related("sender", "recipient__directory_profile").order_by(
            "-sent_at"
        )[:100]
    )
    blocked = set(ContactBlock.objects.values_list("user_id", flat=True))
    return render(
        request,
        "pratiques/directory/moderation.html",
        {"profiles": profiles, "recent": recent, "blocked": blocked},
    )


@require_POST
@role_required(Role.NETWORK_ADMIN)
def directory_profile_hide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(DirectoryProfile, pk=pk)
    answer = YesNoForm(request.POST, field="hidden")
    if not answer.is_valid():
        return HttpResponseBadRequest(answer.error_text)
    hidden = answer.answer
    services.profile_hide(actor=request.user, profile_id=pk, hidden=hidden)
    messages.success(request, "Fiche masquée." if hidden else "Fiche de nouveau visible.")
    return redirect("pratiques:directory_moderation")


@require_POST
@role_required(Role.NETWORK_ADMIN)
def directory_sender_block(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(User, pk=user_id)
    answer = YesNoForm(request.POST, field="blocked")
    if not answer.is_valid():
        return HttpResponseBadRequest(answer.error_text)
    blocked = answer.answer
    services.sender_block(
        actor=request.user, user=user, blocked=blocked, reason=request.POST.get("reason", "")
    )
    messages.success(request, "Envois suspendus." if blocked else "Envois rétablis.")
    return redirect("pratiques:directory_moderation")


# --- the « Qui agit ici » part of a territory page -------------------------------------------------


@login_not_required
@require_safe
def territory_directory(request: HtmxHttpRequest, level: str, code: str) -> HttpResponse:
    territory = territory_for_page(level, code)
    if territory is None:
        raise Http404("Territoire introuvable.")
    people, total = queries.who_acts_here(request.user, territory)
    template = "pratiques/directory/territory_block.html"
    if request.htmx:
        template += "#who_acts_here"
    return render(
        request,
        template,
        {
            "territory": territory,
            "people": people,
            "total": total,
            "can_edit": has_role(request.user, Role.CATALYST),
        },
    )
