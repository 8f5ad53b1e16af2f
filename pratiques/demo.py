"""Deterministic demo assessments (« données de démonstration »), about the size of the network.

Everything is generated from a fixed seed and written with bulk inserts; the peer histograms are
then rebuilt in one statement. Territories are picked by query among those present (the full
geography after setup, the small test geography in tests).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from config import people
from config.roles import Role
from pratiques import services
from pratiques.models import (
    Answer,
    Assessment,
    AssessmentScore,
    GridVersion,
    Organisation,
    OrganisationMembership,
    Practice,
    Situation,
    Vouch,
    VouchSource,
)
from pratiques.plan.demo import load_demo_plans
from territoires.models import ActorProfile, Engineering, Level, SizeSegment, Territory

SEED = 2026
DEMO_COUNT = 350
DEMO_PREFIX = "demo-catalyseur-"
DEMO_LOGIN = "catalyseur-demo"
ORGANISATIONS = 30
# Actor profiles of the catalysts, weighted (most are in local authorities or engineering bodies).
PROFILE_WEIGHTS = {
    "collectivites-territoriales": 40,
    "ingenieries": 20,
    "associations": 12,
    "institutions": 8,
    "entreprises": 5,
    "fondations": 4,
    "acteurs-academiques": 4,
    "citoyens": 3,
    "medias": 2,
    "investisseurs": 2,
}


SHOWCASE_COMMUNES = ["94080", "42218"]  # Vincennes, Saint-Étienne
SHOWCASE_ASSESSMENTS = 6


def _territories(rng: random.Random) -> list[Territory]:
    """About 150 communes spread over the size segments (fallback: any territory with a population)."""
    communes = list(
        Territory.objects.filter(level=Level.COMMUNE, population__isnull=False)
        .select_related("region")
        .only("id", "population", "region", "level", "name", "code")
    )
    if not communes:
        communes = list(Territory.objects.filter(population__isnull=False).select_related("region"))
    segments = list(SizeSegment.objects.all())
    by_segment: dict[Any, list[Territory]] = {}
    for commune in communes:
        by_segment.setdefault(SizeSegment.for_population(commune.population, segments), []).append(
            commune
        )
    picked: list[Territory] = []
    for items in by_segment.values():
        items.sort(key=lambda t: t.pk)
        picked += rng.sample(items, min(40, len(items)))
    return picked


def _answers_for(
    rng: random.Random, practices: list[Practice], affinity: dict[str, float], level: float
) -> list[Answer]:
    answers = []
    for practice in practices:
        roll = rng.random()
        if roll < 0.03:
            continue  # left unanswered
        develop = rng.random() < 0.15
        if roll < 0.09:
            answers.append(Answer(practice=practice, not_concerned=True, wants_to_develop=False))
            continue
        lever = practice.situation.axis.lever
        base = level + affinity[lever] + rng.gauss(0, 0.7)
        frequency = max(0, min(3, round(base)))
        involvement = None if frequency == 0 else max(0, min(3, round(base + rng.gauss(0, 0.8))))
        carrying = None if frequency == 0 else rng.choices([1, 2, 3], weights=[4, 3, 3])[0]
        answers.append(
            Answer(
                practice=practice,
                frequency=frequency,
                involvement=involvement,
                carrying=carrying,
                wants_to_develop=develop,
            )
        )
    return answers


@transaction.atomic
def load_demo_assessments(*, stdout: TextIO) -> None:
    if Assessment.objects.filter(is_demo=True).exists():
        stdout.write("  auto-évaluations de démonstration déjà présentes : inchangées")
        return
    version = GridVersion.objects.current()
    if version is None:
        stdout.write("  aucune grille publiée : pas d'auto-évaluations de démonstration")
        return
    rng = random.Random(SEED)
    territories = _territories(rng)
    if not territories:
        stdout.write("  aucun territoire : pas d'auto-évaluations de démonstration")
        return
    practices = list(
        Practice.objects.filter(version=version)
        .select_related("situation__axis")
        .order_by("situation__order", "order")
    )
    situations = list(Situation.objects.filter(version=version).select_related("axis"))
    profiles = {p.code: p for p in ActorProfile.objects.all()}
    engineerings = list(Engineering.objects.all())
    segments = list(SizeSegment.objects.all())
    User = get_user_model()

    users = people.people_create(
        people=[
            User(
                username=f"{DEMO_PREFIX}{i:03d}",
                first_name="Catalyseur·rice",
                last_name=f"démo {i:03d}",
                email=f"{DEMO_PREFIX}{i:03d}@demo.invalid",
                password="!",  # unusable: these accounts exist only as peers
            )
            for i in range(1, DEMO_COUNT + 1)
        ],
        role=Role.CATALYST,
    )
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Organisation de démonstration n° {i}", join_code=f"demo-{SEED}-{i:02d}"
            )
            for i in range(1, ORGANISATIONS + 1)
        ]
    )
    demo_login = User.objects.filter(username=DEMO_LOGIN).first()
    # Who counts: the demo's people are vouched for (source « démonstration »), so that the demo's
    # figures about others exist; a signed-up account is not, until an admin approves it.
    vouched = list(users) + ([demo_login] if demo_login is not None else [])
    Vouch.objects.bulk_create(
        [Vouch(user=u, source=VouchSource.DEMO) for u in vouched], ignore_conflicts=True
    )
    home_org = organisations[0]

    # The communes the README and the issue use as examples get enough assessments to show
    # their practice sections (anonymity threshold) on their page and in their report.
    showcase = list(Territory.objects.filter(level=Level.COMMUNE, code__in=SHOWCASE_COMMUNES))
    showcase_slots = [t for t in showcase for _ in range(SHOWCASE_ASSESSMENTS)]

    plans: list[tuple[Any, dict[str, Any], list[Answer], list[Engineering]]] = []
    start = datetime(2024, 5, 1, 9, tzinfo=UTC)
    for i, user in enumerate(users):
        if i < len(showcase_slots):
            territory = showcase_slots[i]
        else:
            territory = (
                territories[i % len(territories)]
                if i < len(territories)
                else rng.choice(territories)
            )
        organisation = organisations[i % ORGANISATIONS] if rng.random() < 0.8 else None
        affinity = {lever: rng.gauss(0, 0.6) for lever in ("gestion", "action", "vision")}
        answers = _answers_for(rng, practices, affinity, rng.uniform(0.8, 2.3))
        chosen = rng.sample(engineerings, rng.choice([1, 1, 2, 2, 3])) if engineerings else []
        plans.append(
            (
                user,
                {
                    "territory": territory,
                    "organisation": organisation,
                    "actor_profile": profiles[
                        rng.choices(list(PROFILE_WEIGHTS), weights=list(PROFILE_WEIGHTS.values()))[
                            0
                        ]
                    ],
                    "consent_statistics": i < len(showcase_slots) or rng.random() < 0.9,
                    "shared_with_organisation": organisation is not None and rng.random() < 0.6,
                    "submitted_at": start
                    + timedelta(days=rng.randrange(0, 640), minutes=rng.randrange(0, 600)),
                },
                answers,
                chosen,
            )
        )
    if demo_login is not None:
        territory = next(
            (t for t in territories if t.population and 2_000 <= t.population < 50_000),
            territories[0],
        )
        affinity = {"gestion": 0.4, "action": -0.2, "vision": -0.6}
        for when, level in (
            (datetime(2025, 3, 12, 10, tzinfo=UTC), 1.2),
            (datetime(2026, 3, 10, 10, tzinfo=UTC), 1.8),
        ):
            plans.append(
                (
                    demo_login,
                    {
                        "territory": territory,
                        "organisation": home_org,
                        "actor_profile": profiles["collectivites-territoriales"],
                        "consent_statistics": True,
                        "shared_with_organisation": True,
                        "submitted_at": when,
                    },
                    _answers_for(rng, practices, affinity, level),
                    engineerings[-1:],
                )
            )
    memberships = {
        (plan[1]["organisation"].pk, plan[0].pk) for plan in plans if plan[1]["organisation"]
    }
    OrganisationMembership.objects.bulk_create(
        [OrganisationMembership(organisation_id=o, user_id=u) for o, u in sorted(memberships)]
    )
    assessments = Assessment.objects.bulk_create(
        [
            Assessment(
                user=user,
                version=version,
                status="submitted",
                is_demo=True,
                size_segment=SizeSegment.for_population(fields["territory"].population, segments),
                region=services.region_of(fields["territory"]),
                **fields,
            )
            for user, fields, _, _ in plans
        ]
    )
    Through = Assessment.engineerings.through
    Through.objects.bulk_create(
        [
            Through(assessment_id=a.pk, engineering_id=e.pk)
            for a, (_, _, _, chosen) in zip(assessments, plans, strict=True)
            for e in chosen
        ]
    )
    all_answers: list[Answer] = []
    scores: list[AssessmentScore] = []
    for assessment, (_, _, answers, _) in zip(assessments, plans, strict=True):
        for answer in answers:
            answer.assessment = assessment
        all_answers += answers
        computed = services.compute_scores(answers, situations)
        for kind, values in (("situation", computed.situations), ("axis", computed.axes)):
            scores += [
                AssessmentScore(
                    assessment=assessment, kind=kind, element_key=key, score=score, answered=n
                )
                for key, (score, n) in values.items()
                if score is not None
            ]
    Answer.objects.bulk_create(all_answers, batch_size=2000)
    AssessmentScore.objects.bulk_create(scores, batch_size=2000)
    # created_at is set on insert: a demo assessment was started a few days before its submission.
    Assessment.objects.filter(is_demo=True, submitted_at__isnull=False).update(
        created_at=F("submitted_at") - timedelta(days=4)
    )
    services.peer_buckets_rebuild(version=version)
    services.pseudonyms_assign()
    if demo_login is not None:  # the demo catalyst's two plans, labelled demo data
        load_demo_plans(assessments=assessments[-2:], organisation=home_org)
    if demo_login is not None:
        draft = services.assessment_start(
            user=demo_login,
            territory=plans[-1][1]["territory"],
            actor_profile=profiles["collectivites-territoriales"],
            engineerings=engineerings[-1:],
            organisation=home_org,
            version=version,
            is_demo=True,
        )
        for answer in _answers_for(
            rng, practices[:10], {"gestion": 0.4, "action": 0.1, "vision": -0.2}, 2.0
        ):
            answer.assessment = draft
            answer.save()
    stdout.write(
        f"  {len(assessments)} auto-évaluations de démonstration validées ({len(all_answers)} réponses), "
        f"{ORGANISATIONS} organisations, sur {len(territories)} territoires"
    )
