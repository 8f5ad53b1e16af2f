"""The disclosure-control policy (« secret statistique ») of every aggregate of assessments.

One module, applied wherever answers leave a person's own view (territory sections, PDF reports,
peer groups, admin analytics, anonymised export). The method and its parameters are stated in the
README (« Secret statistique et diffusion des agrégats »):

- unit: a distinct consenting person (their latest consenting submitted assessment);
- threshold: k = ``settings.ANONYMITY_THRESHOLD`` (5) distinct people, below it « moins de 5 »;
- noise: discrete Laplace noise (OpenDP ``make_laplace`` on integers) on every released count,
  drawn once at a release and stored, so that reading twice gives the same figure;
- rounding: counts to the nearest 5, shares to steps of 10 %, scores to steps of 5;
- score distributions (median, quartiles, barycentre) only from ``DISTRIBUTION_MIN`` people;
- complementary suppression of scopes whose difference with another published scope is a group
  of fewer than k people (nested territories, projects);
- the anonymised export is generalised then suppressed until each class holds ≥ k rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

from django.conf import settings

# --- parameters ----------------------------------------------------------------------------

NOISE_SCALE = 2.0  # discrete Laplace scale b of each released count: ε = 1 / b per count
SCORE_NOISE_SCALE = 4.0  # on the 0–100 scores (a median, a quartile, a barycentre share)
COUNT_STEP = 5  # a count is shown to the nearest 5 (never below k)
SHARE_STEP = 10  # a share is shown in steps of 10 %
SCORE_STEP = 5  # a score (0–100) is shown in steps of 5
DISTRIBUTION_MIN = 10  # medians, quartiles and barycentre only from 10 distinct people
RELEASE_CHANGE_MIN = None  # None: k; a scope is re-released only when ≥ this many people changed
RELEASE_CADENCE = "mensuelle (le 1er de chaque mois)"

PUBLISHED = "published"
BELOW = "below"
SUPPRESSED = "suppressed"


def threshold() -> int:
    return int(settings.ANONYMITY_THRESHOLD)


def release_change_min() -> int:
    return RELEASE_CHANGE_MIN or threshold()


def parameters() -> dict[str, Any]:
    """The parameters a release is drawn with (stored on it, stated in the README)."""
    return {
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
    rows: dict[Any, tuple[Hashable, ...]],
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
