"""Writes of the territorial dialogues: open, import the respondents, open the link, answer
(autosaved), submit, close (the frozen dataset). Every refusal is a ``DialogueRefused``."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from config.refusals import Refused, full_clean_or_refuse
from config.roles import Role, has_role
from observatoire.dialogues.models import (
    PRIORITIES_MAX,
    PRIORITIES_MIN,
    Dialogue,
    DialogueInitiative,
    DialogueInvitee,
    DialogueResponse,
    DialogueSnapshot,
    DialogueStatus,
    PerceivedFragility,
    ResponseVia,
)
from observatoire.dialogues.population import parse_respondents
from territoires.models import (
    ActorProfile,
    Fragility,
    Level,
    Mandate,
    MandateStatus,
    Territory,
)


class DialogueRefused(Refused):
    default_code = "dialogue_refused"


CLOSED = "Ce dialogue est clos : les réponses ne sont plus acceptées."
NOT_OPEN = "Ce dialogue n'accepte pas de réponses en ce moment (il n'est pas ouvert à cette date)."
SUBMITTED = "Votre réponse a été envoyée : elle ne peut plus être modifiée."


# --- who may open a dialogue -----------------------------------------------------------------


def may_open_on(user: Any, territory: Territory) -> bool:
    """A network admin or a catalyst anywhere; an official on a territory of a confirmed mandate."""
    if has_role(user, Role.NETWORK_ADMIN) or has_role(user, Role.CATALYST):
        return True
    if not has_role(user, Role.OFFICIAL):
        return False
    return Mandate.objects.filter(
        user=user, territory=territory, status=MandateStatus.CONFIRMED
    ).exists()


def may_organise(user: Any) -> bool:
    """Whether the person may open a dialogue somewhere (the « nouveau dialogue » page)."""
    return any(has_role(user, role) for role in Role)


def may_manage(user: Any, dialogue: Dialogue) -> bool:
    """The organiser and the network admins."""
    return has_role(user, Role.NETWORK_ADMIN) or (
        user.is_authenticated and dialogue.organiser_id == user.pk
    )


@transaction.atomic
def dialogue_create(
    *,
    user: User,
    territory: Territory,
    title: str,
    introduction: str,
    opens_on: date,
    closes_on: date,
    reminder_days: str = "7,14",
) -> Dialogue:
    if territory.level == Level.COUNTRY:
        raise DialogueRefused(
            {
                "territory": "Un dialogue se tient sur une région, un département, une "
                "intercommunalité, une commune ou un territoire de projet."
            },
            code="dialogue_country",
        )
    if not may_open_on(user, territory):
        raise DialogueRefused(
            {
                "territory": (
                    f"Vous ne pouvez pas ouvrir de dialogue sur « {territory.name} » : un·e élu·e "
                    "le fait sur un territoire dont son mandat est confirmé par le réseau."
                )
            },
            code="dialogue_not_allowed",
        )
    dialogue = Dialogue(
        territory=territory,
        title=title,
        introduction=introduction,
        opens_on=opens_on,
        closes_on=closes_on,
        reminder_days=reminder_days,
        organiser=user,
    )
    if closes_on < opens_on:
        raise DialogueRefused(
            {"closes_on": "La clôture doit venir après l'ouverture."}, code="dialogue_dates"
        )
    full_clean_or_refuse(dialogue, code="dialogue_invalid", exclude=["open_code"])
    dialogue.save()
    return dialogue


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


@transaction.atomic
def respondents_import(*, dialogue_id: int, data: bytes, file_name: str) -> ImportResult:
    """Adds (or updates, by e-mail) the people of the file; nothing is written if a row is bad
    (``PopulationRefused``, every bad row with its line)."""
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue_id)
    if dialogue.is_closed:
        raise DialogueRefused(
            "Ce dialogue est clos : sa liste d'acteurs ne change plus.", code="dialogue_closed"
        )
    people = parse_respondents(data, file_name=file_name)
    existing = {
        invitee.email: invitee
        for invitee in DialogueInvitee.objects.filter(
            dialogue=dialogue, email__in=[p.email for p in people]
        )
    }
    new: list[DialogueInvitee] = []
    changed: list[DialogueInvitee] = []
    for person in people:
        invitee = existing.get(person.email) or DialogueInvitee(
            dialogue=dialogue, email=person.email
        )
        invitee.name = person.name
        invitee.organisation = person.organisation
        invitee.actor_profile = person.profile
        invitee.line = person.line
        (changed if invitee.pk else new).append(invitee)
    DialogueInvitee.objects.bulk_create(new, batch_size=1000)
    DialogueInvitee.objects.bulk_update(
        changed, ["name", "organisation", "actor_profile", "line"], batch_size=1000
    )
    return ImportResult(created=len(new), updated=len(changed))


@transaction.atomic
def dialogue_open(*, dialogue_id: int) -> Dialogue:
    """From « en préparation » to « ouvert »: answers accepted within its dates, invitations due."""
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue_id)
    if dialogue.status != DialogueStatus.DRAFT:
        raise DialogueRefused("Ce dialogue est déjà ouvert ou clos.", code="dialogue_not_draft")
    if dialogue.closes_on < timezone.localdate():
        raise DialogueRefused(
            "Sa date de clôture est passée : ce dialogue ne peut plus être ouvert.",
            code="dialogue_past",
        )
    dialogue.status = DialogueStatus.OPEN
    dialogue.opened_at = timezone.now()
    dialogue.save(update_fields=["status", "opened_at"])
    return dialogue


@transaction.atomic
def open_link_set(*, dialogue_id: int, active: bool) -> Dialogue:
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue_id)
    if dialogue.is_closed and active:
        raise DialogueRefused("Ce dialogue est clos.", code="dialogue_closed")
    dialogue.open_link_active = active
    dialogue.save(update_fields=["open_link_active"])
    return dialogue


# --- respondents -----------------------------------------------------------------------------


def _accepting(dialogue: Dialogue) -> None:
    if dialogue.is_closed:
        raise DialogueRefused(CLOSED, code="dialogue_closed")
    if not dialogue.accepts_answers():
        raise DialogueRefused(NOT_OPEN, code="dialogue_not_open")


@transaction.atomic
def response_start_invited(*, invitee_id: int) -> DialogueResponse:
    """The answer of an invited person: created on first use of their link, then resumed."""
    invitee = (
        DialogueInvitee.objects.select_for_update().select_related("dialogue").get(pk=invitee_id)
    )
    existing = DialogueResponse.objects.filter(invitee=invitee).first()
    if existing is not None:
        return existing
    _accepting(invitee.dialogue)
    return DialogueResponse.objects.create(
        dialogue=invitee.dialogue,
        invitee=invitee,
        via=ResponseVia.INVITED,
        actor_profile_id=invitee.actor_profile_id,
    )


@transaction.atomic
def response_start_open(
    *, dialogue_id: int, actor_profile: ActorProfile, commune: Territory
) -> DialogueResponse:
    dialogue = Dialogue.objects.get(pk=dialogue_id)
    if not dialogue.open_link_active:
        raise DialogueRefused(
            "L'organisateur a fermé le lien ouvert de ce dialogue.", code="open_link_closed"
        )
    _accepting(dialogue)
    _check_commune(commune)
    return DialogueResponse.objects.create(
        dialogue=dialogue, via=ResponseVia.OPEN, actor_profile=actor_profile, commune=commune
    )


def _check_commune(commune: Territory | None) -> None:
    if commune is not None and commune.level not in (Level.COMMUNE, Level.ARRONDISSEMENT):
        raise DialogueRefused(
            {"commune": "Choisissez une commune (et non une intercommunalité ou un département)."},
            code="not_a_commune",
        )


def _writable(response_id: int) -> DialogueResponse:
    """The response, locked (a submission waits for an autosave, and the reverse), if it still
    takes changes."""
    response = (
        DialogueResponse.objects.select_for_update(of=("self",))
        .select_related("dialogue")
        .get(pk=response_id)
    )
    if response.is_submitted:
        raise DialogueRefused(SUBMITTED, code="response_submitted")
    _accepting(response.dialogue)
    return response


UNSET = "unset"


@dataclass(frozen=True)
class PerceptionSaved:
    level: int | str | None  # UNSET: no answer
    is_priority: bool
    priorities: int


@transaction.atomic
def perception_save(
    *, response_id: int, fragility_id: int, level: int | str | None, is_priority: bool
) -> PerceptionSaved:
    """Autosave of one fragility: its perceived level (0–3, None = « je ne sais pas », UNSET =
    no answer) and whether it is one of the priorities (5 at most)."""
    response = _writable(response_id)
    if level is not UNSET and level is not None and level not in (0, 1, 2, 3):
        raise DialogueRefused("Niveau inconnu.", code="level_invalid")
    others = PerceivedFragility.objects.filter(response=response, is_priority=True).exclude(
        fragility_id=fragility_id
    )
    count = others.count()
    if is_priority and count >= PRIORITIES_MAX:
        raise DialogueRefused(
            f"{PRIORITIES_MAX} priorités au plus : retirez-en une avant d'en choisir une autre.",
            code="too_many_priorities",
        )
    if level is UNSET and not is_priority:
        PerceivedFragility.objects.filter(response=response, fragility_id=fragility_id).delete()
    else:
        PerceivedFragility.objects.bulk_create(  # one upsert statement
            [
                PerceivedFragility(
                    response=response,
                    fragility_id=fragility_id,
                    level=None if level is UNSET else level,
                    is_priority=is_priority,
                )
            ],
            update_conflicts=True,
            unique_fields=["response", "fragility"],
            update_fields=["level", "is_priority"],
        )
    DialogueResponse.objects.filter(pk=response.pk).update(updated_at=timezone.now())
    return PerceptionSaved(level, is_priority, count + int(is_priority))


@transaction.atomic
def identity_save(
    *, response_id: int, actor_profile: ActorProfile | None, commune: Territory | None
) -> DialogueResponse:
    response = _writable(response_id)
    _check_commune(commune)
    response.actor_profile = actor_profile
    response.commune = commune
    response.save(update_fields=["actor_profile", "commune", "updated_at"])
    return response


@transaction.atomic
def acts_with_save(*, response_id: int, profiles: list[ActorProfile]) -> DialogueResponse:
    response = _writable(response_id)
    response.acts_with.set(profiles)
    response.save(update_fields=["updated_at"])
    return response


@transaction.atomic
def initiative_save(
    *,
    response_id: int,
    fragility: Fragility | None,
    title: str,
    text: str,
    carrier: str,
) -> DialogueInitiative | None:
    """The optional initiative: all fields empty removes it; otherwise all are required."""
    response = _writable(response_id)
    if not (fragility or title.strip() or text.strip() or carrier.strip()):
        DialogueInitiative.objects.filter(response=response).delete()
        return None
    missing = {
        field: "Ce champ est obligatoire pour proposer une initiative."
        for field, value in (
            ("fragility", fragility),
            ("title", title.strip()),
            ("text", text.strip()),
            ("carrier", carrier.strip()),
        )
        if not value
    }
    if missing or fragility is None:
        raise DialogueRefused(missing, code="initiative_incomplete")
    initiative, _ = DialogueInitiative.objects.update_or_create(
        response=response,
        defaults={
            "fragility": fragility,
            "title": title.strip(),
            "text": text.strip(),
            "carrier": carrier.strip(),
        },
    )
    return initiative


def submit_problems(response: DialogueResponse) -> list[str]:
    """What keeps an answer from being sent (French sentences), empty when it can be."""
    problems = []
    if response.actor_profile_id is None:
        problems.append("Indiquez votre profil d'acteur.")
    if response.commune_id is None:
        problems.append("Indiquez votre commune d'activité.")
    priorities = PerceivedFragility.objects.filter(response=response, is_priority=True).count()
    if not PRIORITIES_MIN <= priorities <= PRIORITIES_MAX:
        problems.append(
            f"Choisissez de {PRIORITIES_MIN} à {PRIORITIES_MAX} fragilités prioritaires "
            f"(vous en avez choisi {priorities})."
        )
    return problems


@transaction.atomic
def response_submit(*, response_id: int) -> DialogueResponse:
    # The dialogue is locked first, as its closing does: no submission slips past a snapshot.
    dialogue_id = DialogueResponse.objects.values_list("dialogue_id", flat=True).get(pk=response_id)
    Dialogue.objects.select_for_update().get(pk=dialogue_id)
    response = _writable(response_id)
    problems = submit_problems(response)
    if problems:
        raise DialogueRefused(" ".join(problems), code="response_incomplete", problems=problems)
    response.submitted_at = timezone.now()
    response.save(update_fields=["submitted_at", "updated_at"])
    return response


@transaction.atomic
def reminders_stop(*, invitee_id: int) -> DialogueInvitee:
    invitee = (
        DialogueInvitee.objects.select_for_update().select_related("dialogue").get(pk=invitee_id)
    )
    if invitee.reminders_stopped_at is None:
        invitee.reminders_stopped_at = timezone.now()
        invitee.save(update_fields=["reminders_stopped_at"])
    return invitee


# --- closing -----------------------------------------------------------------------------------


@transaction.atomic
def dialogue_close(*, dialogue_id: int, user: User | None = None) -> DialogueSnapshot:
    """Closes the dialogue and freezes its dataset (submitted answers only, shuffled, without
    names, e-mails, keys nor dates); any later answer is refused."""
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue_id)
    if dialogue.is_closed:
        raise DialogueRefused("Ce dialogue est déjà clos.", code="dialogue_closed")
    now = timezone.now()
    snapshot = DialogueSnapshot.objects.create(
        dialogue=dialogue,
        taken_at=now,
        invited=DialogueInvitee.objects.filter(dialogue=dialogue).count(),
        fragilities=[list(pair) for pair in Fragility.objects.values_list("code", "label")],
        profiles=[list(pair) for pair in ActorProfile.objects.values_list("code", "label")],
        records=snapshot_records(dialogue),
    )
    dialogue.status = DialogueStatus.CLOSED
    dialogue.closed_at = now
    dialogue.frozen_at = now
    dialogue.closed_by = user
    dialogue.open_link_active = False
    dialogue.save(
        update_fields=["status", "closed_at", "frozen_at", "closed_by", "open_link_active"]
    )
    return snapshot


def snapshot_records(dialogue: Dialogue) -> list[dict[str, Any]]:
    """One record per submitted answer (see docs/dialogues.md), in a random order."""
    responses = list(
        DialogueResponse.objects.filter(dialogue=dialogue, submitted_at__isnull=False)
        .select_related(
            "actor_profile", "commune", "initiative__fragility", "invitee__actor_profile"
        )
        .prefetch_related("acts_with")
        .order_by("pk")
    )
    perceptions: dict[int, list[tuple[str, int | None, bool]]] = {}
    for response_id, code, level, priority in PerceivedFragility.objects.filter(
        response__in=responses
    ).values_list("response_id", "fragility__code", "level", "is_priority"):
        perceptions.setdefault(response_id, []).append((code, level, priority))
    records = []
    for response in responses:
        rows = sorted(perceptions.get(response.pk, []))
        initiative = getattr(response, "initiative", None)
        records.append(
            {
                "via": response.via,
                "profile": response.actor_profile.code if response.actor_profile else None,
                "invited_profile": response.invitee.actor_profile.code
                if response.invitee
                else None,
                "commune": response.commune.code if response.commune else None,
                "levels": {code: level for code, level, _ in rows},
                "priorities": [code for code, _, priority in rows if priority],
                "acts_with": sorted(profile.code for profile in response.acts_with.all()),
                "initiative": None
                if initiative is None
                else {
                    "fragility": initiative.fragility.code,
                    "title": initiative.title,
                    "text": initiative.text,
                    "carrier": initiative.carrier,
                },
            }
        )
    random.SystemRandom().shuffle(records)
    return records
