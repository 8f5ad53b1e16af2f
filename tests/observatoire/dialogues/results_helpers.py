"""Small factories for the results side: dialogues, submitted responses and frozen snapshots
written directly (the collection journeys are built and tested on their own)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from observatoire.dialogues.models import (
    Dialogue,
    DialogueInitiative,
    DialogueInvitee,
    DialogueResponse,
    DialogueSnapshot,
    DialogueStatus,
    PerceivedFragility,
)
from territoires.models import ActorProfile, Fragility, Territory

_counter = {"n": 0}


def make_dialogue(
    territory: Territory,
    *,
    organiser: Any = None,
    status: str = DialogueStatus.OPEN,
    title: str = "Dialogue sur nos fragilités",
    closed_at: Any = None,
) -> Dialogue:
    today = timezone.localdate()
    return Dialogue.objects.create(
        territory=territory,
        title=title,
        introduction="Dites-nous comment vous percevez les fragilités du territoire.",
        opens_on=today - timedelta(days=10),
        closes_on=today + timedelta(days=10),
        status=status,
        organiser=organiser,
        opened_at=timezone.now() - timedelta(days=10),
        closed_at=closed_at,
    )


def fragility_codes() -> list[str]:
    return list(Fragility.objects.order_by("order", "pk").values_list("code", flat=True))


def random_answer(seed: int) -> dict[str, Any]:
    """Levels for the 16 fragilities (some « je ne sais pas »), 3–5 priorities, 0–3 profiles."""
    rng = random.Random(seed)
    codes = fragility_codes()
    profiles = list(ActorProfile.objects.order_by("order").values_list("code", flat=True))
    return {
        "levels": {c: (None if rng.random() < 0.1 else rng.randint(0, 3)) for c in codes},
        "priorities": rng.sample(codes, rng.randint(3, 5)),
        "acts_with": rng.sample(profiles, rng.randint(0, 3)),
    }


def respond(
    dialogue: Dialogue,
    *,
    profile: str,
    answer: dict[str, Any],
    via: str = "invite",
    commune: Territory | None = None,
    initiative: dict[str, Any] | None = None,
    submitted: bool = True,
) -> DialogueResponse:
    """One response (an invitee for ``via="invite"``) with its perceptions."""
    _counter["n"] += 1
    actor = ActorProfile.objects.get(code=profile)
    invitee = None
    if via == "invite":
        invitee = DialogueInvitee.objects.create(
            dialogue=dialogue,
            email=f"acteur{_counter['n']}@exemple.fr",
            name=f"Acteur {_counter['n']}",
            actor_profile=actor,
            invited_at=timezone.now(),
        )
    response = DialogueResponse.objects.create(
        dialogue=dialogue,
        invitee=invitee,
        via=via,
        actor_profile=actor,
        commune=commune,
        submitted_at=timezone.now() if submitted else None,
    )
    fragilities = dict(Fragility.objects.values_list("code", "pk"))
    PerceivedFragility.objects.bulk_create(
        PerceivedFragility(
            response=response,
            fragility_id=fragilities[code],
            level=level,
            is_priority=code in answer["priorities"],
        )
        for code, level in answer["levels"].items()
    )
    if answer["acts_with"]:
        response.acts_with.set(ActorProfile.objects.filter(code__in=answer["acts_with"]))
    if initiative is not None:
        DialogueInitiative.objects.create(
            response=response,
            fragility_id=fragilities[initiative.get("fragility", "sante")],
            title=initiative["title"],
            text=initiative.get("text", "Une action locale."),
            carrier=initiative.get("carrier", "Une association"),
        )
    return response


def freeze(dialogue: Dialogue, *, status: str = DialogueStatus.CLOSED, when: Any = None) -> Any:
    """Close the dialogue and freeze its submitted responses as the collection side does."""
    from observatoire.dialogues.results_queries import live_records, reference_pairs

    records, _ids = live_records(dialogue)
    for record, initiative in zip(records, _initiatives(dialogue), strict=True):
        record["initiative"] = initiative
    random.Random(dialogue.pk).shuffle(records)
    fragilities, profiles = reference_pairs()
    when = when or timezone.now()
    snapshot = DialogueSnapshot.objects.create(
        dialogue=dialogue,
        taken_at=when,
        invited=dialogue.invitees.count(),
        fragilities=fragilities,
        profiles=profiles,
        records=records,
    )
    dialogue.status = status
    dialogue.closed_at = when
    dialogue.frozen_at = when
    if status == DialogueStatus.PUBLISHED:
        dialogue.published_at = when
    dialogue.save()
    return snapshot


def _initiatives(dialogue: Dialogue) -> list[dict | None]:
    found = {
        i.response_id: {
            "fragility": i.fragility.code,
            "title": i.title,
            "text": i.text,
            "carrier": i.carrier,
        }
        for i in DialogueInitiative.objects.filter(response__dialogue=dialogue).select_related(
            "fragility"
        )
    }
    ids = DialogueResponse.objects.filter(dialogue=dialogue, submitted_at__isnull=False).order_by(
        "submitted_at", "pk"
    )
    return [found.get(pk) for pk in ids.values_list("pk", flat=True)]


def populated(
    territory: Territory,
    groups: dict[str, int],
    *,
    seed: int = 0,
    open_link: dict[str, int] | None = None,
    **options: Any,
) -> Dialogue:
    """A dialogue with ``groups`` invited respondents per profile (and ``open_link`` ones)."""
    dialogue = make_dialogue(territory, **options)
    n = seed * 10_000
    for profile, count in groups.items():
        for _ in range(count):
            n += 1
            respond(dialogue, profile=profile, answer=random_answer(n))
    for profile, count in (open_link or {}).items():
        for _ in range(count):
            n += 1
            respond(dialogue, profile=profile, answer=random_answer(n), via="ouvert")
    return dialogue


def days_ago(days: int) -> Any:
    return timezone.now() - timedelta(days=days)


def a_date(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)
