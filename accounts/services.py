"""Writes on accounts: each one atomic, each change to a person recorded (who, when, what)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.models import ADDITION, DELETION, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.formats import date_format

from config import links
from config.links import Purpose
from config.people import history_record
from config.refusals import Refused
from config.roles import Role, user_roles
from pratiques import services as pratiques_services
from pratiques.models import Vouch, VouchSource
from territoires import services as territoires_services
from territoires.models import Mandate


class AccountRefused(Refused):
    """A change the rules forbid; ``str(error)`` is the French message to show."""

    default_code = "account_refused"


def role_labels(roles: list[Role]) -> str:
    return ", ".join(str(role.label) for role in roles) or "aucun rôle"


# --- states ------------------------------------------------------------------------------------


# A pending sign-up holds no password: this unusable marker (fresh at each request, so that only
# the latest link works) says « sign-up waiting for its link »; the password is chosen on the
# confirmation page, which only the owner of the mailbox reaches.
SIGNUP_MARK = "!inscription:"


def _signup_marked(user: User) -> bool:
    return user.password.startswith(SIGNUP_MARK)


def is_pending_invitation(user: User) -> bool:
    return (
        not user.is_active
        and user.last_login is None
        and not user.has_usable_password()
        and not _signup_marked(user)
    )


def is_pending_signup(user: User) -> bool:
    # A usable password: a sign-up made before the password moved to the confirmation page; it is
    # replaced at confirmation like the marker.
    return (
        not user.is_active
        and user.last_login is None
        and (_signup_marked(user) or user.has_usable_password())
    )


def status_label(user: User) -> str:
    if user.is_active:
        return "actif"
    if is_pending_invitation(user):
        return "invitation en attente"
    if is_pending_signup(user):
        return "adresse non confirmée"
    return "désactivé"


# --- e-mails -----------------------------------------------------------------------------------


def _send(template: str, to: str, context: dict[str, object]) -> None:
    """Sent inside the transaction: if the mail server refuses, nothing is recorded."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    subject = render_to_string(f"comptes/emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"comptes/emails/{template}.txt", context)
    send_mail(subject, body, None, [to])


def _send_signup_link(user: User) -> None:
    token = links.make_link_token(user, Purpose.SIGNUP)
    _send(
        "signup",
        user.email,
        {
            "user": user,
            "url": links.link_url("accounts:signup_confirm", token),
            "hours": settings.SIGNUP_LINK_MAX_AGE_HOURS,
        },
    )


def _send_invitation(user: User, actor: User, roles: list[Role]) -> None:
    token = links.make_link_token(user, Purpose.INVITATION)
    _send(
        "invitation",
        user.email,
        {
            "user": user,
            "actor": actor,
            "roles": role_labels(roles),
            "url": links.link_url("accounts:invitation_accept", token),
            "days": settings.INVITATION_LINK_MAX_AGE_DAYS,
        },
    )


def _inactive_user(email: str, first_name: str, last_name: str) -> User:
    """An account waiting for its link (sign-up or invitation); the e-mail is its username."""
    return User(
        username=email[:150],
        email=email,
        first_name=first_name.strip()[:150],
        last_name=last_name.strip()[:150],
        is_active=False,
    )


def _by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).order_by("pk").first()


# --- sign-up (catalysts) -----------------------------------------------------------------------


def _mark_pending_signup(user: User) -> None:
    user.password = SIGNUP_MARK + get_random_string(32)


@transaction.atomic
def signup_request(*, email: str, first_name: str, last_name: str) -> User | None:
    """Creates an inactive catalyst without a password and e-mails the confirmation link, where the
    password is chosen. A new request for an address still pending wins: its names replace the
    earlier ones and the earlier links stop working. An address already known gets an e-mail saying
    so (the page answers the same either way, like the password reset)."""
    email = email.strip().lower()
    existing = _by_email(email)
    if existing is not None:
        existing = User.objects.select_for_update().get(pk=existing.pk)
        if is_pending_signup(existing):
            existing.first_name = first_name.strip()[:150]
            existing.last_name = last_name.strip()[:150]
            _mark_pending_signup(existing)
            existing.save(update_fields=["first_name", "last_name", "password"])
            history_record(
                actor=None,
                user=existing,
                message="Nouvelle demande d'inscription : elle remplace la précédente",
            )
            _send_signup_link(existing)
        else:
            _send("signup_existing", existing.email, {"user": existing})
        return None
    user = _inactive_user(email, first_name, last_name)
    _mark_pending_signup(user)
    user.save()
    user.groups.add(Group.objects.get(name=Role.CATALYST.value))
    history_record(
        actor=None,
        user=user,
        message="Inscription (catalyseur·rice), adresse à confirmer",
        flag=ADDITION,
    )
    _send_signup_link(user)
    return user


@transaction.atomic
def signup_resend(*, email: str) -> bool:
    """The confirmation link again, for an address whose sign-up is pending (nothing otherwise:
    the caller answers the same either way). Earlier links keep working until one is used."""
    user = _by_email(email)
    if user is None or not is_pending_signup(user):
        return False
    _send_signup_link(user)
    return True


@transaction.atomic
def signup_confirm(*, token: str, password: str) -> User:
    """Activates the account with the password chosen now, on the page the link opens: the
    account never holds a password that its mailbox owner did not choose."""
    user = links.check_link_token(token, Purpose.SIGNUP)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not is_pending_signup(user):
        raise links.LinkError(links.LinkError.USED)
    # The state digest of the token covers the password: re-check under the lock.
    links.check_link_token(token, Purpose.SIGNUP)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    history_record(actor=None, user=user, message="Adresse électronique confirmée, compte activé")
    return user


# --- invitations -------------------------------------------------------------------------------


@transaction.atomic
def invitation_send(
    *, actor: User, email: str, first_name: str, last_name: str, roles: list[Role]
) -> User:
    email = email.strip().lower()
    if _by_email(email) is not None:
        raise AccountRefused(
            "Un compte existe déjà avec cette adresse : changez ses rôles depuis sa fiche.",
            code="email_taken",
        )
    user = _inactive_user(email, first_name, last_name)
    user.set_unusable_password()
    user.save()
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    history_record(
        actor=actor, user=user, message=f"Invitation envoyée ({role_labels(roles)})", flag=ADDITION
    )
    _send_invitation(user, actor, roles)
    return user


@transaction.atomic
def invitation_resend(*, actor: User, user: User) -> None:
    if not is_pending_invitation(user):
        raise AccountRefused(
            "Cette personne n'a pas d'invitation en attente.", code="no_pending_invitation"
        )
    roles = user_roles(user)
    history_record(actor=actor, user=user, message="Invitation renvoyée")
    _send_invitation(user, actor, roles)


@transaction.atomic
def invitation_accept(*, token: str, password: str, first_name: str, last_name: str) -> User:
    user = links.check_link_token(token, Purpose.INVITATION)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not is_pending_invitation(user):
        raise links.LinkError(links.LinkError.USED)
    user.set_password(password)
    user.first_name = first_name.strip()[:150] or user.first_name
    user.last_name = last_name.strip()[:150] or user.last_name
    user.is_active = True
    user.save()
    history_record(actor=None, user=user, message="Invitation acceptée, compte activé")
    # Invited by the network: a real person the network knows, counted in its figures.
    pratiques_services.vouch_record(user=user, source=VouchSource.INVITATION, by=_inviter(user))
    history_record(
        actor=None,
        user=user,
        message="Compte dans les chiffres du réseau : invité·e par l'administration du réseau",
    )
    return user


def _inviter(user: User) -> User | None:
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User),
            object_id=str(user.pk),
            action_flag=ADDITION,
            change_message__startswith="Invitation envoyée",
        )
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    return entry.user if entry is not None and entry.user_id != user.pk else None


# --- roles and status ---------------------------------------------------------------------------


@transaction.atomic
def roles_set(*, actor: User, user: User, roles: list[Role]) -> None:
    before = (
        user_roles(user)
        if not user.is_superuser
        else [r for r in Role if user.groups.filter(name=r.value).exists()]
    )
    if user.pk == actor.pk and Role.NETWORK_ADMIN not in roles:
        raise AccountRefused(
            "Vous ne pouvez pas retirer votre propre rôle d'administrateur·rice.",
            code="own_admin_role",
        )
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    user.__dict__.pop("_role_names", None)
    if set(before) != set(roles):
        history_record(
            actor=actor,
            user=user,
            message=f"Rôles : {role_labels(before)} → {role_labels(roles)}",
        )


@transaction.atomic
def account_active_set(*, actor: User, user: User, active: bool) -> None:
    if user.pk == actor.pk:
        raise AccountRefused(
            "Vous ne pouvez pas désactiver votre propre compte.", code="own_account"
        )
    if not active and is_pending_invitation(user):
        user.set_unusable_password()  # a fresh marker: the pending invitation link stops working
        user.save(update_fields=["password"])
        history_record(actor=actor, user=user, message="Invitation annulée")
        return
    if active == user.is_active:
        return
    if active and is_pending_signup(user):
        raise AccountRefused(
            "Cette personne n'a pas encore confirmé son adresse : elle doit ouvrir le lien reçu "
            "par e-mail (elle peut le redemander depuis la page de connexion).",
            code="signup_pending",
        )
    if active and user.last_login is None and not user.has_usable_password():
        raise AccountRefused(
            "Cette personne n'a pas encore accepté son invitation : renvoyez-la.",
            code="invitation_pending",
        )
    user.is_active = active
    user.save()
    history_record(
        actor=actor, user=user, message="Compte réactivé" if active else "Compte désactivé"
    )


# --- who counts: approval of signed-up catalysts -----------------------------------------------------


def approval_queue() -> Any:
    """Confirmed catalysts that the network has not vouched for yet, oldest sign-up first."""
    return (
        User.objects.filter(is_active=True, vouch__isnull=True, groups__name=Role.CATALYST.value)
        .exclude(username__startswith="compte-supprime-")
        .order_by("date_joined", "pk")
    )


@transaction.atomic
def approval_grant(*, actor: User, user: User) -> None:
    """A network admin vouches that a signed-up catalyst is a real person of the network: from the
    next release on, their consented assessments enter the figures about others."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise AccountRefused(
            "Ce compte n'est pas actif (adresse non confirmée ou compte désactivé) : il ne peut "
            "pas être approuvé.",
            code="approval_inactive",
        )
    if Vouch.objects.filter(user=user).exists():
        raise AccountRefused(
            "Cette personne compte déjà dans les chiffres du réseau.", code="already_vouched"
        )
    pratiques_services.vouch_record(user=user, source=VouchSource.APPROVAL, by=actor)
    history_record(
        actor=actor,
        user=user,
        message="Inscription approuvée : compte dans les chiffres du réseau",
    )


@transaction.atomic
def approval_withdraw(*, actor: User, user: User) -> None:
    """The network withdraws its word (a fake or duplicate account, a person who left): the
    person's assessments stop entering the figures about others from the next release on."""
    if not pratiques_services.vouch_withdraw(user=user):
        raise AccountRefused(
            "Cette personne ne compte pas dans les chiffres du réseau.", code="not_vouched"
        )
    history_record(
        actor=actor,
        user=user,
        message="Approbation retirée : compte hors des chiffres du réseau",
    )


def standing_of(user: User) -> dict[str, Any]:
    """For the person page: the vouch (or None) and whether the person counts."""
    vouch = Vouch.objects.filter(user=user).select_related("vouched_by").first()
    return {"vouch": vouch, "counts": vouch is not None and user.is_active}


def standing_sentence(user: User) -> tuple[bool, str]:
    """Whether this person counts in the network's figures, and why, in one plain sentence."""
    vouch = Vouch.objects.filter(user=user).first()
    if vouch is not None and user.is_active:
        reasons = {
            VouchSource.INVITATION: "vous avez été invité·e par l'administration du réseau",
            VouchSource.CAMPAIGN: "vous faites partie de la population d'une campagne d'étude "
            "du réseau",
            VouchSource.APPROVAL: "votre inscription a été approuvée par l'administration du "
            f"réseau le {date_format(timezone.localtime(vouch.created_at), 'j F Y')}",
            VouchSource.DEMO: "c'est un compte de démonstration",
        }
        reason = reasons.get(VouchSource(vouch.source), "le réseau vous connaît")
        return True, (
            "Vos auto-évaluations comptent dans les chiffres du réseau (statistiques publiées, "
            f"comparaisons entre pairs, analyses), si vous l'acceptez à chaque validation : {reason}."
        )
    return False, (
        "Vos auto-évaluations ne comptent pas encore dans les chiffres du réseau : une "
        "inscription ouverte à tous doit d'abord être approuvée par l'administration du réseau, "
        "pour que des comptes fictifs ne puissent ni fausser les chiffres ni percer le secret "
        "statistique. Vous pouvez déjà vous auto-évaluer et voir vos propres résultats."
    )


# --- lockouts (django-axes) ----------------------------------------------------------------------


@dataclass
class Lockout:
    username: str
    ip_address: str
    failures: int
    last_attempt: datetime
    until: datetime


def lockouts() -> list[Lockout]:
    """Current lockouts: pairs over the failure limit whose cool-off has not ended."""
    cooloff = settings.AXES_COOLOFF_TIME
    since = timezone.now() - cooloff
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
    return [
        Lockout(
            a.username or "",
            a.ip_address or "",
            a.failures_since_start,
            a.attempt_time,
            a.attempt_time + cooloff,
        )
        for a in attempts
    ]


@transaction.atomic
def lockout_lift(*, actor: User, username: str, ip_address: str) -> int:
    attempts = AccessAttempt.objects.filter(username=username)
    if ip_address:
        attempts = attempts.filter(ip_address=ip_address)
    count, _ = attempts.delete()
    user = User.objects.filter(username=username).first()
    where = f" (adresse {ip_address})" if ip_address else ""
    history_record(
        actor=actor, user=user, message=f"Verrou de connexion levé pour « {username} »{where}"
    )
    return int(count)


# --- mandates of elected officials -------------------------------------------------------------


@transaction.atomic
def mandate_decide(*, actor: User, mandate: Mandate, confirm: bool) -> Mandate:
    mandate = territoires_services.mandate_decide(actor=actor, mandate=mandate, confirm=confirm)
    verb = "confirmé" if confirm else "refusé"
    history_record(actor=actor, user=mandate.user, message=f"Mandat {verb} : {mandate.territory}")
    return mandate


# --- deletion on request -------------------------------------------------------------------------


@transaction.atomic
def account_delete(*, user: User) -> int:
    """Removes everything personal: assessments (withdrawn from the peer statistics), memberships,
    mandates, follows, login attempts; the account itself is anonymised so that the history of what
    this person did as an admin keeps a (nameless) author. Returns the number of assessments removed.
    Aggregates already released (reports, published figures) stay, anonymised."""
    from pratiques.directory.services import directory_data_delete
    from pratiques.services import user_data_delete

    count = user_data_delete(user=user)
    directory_data_delete(user=user)
    user.mandates.all().delete()
    user.follows.all().delete()
    AccessAttempt.objects.filter(username=user.username).delete()
    anonymous = f"compte-supprime-{user.pk}"
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=f"Compte supprimé n° {user.pk}")
    user.username = anonymous
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    history_record(
        actor=None, user=user, message="Compte supprimé à la demande de la personne", flag=DELETION
    )
    return count
