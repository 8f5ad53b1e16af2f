"""Demo dialogues (« données de démonstration »): one closed on Vincennes (60 answers, every
actor profile, a few small ones), one open on Saint-Étienne Métropole. Deterministic (a seeded
generator, fixed dates); every e-mail is recorded as sent, so that none leaves for the demo
addresses (and the sending skips demo dialogues anyway)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TextIO

from django.contrib.auth.models import User
from django.db import transaction

from observatoire.dialogues.models import (
    Dialogue,
    DialogueInitiative,
    DialogueInvitee,
    DialogueResponse,
    DialogueSnapshot,
    DialogueStatus,
    InitiativeStatus,
    PerceivedFragility,
    ResponseVia,
)
from observatoire.dialogues.services import dialogue_close
from territoires.models import ActorProfile, Fragility, Level, Territory

SEED = 2025
ORGANISER = "catalyseur-demo"
INTRODUCTION = (
    "Données de démonstration. Élu·es, entreprises, associations, services publics : comment "
    "percevez-vous les fragilités de notre territoire ? Vos réponses croisent le regard des "
    "acteurs locaux avec ce que mesurent les indicateurs."
)
# Respondents per profile (60 in all): every profile, médias and investisseurs small.
CLOSED_PROFILES = {
    "collectivites-territoriales": 12,
    "associations": 11,
    "entreprises": 9,
    "citoyens": 8,
    "institutions": 6,
    "ingenieries": 5,
    "acteurs-academiques": 3,
    "fondations": 3,
    "medias": 2,
    "investisseurs": 1,
}
OPEN_PROFILES = {
    "collectivites-territoriales": 4,
    "associations": 4,
    "entreprises": 3,
    "citoyens": 2,
}
INITIATIVES = [
    ("Covoiturage solidaire vers les zones d'emploi", "Association Roule ensemble"),
    ("Permanences numériques en mairie annexe", "Centre social du quartier"),
    ("Épicerie solidaire itinérante", "Collectif des associations d'entraide"),
    ("Groupement d'employeurs pour l'insertion", "Club des entreprises"),
    ("Rénovation énergétique accompagnée", "Agence locale de l'énergie"),
    ("Café des aidants", "Maison des seniors"),
]


@dataclass(frozen=True)
class Spec:
    title: str
    level: str
    code: str
    communes: tuple[str, ...]
    opens_on: date
    closes_on: date
    profiles: dict[str, int]
    closed: bool


CLOSED = Spec(
    "Croiser les regards sur Vincennes (démonstration)",
    Level.COMMUNE,
    "94080",
    ("94080", "94067", "94033"),
    date(2025, 9, 15),
    date(2025, 10, 31),
    CLOSED_PROFILES,
    True,
)
OPEN = Spec(
    "Dialogue territorial de Saint-Étienne Métropole (démonstration)",
    Level.EPCI,
    "244200770",
    ("42218", "42095", "42001"),
    date(2026, 11, 16),
    date(2027, 1, 29),
    OPEN_PROFILES,
    False,
)


@transaction.atomic
def load_demo_dialogues(*, stdout: TextIO) -> None:
    if Dialogue.objects.filter(is_demo=True).exists():
        stdout.write("  dialogues de démonstration déjà présents : inchangés")
        return
    made = []
    for spec in (CLOSED, OPEN):
        territory = Territory.objects.filter(level=spec.level, code=spec.code).first()
        communes = list(
            Territory.objects.filter(level=Level.COMMUNE, code__in=spec.communes).order_by("code")
        )
        if territory is None or not communes:
            continue
        made.append(_dialogue(spec, territory, communes))
    if not made:
        stdout.write("  pas de géographie : pas de dialogues de démonstration")
        return
    stdout.write(
        "  dialogues de démonstration : "
        + " ; ".join(f"« {d.title} » ({d.get_status_display()})" for d in made)
    )


def _dialogue(spec: Spec, territory: Territory, communes: list[Territory]) -> Dialogue:
    rng = random.Random(f"{SEED}-{spec.code}")
    organiser = User.objects.filter(username=ORGANISER).first()
    opened = datetime.combine(spec.opens_on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
    dialogue = Dialogue.objects.create(
        territory=territory,
        title=spec.title,
        introduction=INTRODUCTION,
        opens_on=spec.opens_on,
        closes_on=spec.closes_on,
        status=DialogueStatus.OPEN,
        opened_at=opened,
        organiser=organiser,
        is_demo=True,
    )
    profiles = {p.code: p for p in ActorProfile.objects.all()}
    fragilities = list(Fragility.objects.order_by("order", "label"))
    # A territory's « true » perception per fragility, and each profile's own leaning.
    base = {f.pk: rng.choice([0, 1, 1, 2, 2, 2, 3, 3]) for f in fragilities}
    people = [
        (code, number)
        for code, count in spec.profiles.items()
        if code in profiles
        for number in range(count)
    ]
    invitees: list[DialogueInvitee] = []
    responses: list[DialogueResponse] = []
    for index, (code, number) in enumerate(people):
        invited = index % 5 != 4  # one in five answers by the open link
        invitee = None
        if invited:
            invitee = DialogueInvitee(
                dialogue=dialogue,
                email=f"dialogue-{spec.code}-{code}-{number}@demo.invalid",
                name=f"{profiles[code].label} {number + 1} (démo)",
                organisation=f"Structure de démonstration {index + 1}",
                actor_profile=profiles[code],
                line=len(invitees) + 2,
                invited_at=opened,
                reminders_sent=2,
                reminded_at=opened + timedelta(days=14),
            )
            invitees.append(invitee)
        started = opened + timedelta(hours=3 * index + 1)
        submitted = spec.closed or index % 3 != 2  # some drafts in the open dialogue
        responses.append(
            DialogueResponse(
                dialogue=dialogue,
                invitee=invitee,
                via=ResponseVia.INVITED if invited else ResponseVia.OPEN,
                actor_profile=profiles[code],
                commune=communes[rng.randrange(len(communes))],
                started_at=started,
                submitted_at=started + timedelta(minutes=12) if submitted else None,
            )
        )
    # A few more invited actors who never answered.
    for number in range(8 if spec.closed else 6):
        code = list(spec.profiles)[number % len(spec.profiles)]
        invitees.append(
            DialogueInvitee(
                dialogue=dialogue,
                email=f"dialogue-{spec.code}-silencieux-{number}@demo.invalid",
                name="",
                organisation="",
                actor_profile=profiles[code],
                line=len(invitees) + 2,
                invited_at=opened,
                reminders_sent=2,
                reminded_at=opened + timedelta(days=14),
            )
        )
    DialogueInvitee.objects.bulk_create(invitees)
    DialogueResponse.objects.bulk_create(responses)
    perceptions, initiatives, acts = [], [], []
    through = DialogueResponse.acts_with.through
    codes = list(profiles)
    for index, (response, (own, _)) in enumerate(zip(responses, people, strict=True)):
        shift = rng.choice([-1, 0, 0, 1])
        levels: dict[int, int | None] = {}
        for fragility in fragilities:
            if rng.random() < 0.08:
                levels[fragility.pk] = None  # « je ne sais pas »
            else:
                levels[fragility.pk] = max(
                    0, min(3, base[fragility.pk] + shift + rng.choice([-1, 0, 0, 1]))
                )
        ranked = sorted(fragilities, key=lambda f: (-(levels[f.pk] or 0), rng.random()))
        priorities = {f.pk for f in ranked[: rng.choice([3, 3, 4, 5])]}
        perceptions += [
            PerceivedFragility(
                response=response,
                fragility=fragility,
                level=levels[fragility.pk],
                is_priority=fragility.pk in priorities,
            )
            for fragility in fragilities
        ]
        for code in rng.sample(codes, rng.choice([1, 2, 2, 3])):
            if code != own:
                acts.append(
                    through(dialogueresponse_id=response.pk, actorprofile_id=profiles[code].pk)
                )
        if index % 9 == 0 and index // 9 < len(INITIATIVES):
            title, carrier = INITIATIVES[index // 9]
            initiatives.append(
                DialogueInitiative(
                    response=response,
                    fragility=ranked[0],
                    title=title,
                    text=f"{title} : une initiative de démonstration, décrite en un paragraphe.",
                    carrier=carrier,
                    status=InitiativeStatus.APPROVED
                    if index // 9 % 2 == 0
                    else InitiativeStatus.PROPOSED,
                )
            )
    PerceivedFragility.objects.bulk_create(perceptions, batch_size=2000)
    through.objects.bulk_create(acts)
    DialogueInitiative.objects.bulk_create(initiatives)
    if spec.closed:
        snapshot = dialogue_close(dialogue_id=dialogue.pk, user=organiser)
        closed_at = datetime.combine(spec.closes_on, datetime.min.time(), tzinfo=UTC) + timedelta(
            days=1, hours=9
        )
        Dialogue.objects.filter(pk=dialogue.pk).update(closed_at=closed_at, frozen_at=closed_at)
        DialogueSnapshot.objects.filter(pk=snapshot.pk).update(taken_at=closed_at)
        # Published two days later, as an organiser would: the territory page and its report show
        # the « Fragilités perçues » of the demonstration.
        Dialogue.objects.filter(pk=dialogue.pk).update(
            status=DialogueStatus.PUBLISHED, published_at=closed_at + timedelta(days=2)
        )
        dialogue.refresh_from_db()
    return dialogue
