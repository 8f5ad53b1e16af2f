"""The people tables' primitives: accounts, role groups, and the people history.

Django's `User`, `Group` and `LogEntry` are written here or in `accounts/services.py` (the
journeys: sign-up, invitations, roles, deletion), nowhere else. These primitives sit on the ground
floor because the domain apps below `accounts` need a few of them (a campaign activates the account
of the person it invited, the demonstration creates its peers) and may not import `accounts`.
"""

from __future__ import annotations

import secrets

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from config.roles import Role


def history_record(
    *, actor: User | None, user: User | None, message: str, flag: int = CHANGE
) -> None:
    """One line of the people history. ``actor`` None = the person themself (sign-up, deletion)."""
    author = actor or user
    if author is None:
        raise ValueError("history_record: an actor or a user is needed.")
    LogEntry.objects.create(
        user_id=author.pk,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk) if user else None,
        object_repr=(person_display(user) if user else "—")[:200],
        action_flag=flag,
        change_message=message,
    )


def person_display(user: User) -> str:
    name = user.get_full_name()
    return f"{name} <{user.email}>" if name else user.email or user.username


def role_grant(*, user: User, role: Role) -> None:
    """Adds a role (idempotent)."""
    user.groups.add(Group.objects.get(name=role.value))


def person_activate(*, user: User, first_name: str = "", last_name: str = "") -> User:
    """Opens a pending account (an invitation followed), keeping a name already given."""
    user.is_active = True
    user.first_name = user.first_name or first_name
    user.last_name = user.last_name or last_name
    user.save(update_fields=["is_active", "first_name", "last_name"])
    return user


def people_create(*, people: list[User], role: Role | None = None) -> list[User]:
    """Accounts in one statement (pending campaign invitees, demonstration peers), with a role."""
    created = User.objects.bulk_create(people)
    if role is not None:
        group = Group.objects.get(name=role.value)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=user.pk, group_id=group.pk) for user in created]
        )
    return created


@transaction.atomic
def person_ensure(
    *,
    username: str,
    role: Role,
    email: str = "",
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    staff: bool | None = None,
    keep_password: bool = False,
    actor: User | None = None,
) -> tuple[User, str | None]:
    """Creates an account with a role, or gives an existing one the role (command line).

    Returns the account and the password set (generated for a new account without one; an
    existing account keeps its own with ``keep_password``), and records a new account or a new
    role in the people history (``actor``, or the person themself from the command line).
    """
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": email, "first_name": first_name, "last_name": last_name},
    )
    if keep_password and not created:
        password = None
    new_password = password or (secrets.token_urlsafe(12) if created else None)
    if new_password:
        user.set_password(new_password)
    if email:
        user.email = email
    if staff is not None:
        user.is_staff = staff
    user.save()
    granted = created or not user.groups.filter(name=role.value).exists()
    role_grant(user=user, role=role)
    if not granted:
        return user, new_password
    verb = "Compte créé" if created else "Rôle donné"
    history_record(
        actor=actor,
        user=user,
        message=f"{verb} en ligne de commande : {role.label}",
        flag=ADDITION if created else CHANGE,
    )
    return user, new_password
