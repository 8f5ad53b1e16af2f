"""Reads of the territorial dialogues for the organiser's pages and the questionnaire."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from config.roles import Role, has_role
from observatoire.dialogues.models import (
    Dialogue,
    DialogueInvitee,
    DialogueResponse,
    PerceivedFragility,
    ResponseVia,
)
from pratiques.campaigns.disclosure import campaign_disclosure
from territoires.models import Fragility, FragilityLevel


def dialogues_for(user: Any) -> QuerySet[Dialogue]:
    """Every dialogue for a network admin; the ones a person organises otherwise."""
    dialogues = Dialogue.objects.select_related("territory", "organiser").order_by(
        "-opens_on", "-pk"
    )
    if has_role(user, Role.NETWORK_ADMIN):
        return dialogues
    return dialogues.filter(organiser=user)


@dataclass(frozen=True)
class Follow:
    invited: int
    sent: int
    started: str
    submitted: str
    invited_submitted: str
    open_submitted: str


def follow_up(dialogue: Dialogue) -> Follow:
    """Counts only, as a campaign's page: « moins de 5 » under the threshold, else to the nearest 5
    (no name, and no exact count that one more answer would move by one)."""
    by = DialogueResponse.objects.filter(dialogue=dialogue).aggregate(
        started=Count("pk"),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        invited_submitted=Count(
            "pk", filter=Q(submitted_at__isnull=False, via=ResponseVia.INVITED)
        ),
        open_submitted=Count("pk", filter=Q(submitted_at__isnull=False, via=ResponseVia.OPEN)),
    )
    invitees = DialogueInvitee.objects.filter(dialogue=dialogue).aggregate(
        invited=Count("pk"), sent=Count("pk", filter=Q(invited_at__isnull=False))
    )
    return Follow(
        invited=invitees["invited"],
        sent=invitees["sent"],
        **{key: campaign_disclosure(value).label for key, value in by.items()},
    )


LEVEL_CHOICES = [(str(value), label.split(" — ")[1]) for value, label in FragilityLevel.choices]
DONT_KNOW = "nsp"


@dataclass
class QuestionRow:
    fragility: Fragility
    level: str  # "" (no answer), "0".."3", "nsp"
    is_priority: bool


def level_code(level: int | str | None) -> str:
    """The form's value of a saved level: "" (no answer), "0".."3", or DONT_KNOW."""
    if level == "unset":
        return ""
    return DONT_KNOW if level is None else str(level)


def question_row(response: DialogueResponse, fragility: Fragility) -> QuestionRow:
    answer = PerceivedFragility.objects.filter(response=response, fragility=fragility).first()
    if answer is None:
        return QuestionRow(fragility, "", False)
    return QuestionRow(fragility, level_code(answer.level), answer.is_priority)


def priorities_count(response: DialogueResponse) -> int:
    return PerceivedFragility.objects.filter(response=response, is_priority=True).count()


def questionnaire(response: DialogueResponse) -> list[QuestionRow]:
    """The 16 fragilities in their reference order, with this respondent's answers."""
    answers = {p.fragility_id: p for p in PerceivedFragility.objects.filter(response=response)}
    rows = []
    for fragility in Fragility.objects.order_by("order", "label"):
        answer = answers.get(fragility.pk)
        if answer is None:
            level = ""
        elif answer.level is None:
            level = DONT_KNOW
        else:
            level = str(answer.level)
        rows.append(QuestionRow(fragility, level, bool(answer and answer.is_priority)))
    return rows
