"""Reads of the directory: who acts on a territory, the profile a viewer may see, the inbox.

Nothing here reads an assessment: a profile is what its owner typed, nothing more.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from pratiques.models import ContactMessage, DirectoryProfile, GridStatus, Practice, Visibility
from pratiques.models.directory import listed
from territoires.models import Engineering, Level, ProjectMember, Territory

PER_PAGE = 20


def territories_containing(territory: Territory) -> list[int]:
    """The territory and every one that contains it: its commune (for an arrondissement), EPCI,
    département, région, France, and the projects it (or its EPCI) belongs to. One query."""
    ids = {
        pk
        for pk in (
            territory.pk,
            territory.commune_id,
            territory.epci_id,
            territory.departement_id,
            territory.region_id,
        )
        if pk
    }
    members = [pk for pk in (territory.pk, territory.commune_id, territory.epci_id) if pk]
    # Two index lookups in one statement (an OR across a join would read every territory).
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Territory._meta.db_table} WHERE level = %s "
            f"UNION SELECT project_id FROM {ProjectMember._meta.db_table} "
            "WHERE member_id = ANY(%s)",
            [Level.COUNTRY.value, members],
        )
        ids.update(row[0] for row in cursor.fetchall())
    return sorted(ids)


def visible_profiles(viewer: User | AnonymousUser) -> QuerySet[DirectoryProfile]:
    profiles = DirectoryProfile.objects.filter(listed())
    if not viewer.is_authenticated:
        profiles = profiles.filter(visibility=Visibility.PUBLIC)
    return profiles


def _with_details(profiles: QuerySet[DirectoryProfile]) -> QuerySet[DirectoryProfile]:
    return profiles.select_related("actor_profile").prefetch_related(
        Prefetch("engineerings", queryset=Engineering.objects.only("id", "code", "label")),
        Prefetch(
            "territories",
            queryset=Territory.objects.only("id", "level", "code", "name").order_by(
                "level", "name"
            ),
        ),
    )


@dataclass
class DirectorySearch:
    territory: Territory | None = None
    practice: uuid.UUID | None = None
    actor_profile: str = ""
    engineering: str = ""
    page: Any = 1


def search_profiles(viewer: User | AnonymousUser, search: DirectorySearch) -> Page:
    """Listed profiles matching every criterion given, by name; 4 queries whatever the page."""
    profiles = visible_profiles(viewer)
    if search.territory is not None:
        ids = territories_containing(search.territory)
        profiles = profiles.filter(
            pk__in=DirectoryProfile.territories.through.objects.filter(territory_id__in=ids).values(
                "directoryprofile_id"
            )
        )
    if search.practice is not None:
        profiles = profiles.filter(
            Q(shares__contains=[search.practice]) | Q(seeks__contains=[search.practice])
        )
    if search.actor_profile:
        profiles = profiles.filter(actor_profile__code=search.actor_profile)
    if search.engineering:
        profiles = profiles.filter(
            pk__in=DirectoryProfile.engineerings.through.objects.filter(
                engineering__code=search.engineering
            ).values("directoryprofile_id")
        )
    paginator = Paginator(_with_details(profiles.order_by("shown_name", "pk")), PER_PAGE)
    return paginator.get_page(search.page)


def profile_for(viewer: User | AnonymousUser, pk: int) -> DirectoryProfile | None:
    return _with_details(visible_profiles(viewer)).filter(pk=pk).first()


def own_profile(user: User) -> DirectoryProfile | None:
    return _with_details(DirectoryProfile.objects.filter(user=user)).first()


def practice_labels(keys: Iterable[uuid.UUID]) -> dict[uuid.UUID, Practice]:
    """The practice each stable key names, in the newest published version that has it."""
    wanted = set(keys)
    if not wanted:
        return {}
    found: dict[uuid.UUID, Practice] = {}
    for practice in (
        Practice.objects.filter(key__in=wanted, version__status=GridStatus.PUBLISHED)
        .only("id", "key", "code", "label", "version_id")
        .order_by("-version__published_at", "-version_id")
    ):
        found.setdefault(practice.key, practice)
    return found


def published_practices() -> list[Practice]:
    """The practices of the newest published grid, in its order (choices of the forms)."""
    return list(
        Practice.objects.filter(
            version=Practice.objects.filter(version__status=GridStatus.PUBLISHED)
            .order_by("-version__published_at", "-version_id")
            .values("version_id")[:1]
        )
        .only("id", "key", "code", "label")
        .order_by("situation__order", "order", "code")
    )


def sharers_by_practice(
    viewer: User | AnonymousUser, keys: Iterable[uuid.UUID], *, per_practice: int = 3
) -> dict[uuid.UUID, list[DirectoryProfile]]:
    """Who can share each practice (« je peux partager »); one query."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return {}
    result: dict[uuid.UUID, list[DirectoryProfile]] = {key: [] for key in wanted}
    profiles = (
        visible_profiles(viewer)
        .filter(shares__overlap=wanted)
        .only("id", "shown_name", "structure", "shares")
        .order_by("-confirmed_at", "pk")[: 20 * len(wanted)]
    )
    for profile in profiles:
        for key in profile.shares:
            if key in result and len(result[key]) < per_practice:
                result[key].append(profile)
    return result


def who_acts_here(
    viewer: User | AnonymousUser, territory: Territory, *, limit: int = 6
) -> tuple[list[DirectoryProfile], int]:
    """Profiles acting on the territory or on one that contains it, and how many in all."""
    ids = territories_containing(territory)
    profiles = visible_profiles(viewer).filter(
        pk__in=DirectoryProfile.territories.through.objects.filter(territory_id__in=ids).values(
            "directoryprofile_id"
        )
    )
    shown = list(profiles.select_related("actor_profile").order_by("-confirmed_at", "pk")[:limit])
    total = len(shown) if len(shown) < limit else profiles.count()
    return shown, total


@dataclass(frozen=True)
class InboxLine:
    """A message of a person's inbox, its sender and recipient named as the page names them
    (``sender_label``: never an address)."""

    message: ContactMessage
    sender_name: str
    recipient_name: str

    @property
    def pk(self) -> int:
        return self.message.pk

    @property
    def recipient_id(self) -> int:
        return self.message.recipient_id

    @property
    def sent_at(self) -> datetime:
        return self.message.sent_at

    @property
    def body(self) -> str:
        return self.message.body


def inbox(user: User) -> list[InboxLine]:
    """The person's last 100 messages, sent or received, newest first (one query)."""
    messages = (
        ContactMessage.objects.filter(Q(recipient=user) | Q(sender=user))
        .select_related("sender__directory_profile", "recipient__directory_profile")
        .order_by("-sent_at")[:100]
    )
    return [
        InboxLine(message, sender_label(message.sender), sender_label(message.recipient))
        for message in messages
    ]


def sender_label(user: User) -> str:
    """How a sender is named to the recipient: the profile's name, else the first name and
    initial — never the address."""
    profile = getattr(user, "directory_profile", None)
    if profile is not None:
        return profile.shown_name
    name = " ".join(part for part in (user.first_name, user.last_name[:1]) if part)
    return f"{name}." if user.last_name else (name or "Une personne inscrite")
