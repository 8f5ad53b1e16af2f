"""A territorial dialogue of N respondents (2 000 by default): results page and council PDF.

Everything runs inside a transaction rolled back at the end. Responses are written in bulk (the
answering path, autosave, is measured by the collection side); 80 % come through personal links,
20 % through the open link, spread over the 10 actor profiles (one small). Times: the organiser's
live page (on the latest checkpoint of answers), closing's snapshot (written here as the
collection side does), the public results page, the council's PDF, and the queries per page for
N and for N / 10 (constant).
Usage: .venv/bin/python bench/bench_dialogue_results.py [N]
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
    DialogueResponse,
    DialogueSnapshot,
    DialogueStatus,
    PerceivedFragility,
)
from observatoire.dialogues.results_queries import live_records, reference_pairs
from territoires.models import ActorProfile, Fragility, Level, Territory


def dialogue_of(n: int, territory: Territory, organiser: User, seed: int) -> Dialogue:
    rng = random.Random(seed)
    today = timezone.localdate()
    dialogue = Dialogue.objects.create(
        territory=territory,
        title=f"Banc d'essai {n}",
        introduction="Banc d'essai",
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=5),
        status=DialogueStatus.OPEN,
        organiser=organiser,
    )
    profiles = list(ActorProfile.objects.order_by("order"))
    fragilities = list(Fragility.objects.order_by("order"))
    weights = [1 if p.code == "medias" else 10 for p in profiles]  # one small profile
    responses = DialogueResponse.objects.bulk_create(
        [
            DialogueResponse(
                dialogue=dialogue,
                via="invite" if rng.random() < 0.8 else "ouvert",
                actor_profile=rng.choices(profiles, weights)[0],
                submitted_at=timezone.now(),
            )
            for _ in range(n)
        ],
        batch_size=2000,
    )
    rows = []
    for response in responses:
        priorities = set(rng.sample(range(len(fragilities)), rng.randint(3, 5)))
        for index, fragility in enumerate(fragilities):
            level = None if rng.random() < 0.1 else rng.randint(0, 3)
            rows.append(
                PerceivedFragility(
                    response=response,
                    fragility=fragility,
                    level=level,
                    is_priority=index in priorities,
                )
            )
    PerceivedFragility.objects.bulk_create(rows, batch_size=5000)
    through = DialogueResponse.acts_with.through
    through.objects.bulk_create(
        [
            through(dialogueresponse_id=r.pk, actorprofile_id=p.pk)
            for r in responses
            for p in rng.sample(profiles, rng.randint(0, 3))
        ],
        batch_size=5000,
    )
    return dialogue


def freeze(dialogue: Dialogue) -> None:
    records, _ = live_records(dialogue)
    random.Random(dialogue.pk).shuffle(records)
    fragilities, profiles = reference_pairs()
    now = timezone.now()
    DialogueSnapshot.objects.create(
        dialogue=dialogue,
        taken_at=now,
        fragilities=fragilities,
        profiles=profiles,
        records=records,
    )
    dialogue.status = DialogueStatus.PUBLISHED
    dialogue.closed_at = dialogue.frozen_at = dialogue.published_at = now
    dialogue.save()


def timed_get(client: Client, url: str, label: str, repeat: int = 7) -> tuple[float, int]:
    client.get(url)  # warm
    timings = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
    assert response.status_code == 200, response.status_code
    p50 = percentile(timings, 0.5)
    print(
        f"{label:<40} p50 {1000 * p50:7.1f} ms  p95 {1000 * percentile(timings, 0.95):7.1f} ms "
        f"({len(queries) // repeat} queries, {len(response.content) // 1024} Kio)"
    )
    return p50, len(queries) // repeat


def main(n: int) -> None:
    settings.DEBUG = False
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores); {n} respondents")
    try:
        with transaction.atomic():
            communes = list(Territory.objects.filter(level=Level.COMMUNE).order_by("code")[:2])
            if len(communes) < 2:
                sys.exit("Pas de communes : lancez d'abord manage.py setup_platform.")
            organiser = User.objects.create(username="bench-dialogue-organiser")
            organiser.groups.add(Group.objects.get(name=Role.OFFICIAL.value))
            start = time.perf_counter()
            big = dialogue_of(n, communes[0], organiser, seed=1)
            small = dialogue_of(max(n // 10, 20), communes[1], organiser, seed=2)
            print(f"{'writing the responses (bulk)':<40} {time.perf_counter() - start:7.2f} s")
            client = Client()
            client.force_login(organiser)
            _, live_big = timed_get(
                client, f"/dialogues/{big.pk}/resultats/", "live page (organiser)"
            )
            _, live_small = timed_get(
                client,
                f"/dialogues/{small.pk}/resultats/",
                f"live page, {max(n // 10, 20)} respondents",
            )
            start = time.perf_counter()
            freeze(big)
            freeze(small)
            print(f"{'closing both (snapshot)':<40} {time.perf_counter() - start:7.2f} s")
            public = Client()
            _, frozen_big = timed_get(
                public, f"/dialogues/{big.pk}/resultats/", "public results page"
            )
            _, frozen_small = timed_get(
                public,
                f"/dialogues/{small.pk}/resultats/",
                f"public page, {max(n // 10, 20)} respondents",
            )
            print(
                f"queries constant in the number of respondents: live {live_small} = {live_big}, "
                f"public {frozen_small} = {frozen_big}"
            )
            assert live_small == live_big and frozen_small == frozen_big
            timings = []
            for _ in range(3):
                start = time.perf_counter()
                response = public.get(f"/dialogues/{big.pk}/resultats/rapport.pdf")
                timings.append(time.perf_counter() - start)
            assert response.status_code == 200
            print(
                f"{'council PDF (3 renders)':<40} first {timings[0]:5.2f} s, then "
                f"{timings[1]:5.2f} s / {timings[2]:5.2f} s ({len(response.content) // 1024} Kio)"
            )
            raise Rollback
    except Rollback:
        pass
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
