"""What a campaign page may show of a group, under the platform's disclosure policy
(`pratiques.disclosure`: threshold on distinct people, « moins de 5 », counts to the nearest 5).

Campaign pages are for network admins only and read a frozen snapshot: no noise is drawn (admins
already see who has answered), but the same threshold, wording and rounding apply."""

from __future__ import annotations

from dataclasses import dataclass

from pratiques import disclosure


@dataclass(frozen=True)
class Disclosed:
    shown: bool  # the group reaches the threshold
    count: int | None  # rounded to the nearest COUNT_STEP, None below the threshold
    label: str  # « 35 » or « moins de 5 »
    percent: int | None = None  # whole percent of ``total``, only for groups at the threshold


def campaign_disclosure(people: int, total: int | None = None) -> Disclosed:
    """``people`` distinct persons, possibly out of ``total`` (for a share)."""
    k = disclosure.threshold()
    if people < k:
        return Disclosed(False, None, disclosure.count_label(None))
    rounded = max(k, disclosure.round_to(people, disclosure.COUNT_STEP))
    percent = round(100 * people / total) if total else None
    return Disclosed(True, rounded, str(rounded), percent)


def threshold() -> int:
    return disclosure.threshold()
