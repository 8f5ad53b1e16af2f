"""What a campaign page may show of a group: one function, to be pointed to the platform's
disclosure policy once it exists (threshold on distinct people, « moins de 5 », banded counts)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Disclosed:
    shown: bool  # the group reaches the threshold
    count: int | None  # rounded to the nearest 5, None below the threshold
    label: str  # « 35 » or « moins de 5 »
    percent: int | None = None  # whole percent of ``total``, only for groups at the threshold


def campaign_disclosure(people: int, total: int | None = None) -> Disclosed:
    """``people`` distinct persons, possibly out of ``total`` (for a share)."""
    k = settings.ANONYMITY_THRESHOLD
    if people < k:
        return Disclosed(False, None, f"moins de {k}")
    rounded = max(k, 5 * int(people / 5 + 0.5))
    percent = round(100 * people / total) if total else None
    return Disclosed(True, rounded, str(rounded), percent)


def threshold() -> int:
    return settings.ANONYMITY_THRESHOLD
