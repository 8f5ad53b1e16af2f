"""A territorial dialogue of 2 000 respondents: autosave of one fragility (p50/p95, SQL queries
per save) and the organiser's page (time and queries), through the real views.

Runs inside a transaction rolled back at the end. Usage:
.venv/bin/python bench/bench_dialogue_answer.py [SAVES] [RESPONDENTS]
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import timedelta

import _setup  # noqa: F401  (django.setup)
from _setup import Rollback, percentile
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.roles import Role
from observatoire.dialogues.models import (
    Dialogue,
    DialogueInvitee,
    DialogueResponse,
    DialogueStatus,
    PerceivedFragility,
    ResponseVia,
)
from territoires.models import ActorProfile, Fragility, Level, Territory


def populate(respondents: int) -> tuple[Dialogue, User, list[DialogueResponse]]:
    commune = Territory.objects.filter(level=Level.COMMUNE).first() or Territory.objects.create(
        level=Level.COMMUNE, code="99999", name="Banc d'essai", population=1000
    )
    user = User.objects.create(username="bench-dialogue")
    user.groups.add(Group.objects.get(name=Role.CATALYST.value))
    today = timezone.localdate()
    dialogue = Dialogue.objects.create(
        territory=commune,
        title="Banc d'essai",
        introduction="…",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
        status=DialogueStatus.OPEN,
        organiser=user,
    )
    profiles = list(ActorProfile.objects.all())
    fragilities = list(Fragility.objects.all())
    rng = random.Random(1)
    invitees = DialogueInvitee.objects.bulk_create(
        [
            DialogueInvitee(
                dialogue=dialogue,
                email=f"r{i}@exemple.fr",
                actor_profile=profiles[i % len(profiles)],
            )
            for i in range(respondents)
        ],
        batch_size=2000,
    )
    responses = DialogueResponse.objects.bulk_create(
        [
            DialogueResponse(
                dialogue=dialogue,
                invitee=invitee if i % 4 else None,
                via=ResponseVia.INVITED if i % 4 else ResponseVia.OPEN,
                actor_profile=invitee.actor_profile,
                commune=commune,
                submitted_at=timezone.now() if i % 3 == 0 else None,
            )
            for i, invitee in enumerate(invitees)
        ],
        batch_size=2000,
    )
    PerceivedFragility.objects.bulk_create(
        [
            PerceivedFragility(
                response=response,
                fragility=fragility,
                level=rng.choice([None, 0, 1, 2, 3]),
                is_priority=index < 3,
            )
            for response in responses
            for index, fragility in enumerate(fragilities)
        ],
        batch_size=5000,
    )
    return dialogue, user, [r for r in responses if r.submitted_at is None]


def main(saves: int, respondents: int) -> None:
    settings.DEBUG = False
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    try:
        with transaction.atomic():
            start = time.perf_counter()
            dialogue, organiser, drafts = populate(respondents)
            print(
                f"dialogue of {respondents} respondents ({respondents * 16} perceived levels) "
                f"built in {time.perf_counter() - start:.1f} s"
            )
            fragilities = list(Fragility.objects.values_list("pk", flat=True))
            client = Client()
            rng = random.Random(2)
            timings, counts = [], []
            for i in range(saves + 20):
                response = rng.choice(drafts)
                pk = rng.choice(fragilities[3:])  # not a priority: never the 5-priority refusal
                data = {f"niveau-{pk}": rng.choice(["0", "1", "2", "3", "nsp"])}
                url = f"/dialogues/reponse/{response.key}/fragilite/{pk}/"
                began = time.perf_counter()
                answer = client.post(url, data, headers={"HX-Request": "true"})
                elapsed = time.perf_counter() - began
                assert answer.status_code == 200, answer.status_code
                if i >= 20:  # warm-up excluded
                    timings.append(elapsed * 1000)
                if i % 10 == 0:  # query count measured apart: capturing slows the timing
                    with CaptureQueriesContext(connection) as queries:
                        client.post(url, data, headers={"HX-Request": "true"})
                    counts.append(len(queries))
            print(f"autosave, {saves} requests (HTMX, one fragility each, random respondent)")
            print(
                f"  p50 {percentile(timings, 0.5):.2f} ms · p95 {percentile(timings, 0.95):.2f} ms"
                f" · max {max(timings):.2f} ms"
            )
            print(f"  SQL queries per save: min {min(counts)}, max {max(counts)}")
            organiser_client = Client()
            organiser_client.force_login(organiser)
            page_times = []
            for _ in range(6):
                began = time.perf_counter()
                page = organiser_client.get(dialogue.get_absolute_url())
                page_times.append((time.perf_counter() - began) * 1000)
                assert page.status_code == 200
            with CaptureQueriesContext(connection) as queries:
                organiser_client.get(dialogue.get_absolute_url())
            print(
                f"organiser's page: p50 {percentile(page_times[1:], 0.5):.1f} ms, "
                f"{len(queries)} SQL queries"
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 200,
        int(sys.argv[2]) if len(sys.argv) > 2 else 2000,
    )
