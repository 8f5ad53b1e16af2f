"""The disclosure-control policy (« secret statistique ») of every aggregate of assessments.

One module, applied wherever answers leave a person's own view (territory sections, PDF reports,
peer groups, admin analytics, anonymised export). The method and its parameters are stated in the
README (« Secret statistique et diffusion des agrégats »):

- unit: a distinct consenting person (their latest consenting submitted assessment);
- threshold: k = ``settings.ANONYMITY_THRESHOLD`` (5) distinct people, below it « moins de 5 »;
- who counts: only established people (active account + a ``Vouch``), see
  ``pratiques.models.established``;
- noise: discrete Laplace noise on every released count, a deterministic function of a secret key
  and of the exact contributions behind the figures (``keyed_noise``): the same data, released
  again or under another scope's name, gives the same figures, so there is nothing to average;
- budget: each new draw costs every person in it ε (OpenDP's privacy map and composition); a
  person whose yearly budget is spent is left out of further new draws until the next year;
- releases at most once per calendar month (``release_refusal``);
- rounding: counts to the nearest 5, shares to steps of 10 %, scores to steps of 5;
- score distributions (median, quartiles, barycentre) only from ``DISTRIBUTION_MIN`` people;
- complementary suppression of scopes whose difference with another published scope is a group
  of fewer than k people (nested territories, projects);
- the anonymised export is generalised then suppressed until each class holds ≥ k rows.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import timezone

from config.refusals import Refused

# --- parameters ----------------------------------------------------------------------------

NOISE_SCALE = 2.0  # discrete Laplace scale b of each released count: ε = 1 / b per count
SCORE_NOISE_SCALE = 4.0  # on the 0–100 scores (a median, a quartile, a barycentre share)
COUNT_STEP = 5  # a count is shown to the nearest 5 (never below k)
SHARE_STEP = 10  # a share is shown in steps of 10 %
SCORE_STEP = 5  # a score (0–100) is shown in steps of 5
DISTRIBUTION_MIN = 10  # medians, quartiles and barycentre only from 10 distinct people
RELEASE_CHANGE_MIN = None  # None: k; a scope is re-released only when ≥ this many people changed
SAME_SCOPE_SHARE = 0.05  # …or ≥ this share of its people (large scopes are redrawn less often)
RELEASE_CADENCE = "mensuelle (le 1er de chaque mois)"
# A person's count vector in one scope: people (1) + per practice answered, one of the three
# carrying cells, « à développer » (3 × 24): the L1 distance one person moves it by.
TERRITORY_SENSITIVITY = 1 + 3 * 24
# Admin analytics: the total (1) + per practice one frequency cell (or « non concerné·e », no
# answer), « à développer », one involvement cell and one carrying cell (4 × 24).
ANALYTICS_SENSITIVITY = 1 + 4 * 24
# Their noise is coarser than the public figures' (internal counts on three scales): ε of a
# draw 97 / 4 = 24.25, no more than the frequencies alone cost before (49 / 2).
ANALYTICS_NOISE_SCALE = 4.0
PEER_SENSITIVITY = 1  # a peer group releases one count (its size) and noised quartiles
YEARLY_BUDGET_DRAWS = 6  # a person enters at most this many territory-sized new draws a year

PUBLISHED = "published"
BELOW = "below"
SUPPRESSED = "suppressed"


def threshold() -> int:
    return int(settings.ANONYMITY_THRESHOLD)


def release_change_min() -> int:
    return RELEASE_CHANGE_MIN or threshold()


def same_scope_tolerance(size: int) -> int:
    return max(release_change_min(), math.ceil(SAME_SCOPE_SHARE * size))


def same_scope(a: frozenset[int] | set[int], b: frozenset[int] | set[int]) -> bool:
    """Two groups of people that differ by fewer than k people (or than SAME_SCOPE_SHARE of the
    larger) are the same scope: they carry the same figures, never two draws."""
    tolerance = same_scope_tolerance(max(len(a), len(b)))
    if abs(len(a) - len(b)) >= tolerance:
        return False
    return len(a ^ b) < tolerance


def parameters() -> dict[str, Any]:
    """The parameters a release is drawn with (stored on it, stated in docs/secret-statistique.md)."""
    return {
        "epsilon_territory_draw": epsilon_of(TERRITORY_SENSITIVITY),
        "epsilon_analytics_draw": epsilon_of(ANALYTICS_SENSITIVITY, ANALYTICS_NOISE_SCALE),
        "analytics_noise_scale": ANALYTICS_NOISE_SCALE,
        "epsilon_peer_draw": epsilon_of(PEER_SENSITIVITY),
        "epsilon_year": yearly_budget(),
        "same_scope_share": SAME_SCOPE_SHARE,
        "k": threshold(),
        "noise_scale": NOISE_SCALE,
        "score_noise_scale": SCORE_NOISE_SCALE,
        "epsilon_per_count": round(1 / NOISE_SCALE, 4),
        "count_step": COUNT_STEP,
        "share_step": SHARE_STEP,
        "score_step": SCORE_STEP,
        "distribution_min": DISTRIBUTION_MIN,
        "release_change_min": release_change_min(),
    }


# --- keyed noise: a function of the key and of the data, nothing else ------------------------


def noise_key() -> bytes:
    """The secret the noise is derived from: ``DISCLOSURE_NOISE_KEY``, or one derived from
    ``SECRET_KEY``. Whoever knows it can remove the noise: keep it as secret as SECRET_KEY."""
    dedicated = getattr(settings, "DISCLOSURE_NOISE_KEY", "") or ""
    if dedicated:
        return dedicated.encode()
    return hmac.new(
        str(settings.SECRET_KEY).encode(), b"pratiques.disclosure.noise", hashlib.sha256
    ).digest()


def digest(contributions: Any) -> str:
    """A keyed digest of the exact contributions behind a figure (canonical JSON): the seed of
    its noise. Same contributions → same digest, whatever the scope's name or the date."""
    canonical = json.dumps(contributions, sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(noise_key(), canonical.encode(), hashlib.sha256).hexdigest()


def _uniform(seed: str, index: int, part: int) -> float:
    """A number in (0, 1] from the keyed stream (HMAC-SHA256 as a pseudo-random function)."""
    block = hmac.new(noise_key(), f"{seed}:{index}:{part}".encode(), hashlib.sha256).digest()
    return (int.from_bytes(block[:8], "big") + 1) / 2**64


def keyed_noise(seed: str, count: int, *, scale: float = NOISE_SCALE) -> list[int]:
    """``count`` discrete Laplace draws of scale ``scale`` (P(x) ∝ exp(−|x| / scale)), the
    difference of two geometric variables, each read from the keyed stream of ``seed``."""
    result = []
    for index in range(count):
        g1 = math.floor(-scale * math.log(_uniform(seed, index, 1)))
        g2 = math.floor(-scale * math.log(_uniform(seed, index, 2)))
        result.append(g1 - g2)
    return result


def keyed_noisy(seed: str, values: Sequence[int], *, scale: float = NOISE_SCALE) -> list[int]:
    return [
        int(v) + d for v, d in zip(values, keyed_noise(seed, len(values), scale=scale), strict=True)
    ]


# --- the privacy budget (OpenDP's privacy maps and composition) ------------------------------


@cache
def epsilon_of(sensitivity: int, scale: float = NOISE_SCALE) -> float:
    """ε of one draw of OpenDP's discrete Laplace mechanism on a count vector that one person
    moves by ``sensitivity`` (L1)."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    return float(_laplace(scale).map(d_in=sensitivity))  # type: ignore[attr-defined]


@cache
def composed_epsilon(draws: int, sensitivity: int = TERRITORY_SENSITIVITY) -> float:
    """ε of ``draws`` draws of one person, by OpenDP's (sequential) composition."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    if draws <= 0:
        return 0.0
    mechanism = _laplace(NOISE_SCALE)
    composed = dp.c.make_composition([mechanism] * draws)
    return float(composed.map(d_in=sensitivity))


def yearly_budget() -> float:
    """A person's ε per calendar year: YEARLY_BUDGET_DRAWS territory draws, composed."""
    return composed_epsilon(YEARLY_BUDGET_DRAWS)


# --- when a release may happen ---------------------------------------------------------------


def month_start(moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_release_possible(last: datetime | None, now: datetime | None = None) -> datetime:
    """The first moment a new release may happen: the first day of the month after the last."""
    now = now or timezone.now()
    if last is None or month_start(last) < month_start(now):
        return now
    start = month_start(last)
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def french_date(moment: datetime) -> str:
    months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    local = timezone.localtime(moment)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{day} {months[local.month - 1]} {local.year}"


def release_refusal(last: datetime | None, now: datetime | None = None) -> Refused | None:
    """At most one release per calendar month: more would let figures be redrawn at will."""
    now = now or timezone.now()
    possible = next_release_possible(last, now)
    if last is None or possible <= now:
        return None
    return Refused(
        f"Une diffusion a déjà eu lieu ce mois-ci (le {french_date(last)}) : les diffusions sont "
        f"au plus mensuelles. La prochaine est possible à partir du {french_date(possible)}.",
        code="release_monthly",
    )


# --- noise (OpenDP) ------------------------------------------------------------------------


def _laplace(scale: float) -> Callable[[list[int]], list[int]]:
    import opendp.prelude as dp

    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    return dp.m.make_laplace(*space, scale=scale)


_MECHANISMS: dict[float, Callable[[list[int]], list[int]]] = {}


def noisy(values: Sequence[int], *, scale: float = NOISE_SCALE) -> list[int]:
    """Each integer plus discrete Laplace noise of scale ``scale`` (OpenDP, secure sampler)."""
    if not values:
        return []
    mechanism = _MECHANISMS.get(scale)
    if mechanism is None:
        mechanism = _MECHANISMS[scale] = _laplace(scale)
    return [int(v) for v in mechanism([int(v) for v in values])]


# --- rounding and wording ------------------------------------------------------------------


def round_to(value: float, step: int) -> int:
    return int(step * round(value / step))


def count_label(count: int | None) -> str:
    """« environ 25 » or « moins de 5 »; never an exact small count."""
    if count is None or count < threshold():
        return f"moins de {threshold()}"
    return f"environ {count}"


def small_cell(count: int) -> int | str:
    """A cell of an internal table: exact from k on, « < k » between 1 and k - 1."""
    return f"< {threshold()}" if 0 < count < threshold() else count


def share(part: int, whole: int) -> int | None:
    """A share of two noisy counts, in steps of SHARE_STEP %, clamped to 0–100."""
    if whole <= 0:
        return None
    return max(0, min(100, round_to(100 * max(part, 0) / whole, SHARE_STEP)))


def score(value: float | None, noise: int = 0) -> int | None:
    if value is None:
        return None
    return max(0, min(100, round_to(value + noise, SCORE_STEP)))


def shows_distribution(people: int) -> bool:
    """Medians and quartiles only where one person cannot move them readably."""
    return people >= max(DISTRIBUTION_MIN, threshold())


# --- complementary suppression -------------------------------------------------------------


def suppress_differences(members: dict[str, frozenset[int]]) -> dict[str, str]:
    """Status of every scope: below k, published, or suppressed so that no difference of two
    published scopes (or of one and a disjoint family of published scopes inside it) isolates
    a group of fewer than k people. Iterated until stable."""
    k = threshold()
    status = {scope: (PUBLISHED if len(m) >= k else BELOW) for scope, m in members.items()}
    by_person: dict[int, set[str]] = {}
    for scope, people in members.items():
        for person in people:
            by_person.setdefault(person, set()).add(scope)

    def published() -> list[str]:
        return [s for s, v in status.items() if v == PUBLISHED]

    changed = True
    while changed:
        changed = False
        # Pairs: A and B overlap and each adds fewer than k people to the other.
        for a in sorted(published(), key=lambda s: (len(members[s]), s)):
            if status[a] != PUBLISHED:
                continue
            ma = members[a]
            overlapping = set().union(*(by_person[p] for p in ma)) - {a}
            for b in overlapping:
                if status[b] != PUBLISHED:
                    continue
                mb = members[b]
                if len(mb) - len(ma) >= k or len(mb) < len(ma):
                    continue  # B adds at least k people, or B is the smaller one (seen from B)
                if ma == mb:
                    continue  # the same people: the same figures are released for both
                only_b, only_a = len(mb - ma), len(ma - mb)
                if only_b < k and only_a < k and len(mb) >= len(ma):
                    status[a] = SUPPRESSED
                    changed = True
                    break
        # Families: B minus disjoint published scopes inside it leaves fewer than k people.
        for b in sorted(published(), key=lambda s: (-len(members[s]), s)):
            if status[b] != PUBLISHED:
                continue
            mb = members[b]
            inside = [
                a
                for a in set().union(*(by_person[p] for p in mb))
                if a != b and status[a] == PUBLISHED and members[a] < mb
            ]
            inside.sort(key=lambda s: (-len(members[s]), s))
            covered: set[int] = set()
            family = []
            for a in inside:
                if covered.isdisjoint(members[a]):
                    covered |= members[a]
                    family.append(a)
            residual = len(mb) - len(covered)
            if len(family) > 1 and 0 < residual < k:
                smallest = min(family, key=lambda s: (len(members[s]), s))
                status[smallest] = SUPPRESSED
                changed = True
    return status


# --- k-anonymity of an export --------------------------------------------------------------


def smallest_class(rows: Iterable[tuple[Hashable, ...]]) -> int:
    """Size of the smallest equivalence class on the quasi-identifiers (0 when empty)."""
    counts = Counter(rows)
    return min(counts.values()) if counts else 0


def k_anonymise(
    rows: Mapping[Any, tuple[Hashable, ...]],
    generalisations: Sequence[Callable[[tuple[Hashable, ...]], tuple[Hashable, ...]]],
) -> tuple[dict[Any, tuple[Hashable, ...]], int]:
    """Generalise the quasi-identifiers step by step while many rows sit in small classes, then
    suppress the rows of classes smaller than k. Returns (kept rows, number suppressed)."""
    k = threshold()
    current = dict(rows)
    for generalise in generalisations:
        counts = Counter(current.values())
        at_risk = sum(c for c in counts.values() if c < k)
        if not current or at_risk <= len(current) * 0.02:
            break
        current = {key: generalise(value) for key, value in current.items()}
    counts = Counter(current.values())
    kept = {key: value for key, value in current.items() if counts[value] >= k}
    return kept, len(current) - len(kept)


# --- cells of an internal table ------------------------------------------------------------


def hide_complements(
    cells: dict[Hashable, int], equations: Iterable[Sequence[Hashable]]
) -> dict[Hashable, str]:
    """Cells of an internal table that must not be shown: « small » ones (between 1 and k − 1)
    and, for each equation (cells whose sum the reader knows: a row adding up to its group's
    people, a column adding up over a partition), the smallest other cell when exactly one of
    its cells is hidden (« complement »), so that no subtraction gives a small cell back.
    Iterated until stable; deterministic (smallest value, then key)."""
    k = threshold()
    hidden: dict[Hashable, str] = {key: "small" for key, v in cells.items() if 0 < v < k}
    groups = [[key for key in equation if key in cells] for equation in equations]
    changed = True
    while changed:
        changed = False
        for equation in groups:
            if sum(1 for key in equation if key in hidden) != 1:
                continue
            visible = sorted(
                (key for key in equation if key not in hidden), key=lambda c: (cells[c], str(c))
            )
            if visible:
                hidden[visible[0]] = "complement"
                changed = True
    return hidden
