"""The demo dialogues: one closed (60 answers, every profile, a few small ones), one open,
labelled as demo data, deterministic, and no e-mail ever leaves for them."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from django.core import mail

from observatoire.dialogues.demo import load_demo_dialogues
from observatoire.dialogues.models import Dialogue, DialogueResponse, DialogueStatus
from observatoire.dialogues.sending import dialogue_messages_run
from territoires.models import ActorProfile


def summary() -> list[Any]:
    return [
        (
            d.title,
            d.status,
            sorted(
                (profile, commune, via, str(submitted))
                for profile, commune, via, submitted in DialogueResponse.objects.filter(
                    dialogue=d
                ).values_list("actor_profile__code", "commune__code", "via", "submitted_at")
            ),
        )
        for d in Dialogue.objects.order_by("pk")
    ]


def test_the_demo_dialogues(geo: Any) -> None:
    out = io.StringIO()
    load_demo_dialogues(stdout=out)
    closed = Dialogue.objects.get(status=DialogueStatus.PUBLISHED)  # closed, then published
    opened = Dialogue.objects.get(status=DialogueStatus.OPEN)
    assert closed.is_demo and opened.is_demo
    assert "démonstration" in closed.title and "démonstration" in opened.title
    records = closed.snapshot.records
    assert len(records) == 60
    by_profile = Counter(record["profile"] for record in records)
    assert set(by_profile) == set(ActorProfile.objects.values_list("code", flat=True))
    assert sorted(by_profile.values())[:3] == [1, 2, 3]  # a few small profiles
    assert {record["via"] for record in records} == {"invite", "ouvert"}
    assert all(3 <= len(record["priorities"]) <= 5 for record in records)
    assert any(record["initiative"] for record in records)
    assert closed.published_at is not None and closed.published_at > closed.closed_at
    assert DialogueResponse.objects.filter(dialogue=opened, submitted_at__isnull=True).exists()
    # Idempotent, and no e-mail leaves for the demo addresses.
    load_demo_dialogues(stdout=out)
    assert Dialogue.objects.count() == 2
    assert dialogue_messages_run() == 0 and mail.outbox == []


def test_the_demo_dialogues_are_deterministic(geo: Any) -> None:
    load_demo_dialogues(stdout=io.StringIO())
    first = summary()
    Dialogue.objects.all().delete()
    load_demo_dialogues(stdout=io.StringIO())
    assert summary() == first
