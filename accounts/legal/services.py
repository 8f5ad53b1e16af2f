"""Writes of the legal pages' texts: a new version each time, the former ones kept."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from accounts.legal.models import LegalPage, LegalText
from config.refusals import Refused

MAX_LENGTH = 20_000


class LegalTextRefused(Refused):
    default_code = "legal_text_refused"


@transaction.atomic
def legal_text_save(*, page: LegalPage, body: str, author: User) -> LegalText | None:
    """A new version of the page's operator text; None when it is the current one unchanged."""
    body = "\n".join(line.rstrip() for line in body.strip().replace("\r\n", "\n").split("\n"))
    if not body:
        raise LegalTextRefused("Le texte ne peut pas être vide.")
    if len(body) > MAX_LENGTH:
        raise LegalTextRefused(f"Le texte dépasse {MAX_LENGTH:,} caractères.".replace(",", " "))
    current = LegalText.objects.filter(page=page).order_by("-created_at", "-pk").first()
    if current is not None and current.body == body:
        return None
    return LegalText.objects.create(page=page, body=body, author=author)
