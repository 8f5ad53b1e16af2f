"""Signed, expiring, single-use links — one mechanism for every e-mailed link of the platform.

A link names a user and a ``Purpose``; it is signed with ``TimestampSigner`` (salted with the
purpose, so a sign-up link is never accepted as an invitation) and carries a digest of the state
that using the link changes (``is_active``, ``last_login``, password hash, e-mail): once used, that
state has changed and the same link is refused as « déjà utilisé ».

    token = make_link_token(user, Purpose.INVITATION)
    url = link_url("accounts:invitation_accept", token)        # absolute, for an e-mail
    user = check_link_token(token, Purpose.INVITATION)          # or raises LinkError (French text)

An e-mailed link that signs someone in (a campaign's personal link) does so only for a person
who never had a password nor a role other than catalyst (``may_sign_in_by_link``), and only on the
POST of a button: a mail scanner's GET changes nothing. Anyone else signs in with their password.

A purpose's maximum age comes from ``max_age(purpose)`` (settings ``SIGNUP_LINK_MAX_AGE_HOURS``,
``INVITATION_LINK_MAX_AGE_DAYS``). Campaign invitations reuse ``Purpose.INVITATION`` (or add a purpose
here): the person is created inactive without a usable password, and accepting activates them.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from config.refusals import Refused
from config.roles import Role


class Purpose(models.TextChoices):
    SIGNUP = "inscription", "Confirmation d'inscription"
    INVITATION = "invitation", "Invitation"
    CAMPAIGN = "campagne", "Invitation à une campagne"
    CAMPAIGN_REMINDERS_STOP = "relances", "Arrêt des relances d'une campagne"
    PLAN_REMINDERS_STOP = "rappels-plan", "Arrêt des rappels du plan de développement"
    DIALOGUE = "dialogue", "Invitation à un dialogue territorial"
    DIALOGUE_REMINDERS_STOP = "relances-dialogue", "Arrêt des relances d'un dialogue territorial"


class LinkError(Refused):
    """A link that cannot be used; ``str(error)`` is the French message to show."""

    EXPIRED = "Ce lien a expiré. Demandez-en un nouveau."
    USED = "Ce lien a déjà été utilisé. Connectez-vous, ou demandez un nouveau lien."
    INVALID = "Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier."
    CODES = {EXPIRED: "link_expired", USED: "link_used", INVALID: "link_invalid"}
    default_code = "link_invalid"
    default_message = INVALID

    def __init__(self, message: str = INVALID) -> None:
        super().__init__(message, code=self.CODES.get(message, self.default_code))


def max_age(purpose: Purpose) -> timedelta:
    if purpose == Purpose.SIGNUP:
        return timedelta(hours=settings.SIGNUP_LINK_MAX_AGE_HOURS)
    return timedelta(days=settings.INVITATION_LINK_MAX_AGE_DAYS)


def _signer(purpose: Purpose) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"config.links.{purpose.value}")


def _state(user: User, purpose: Purpose) -> str:
    last_login = (
        "" if user.last_login is None else user.last_login.replace(microsecond=0).isoformat()
    )
    value = f"{user.pk}|{user.is_active}|{last_login}|{user.password}|{user.email}"
    return salted_hmac(
        f"config.links.state.{purpose.value}", value, algorithm="sha256"
    ).hexdigest()[:20]


def make_link_token(user: User, purpose: Purpose) -> str:
    """A URL-safe token for ``user`` and ``purpose``."""
    return _signer(purpose).sign_object({"u": user.pk, "s": _state(user, purpose)}, compress=True)


def check_link_token(token: str, purpose: Purpose) -> User:
    """The user a valid, unexpired, unused token names; raises ``LinkError`` otherwise."""
    try:
        data = _signer(purpose).unsign_object(token, max_age=max_age(purpose))
    except signing.SignatureExpired:
        raise LinkError(LinkError.EXPIRED) from None
    except (signing.BadSignature, ValueError):
        raise LinkError(LinkError.INVALID) from None
    if not isinstance(data, dict) or "u" not in data or "s" not in data:
        raise LinkError(LinkError.INVALID)
    user = User.objects.filter(pk=data["u"]).first()
    if user is None:
        raise LinkError(LinkError.INVALID)
    if not constant_time_compare(str(data["s"]), _state(user, purpose)):
        raise LinkError(LinkError.USED)
    return user


def make_data_token(data: dict[str, int], purpose: Purpose) -> str:
    """A signed, expiring token carrying ``data`` and naming no account: a dialogue's personal
    link (the respondent has none). What makes it single-use is the caller's state (a submitted
    answer), checked after ``check_data_token``."""
    return _signer(purpose).sign_object(data, compress=True)


def check_data_token(token: str, purpose: Purpose) -> dict[str, int]:
    """The data of a valid, unexpired token of ``purpose``; raises ``LinkError`` otherwise."""
    try:
        data = _signer(purpose).unsign_object(token, max_age=max_age(purpose))
    except signing.SignatureExpired:
        raise LinkError(LinkError.EXPIRED) from None
    except (signing.BadSignature, ValueError):
        raise LinkError(LinkError.INVALID) from None
    if not isinstance(data, dict) or not all(isinstance(v, int) for v in data.values()):
        raise LinkError(LinkError.INVALID)
    return data


def link_url(url_name: str, token: str) -> str:
    """The absolute address of a link view taking ``token`` (for an e-mail)."""
    return settings.SITE_URL.rstrip("/") + reverse(url_name, kwargs={"token": token})


def link_url_for(url_name: str, **kwargs: object) -> str:
    """The absolute address of a link view taking ``token`` and other arguments (for an e-mail)."""
    return settings.SITE_URL.rstrip("/") + reverse(url_name, kwargs=kwargs)


def may_sign_in_by_link(user: User) -> bool:
    """Whether an e-mailed link may open this person's session: never for an account that has (or
    had) a password, administration rights or a role other than catalyst — those sign in with
    their password. The history of the people pages keeps every role given to an account."""
    if user.is_staff or user.is_superuser or user.has_usable_password():
        return False
    if user.groups.exclude(name=Role.CATALYST.value).exists():
        return False
    # Role changes of the people pages name the roles; those made in /admin/ name the field.
    other_roles = [str(role.label) for role in Role if role != Role.CATALYST]
    other_roles += ['"Groups"', '"Groupes"', "Groupes", "Statut équipe", "Statut super-utilisateur"]
    history = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).values_list("change_message", flat=True)
    return not any(label in message for message in history for label in other_roles)


def make_lasting_token(user: User, purpose: Purpose) -> str:
    """A signed token that never expires nor wears out, for a « stop these e-mails » link: it
    must still work after the person logged in or months later, and only ever turns something off."""
    return signing.Signer(salt=f"config.links.lasting.{purpose.value}").sign_object({"u": user.pk})


def make_lasting_data_token(data: dict[str, int], purpose: Purpose) -> str:
    """As ``make_lasting_token``, for a link that names no account (stop a dialogue's reminders)."""
    return signing.Signer(salt=f"config.links.lasting.{purpose.value}").sign_object(data)


def check_lasting_data_token(token: str, purpose: Purpose) -> dict[str, int]:
    try:
        data = signing.Signer(salt=f"config.links.lasting.{purpose.value}").unsign_object(token)
    except (signing.BadSignature, ValueError):
        raise LinkError(LinkError.INVALID) from None
    if not isinstance(data, dict) or not all(isinstance(v, int) for v in data.values()):
        raise LinkError(LinkError.INVALID)
    return data


def check_lasting_token(token: str, purpose: Purpose) -> User:
    try:
        data = signing.Signer(salt=f"config.links.lasting.{purpose.value}").unsign_object(token)
    except (signing.BadSignature, ValueError):
        raise LinkError(LinkError.INVALID) from None
    user_id = data.get("u") if isinstance(data, dict) else None
    user = User.objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    if user is None:
        raise LinkError(LinkError.INVALID)
    return user
