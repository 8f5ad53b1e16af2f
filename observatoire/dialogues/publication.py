"""The results side's writes: the organiser's decision on each initiative, and publishing the
results of a closed dialogue (status « publie »). Keyword-only, atomic, refusing with
``Refused``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from config.refusals import Refused
from observatoire.dialogues.models import (
    Dialogue,
    DialogueInitiative,
    DialogueSnapshot,
    DialogueStatus,
    InitiativeStatus,
)
from observatoire.dialogues.results_queries import can_manage


@transaction.atomic
def dialogue_publish(*, dialogue_id: int, user: Any) -> Dialogue:
    """Publish the frozen results: the results page, the PDF and the territory page's
    « Fragilités perçues » become public. Only once closed, by its organiser or an admin."""
    dialogue = Dialogue.objects.select_for_update().filter(pk=dialogue_id).first()
    if dialogue is None:
        raise Refused("Ce dialogue n’existe pas.", code="dialogue_not_found")
    if not can_manage(user, dialogue):
        raise Refused(
            "Seul l’organisateur ou un administrateur peut publier.", code="not_organiser"
        )
    if dialogue.status == DialogueStatus.PUBLISHED:
        return dialogue
    if (
        dialogue.status != DialogueStatus.CLOSED
        or not DialogueSnapshot.objects.filter(dialogue=dialogue).exists()
    ):
        raise Refused(
            "Les résultats se publient une fois le dialogue clos (jeu de données figé).",
            code="dialogue_not_closed",
        )
    dialogue.status = DialogueStatus.PUBLISHED
    dialogue.published_at = timezone.now()
    dialogue.save(update_fields=["status", "published_at"])
    return dialogue


@transaction.atomic
def initiative_decide(*, initiative_id: int, dialogue_id: int, user: Any, approve: bool) -> Any:
    """Approve (public from then on, without its respondent's profile or commune) or set aside
    one initiative; the organiser or an admin may change their mind."""
    initiative = (
        DialogueInitiative.objects.select_for_update()
        .select_related("response__dialogue")
        .filter(pk=initiative_id, response__dialogue_id=dialogue_id)
        .first()
    )
    if initiative is None:
        raise Refused("Cette initiative n’existe pas.", code="initiative_not_found")
    if not can_manage(user, initiative.response.dialogue):
        raise Refused(
            "Seul l’organisateur ou un administrateur décide des initiatives.",
            code="not_organiser",
        )
    if initiative.response.submitted_at is None:
        raise Refused("Cette réponse n’a pas encore été envoyée.", code="initiative_not_sent")
    initiative.status = InitiativeStatus.APPROVED if approve else InitiativeStatus.REFUSED
    initiative.decided_by = user
    initiative.decided_at = timezone.now()
    initiative.save(update_fields=["status", "decided_by", "decided_at"])
    return initiative
