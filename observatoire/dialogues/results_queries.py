"""Reads of a dialogue's results: its records (frozen snapshot, or live rows in the same shape),
the territory's indicators beside them, the previous dialogue, the initiatives, the territory
page's and the report's « Fragilités perçues », the admins' national picture and the anonymised
dataset. Every figure goes through ``observatoire.dialogues.results`` (the disclosure rules).

Each function runs a constant number of queries whatever the number of respondents.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q

from config.roles import Role, has_role
from observatoire.dialogues import results as computing
from observatoire.dialogues.models import (
    Dialogue,
    DialogueInitiative,
    DialogueResponse,
    DialogueSnapshot,
    DialogueStatus,
    InitiativeStatus,
    PerceivedFragility,
)
from observatoire.queries import territory_indicator_profile
from pratiques import disclosure
from territoires.models import ActorProfile, Fragility, Level, Territory

# --- who may see what ------------------------------------------------------------------------


def can_manage(user: Any, dialogue: Dialogue) -> bool:
    """The organiser and the network admins see the results while it runs and decide on the
    initiatives; everyone else only once the results are published."""
    if not getattr(user, "is_authenticated", False):
        return False
    return dialogue.organiser_id == user.pk or has_role(user, Role.NETWORK_ADMIN)


def is_published(dialogue: Dialogue) -> bool:
    return dialogue.status == DialogueStatus.PUBLISHED


# --- records ---------------------------------------------------------------------------------


def reference_pairs() -> tuple[list[list[str]], list[list[str]]]:
    """(fragilities, profiles) as [code, label], in the reference lists' order (2 queries)."""
    fragilities = [
        [code, label]
        for code, label in Fragility.objects.order_by("order", "pk").values_list("code", "label")
    ]
    profiles = [
        [code, label]
        for code, label in ActorProfile.objects.order_by("order", "pk").values_list("code", "label")
    ]
    return fragilities, profiles


def live_records(dialogue: Dialogue, limit: int | None = None) -> tuple[list[dict], list[int]]:
    """The first ``limit`` submitted responses, in the order they were first sent, in the frozen
    record shape, and their ids (3 queries). First sent, not created: a response opened early
    and sent late joins the end, so it never changes which answers an earlier checkpoint holds
    (``submitted_at`` is the first sending; later edits do not move it)."""
    rows = DialogueResponse.objects.filter(dialogue=dialogue, submitted_at__isnull=False).order_by(
        "submitted_at", "pk"
    )
    heads = list(rows.values_list("pk", "via", "actor_profile__code", "commune__code")[:limit])
    ids = [pk for pk, *_ in heads]
    records: dict[int, dict] = {
        pk: {
            "via": via,
            "profile": profile,
            "commune": commune,
            "levels": {},
            "priorities": [],
            "acts_with": [],
        }
        for pk, via, profile, commune in heads
    }
    if not ids:
        return [], []
    chosen = rows.values("pk")[:limit] if limit is not None else rows.values("pk")
    perceptions = PerceivedFragility.objects.filter(response_id__in=chosen).values_list(
        "response_id", "fragility__code", "level", "is_priority"
    )
    for response_id, code, level, priority in perceptions:
        record = records.get(response_id)
        if record is None:
            continue
        record["levels"][code] = level
        if priority:
            record["priorities"].append(code)
    through = DialogueResponse.acts_with.through
    acts = through.objects.filter(dialogueresponse_id__in=chosen).values_list(
        "dialogueresponse_id", "actorprofile__code"
    )
    for response_id, code in acts:
        record = records.get(response_id)
        if record is not None:
            record["acts_with"].append(code)
    return [records[pk] for pk in ids], ids


def submitted_count(dialogue: Dialogue) -> int:
    return DialogueResponse.objects.filter(dialogue=dialogue, submitted_at__isnull=False).count()


_FROZEN: OrderedDict[tuple[Any, ...], computing.DialogueResults] = OrderedDict()
FROZEN_KEPT = 64  # results of frozen snapshots kept by a process (a few kB each)


def frozen_results(snapshot: DialogueSnapshot) -> computing.DialogueResults:
    """A snapshot's results, computed once per process: a frozen snapshot never changes, and
    neither do its figures (keyed noise). Its records are read only on the first call (they are
    deferred by the reads below): the page then reads no JSON of 2 000 answers. Never mutate
    the object returned."""
    key = (
        snapshot.pk,
        snapshot.taken_at.isoformat(),
        disclosure.threshold(),
        hashlib.sha256(disclosure.noise_key()).hexdigest(),
    )
    results = _FROZEN.get(key)
    if results is None:
        results = computing.dialogue_results(
            snapshot.records, snapshot.fragilities, snapshot.profiles
        )
        _FROZEN[key] = results
        while len(_FROZEN) > FROZEN_KEPT:
            _FROZEN.popitem(last=False)
    else:
        _FROZEN.move_to_end(key)
    return results


def results_for(dialogue: Dialogue) -> computing.DialogueResults:
    """The frozen results once closed (from the snapshot, computed once per process), else the
    live ones on the latest checkpoint of answers (6 queries)."""
    if dialogue.is_closed:
        snapshot = getattr(dialogue, "snapshot", None)
        if snapshot is not None:
            return frozen_results(snapshot)
    fragilities, profiles = reference_pairs()
    submitted = submitted_count(dialogue)
    reached, ahead = computing.live_checkpoint(submitted)
    if reached is None:
        results = computing.DialogueResults(fragilities, profiles, disclosure.threshold())
    else:
        records, ids = live_records(dialogue, reached)
        results = computing.dialogue_results(
            records, fragilities, profiles, live_seed=[dialogue.pk, ids]
        )
    results.provisional = True
    results.based_on = reached
    results.next_checkpoint = ahead
    results.submitted = submitted
    return results


def dialogue_with_snapshot(pk: int) -> Dialogue | None:
    return (
        Dialogue.objects.select_related(
            "territory", "territory__departement", "territory__region", "snapshot", "organiser"
        )
        .defer("snapshot__records")
        .filter(pk=pk)
        .first()
    )


# --- beside the indicators -------------------------------------------------------------------


@dataclass
class DomainRow:
    code: str
    label: str
    perceived: computing.FragilityFigure | None
    curated: str  # the network's level, « — » without one
    reading: str  # what the indicators alone say
    comparison: str  # the « À examiner » sentence of the territory page (curated vs ranks)
    perception: str  # the perceived level beside both
    to_examine: bool


def beside_indicators(dialogue: Dialogue, results: computing.DialogueResults) -> list[DomainRow]:
    """Per fragility: the perceived level, the curated level and the indicators' reading of the
    same territory, and the sentences saying whether they agree (4–5 queries)."""
    if results.overall is None:
        return []
    profile = territory_indicator_profile(dialogue.territory)
    domains = {d.fragility.code: d for d in profile.domains if d.fragility is not None}
    rows = []
    for figure in results.overall.fragilities:
        domain = domains.get(figure.code)
        sentence, examine = computing.perceived_sentence(figure, domain)
        curated = getattr(domain, "curated", None)
        rows.append(
            DomainRow(
                figure.code,
                figure.label,
                figure,
                curated.label if curated is not None else "—",
                domain.indicator_reading if domain is not None else "",
                domain.comparison if domain is not None else "",
                sentence,
                examine,
            )
        )
    return rows


# --- the dialogue before ---------------------------------------------------------------------


def previous_dialogue(dialogue: Dialogue) -> Dialogue | None:
    """The latest published dialogue on the same territory closed before this one (1 query)."""
    before = Q(closed_at__lt=dialogue.closed_at) if dialogue.closed_at else Q()
    return (
        Dialogue.objects.filter(
            before,
            territory_id=dialogue.territory_id,
            status=DialogueStatus.PUBLISHED,
            snapshot__isnull=False,
        )
        .exclude(pk=dialogue.pk)
        .select_related("snapshot")
        .defer("snapshot__records")
        .order_by("-closed_at", "-pk")
        .first()
    )


def evolution_since(
    dialogue: Dialogue, results: computing.DialogueResults
) -> tuple[Dialogue | None, list[computing.Evolution]]:
    previous = previous_dialogue(dialogue)
    if previous is None:
        return None, []
    return previous, computing.evolution(frozen_results(previous.snapshot), results)


# --- initiatives -----------------------------------------------------------------------------


@dataclass(frozen=True)
class InitiativeLine:
    """An initiative as shown: never its respondent's profile, commune or dates."""

    pk: int
    fragility: str
    title: str
    text: str
    carrier: str
    status: str
    status_label: str


def initiatives(dialogue: Dialogue, *, approved_only: bool) -> list[InitiativeLine]:
    """Initiatives of submitted answers (1 query); only the approved ones for the public."""
    rows = DialogueInitiative.objects.filter(
        response__dialogue=dialogue, response__submitted_at__isnull=False
    )
    if approved_only:
        rows = rows.filter(status=InitiativeStatus.APPROVED)
    labels = dict(InitiativeStatus.choices)
    return [
        InitiativeLine(pk, fragility, title, text, carrier, status, str(labels[status]))
        for pk, fragility, title, text, carrier, status in rows.order_by(
            "fragility__order", "title", "pk"
        ).values_list("pk", "fragility__label", "title", "text", "carrier", "status")
    ]


# --- the territory page and the report -------------------------------------------------------


@dataclass
class PerceivedPart:
    """The « Fragilités perçues » part of a territory's page and report."""

    dialogue: Dialogue
    results: computing.DialogueResults
    closed_on: datetime | None
    respondents: str  # « environ 60 »
    profiles: list[str]
    rows: list[DomainRow] = field(default_factory=list)

    @property
    def demo(self) -> bool:
        return self.dialogue.is_demo


def latest_published(territory: Territory) -> Dialogue | None:
    return (
        Dialogue.objects.filter(
            territory=territory, status=DialogueStatus.PUBLISHED, snapshot__isnull=False
        )
        .select_related("snapshot", "territory", "territory__departement", "territory__region")
        .defer("snapshot__records")
        .order_by("-closed_at", "-pk")
        .first()
    )


def perceived_for_territory(
    territory: Territory, *, with_rows: bool = True
) -> PerceivedPart | None:
    """The latest published dialogue's figures for a territory, or None (1 query, + 4–5 for
    the rows beside the indicators)."""
    dialogue = latest_published(territory)
    if dialogue is None:
        return None
    results = frozen_results(dialogue.snapshot)
    part = PerceivedPart(
        dialogue,
        results,
        dialogue.closed_at,
        results.overall.people_label if results.overall else disclosure.count_label(None),
        results.profiles_represented,
    )
    if with_rows:
        part.rows = beside_indicators(dialogue, results)
    return part


def perceived_stamp(territory: Territory) -> list[Any]:
    """What the report's part depends on (its cache key): the latest published dialogue."""
    row = (
        Dialogue.objects.filter(territory=territory, status=DialogueStatus.PUBLISHED)
        .order_by("-closed_at", "-pk")
        .values_list("pk", "published_at")
        .first()
    )
    return list(row) if row else []


# --- the admins' national picture ------------------------------------------------------------


@dataclass
class RegionRow:
    code: str
    name: str
    dialogues: int
    figures: computing.GroupFigures | None  # None: held back (secret statistique)


@dataclass
class NationalPicture:
    fragilities: list[list[str]]
    rows: list[RegionRow]
    france: computing.GroupFigures | None
    counted: int  # published dialogues counted
    left_out: int  # published dialogues under k invited respondents (never counted)


def _region_of(territory: Territory) -> Territory | None:
    if territory.level == Level.REGION:
        return territory
    return territory.region


def national_picture() -> NationalPicture:
    """Perceived fragilities by région from every published dialogue whose whole is shown
    (k invited respondents): a région is then a union of whole published dialogues, so no
    difference between it and the dialogues inside isolates fewer than k people; the member
    sets go through ``disclosure.suppress_differences`` all the same (4 queries)."""
    k = disclosure.threshold()
    fragilities, profiles = reference_pairs()
    dialogues = list(
        Dialogue.objects.filter(status=DialogueStatus.PUBLISHED, snapshot__isnull=False)
        .select_related("snapshot", "territory", "territory__region")
        .order_by("pk")
    )
    regions: dict[str, list[Dialogue]] = defaultdict(list)
    names: dict[str, str] = {}
    members: dict[str, frozenset[int]] = {}
    counted: list[Dialogue] = []
    left_out = 0
    for dialogue in dialogues:
        records = dialogue.snapshot.records
        ids = frozenset(
            dialogue.pk * 1_000_000 + i for i in computing.invited(records, range(len(records)))
        )
        if len(ids) < k:
            left_out += 1
            continue
        counted.append(dialogue)
        members[f"dialogue:{dialogue.pk}"] = ids
        region = _region_of(dialogue.territory)
        if region is not None:
            regions[region.code].append(dialogue)
            names[region.code] = region.name
    for code, inside in regions.items():
        members[f"region:{code}"] = frozenset().union(
            *(members[f"dialogue:{d.pk}"] for d in inside)
        )
    members["pays:FR"] = frozenset().union(*(members[f"dialogue:{d.pk}"] for d in counted))
    status = disclosure.suppress_differences(members)

    def figures(scope: str, inside: list[Dialogue], label: str) -> computing.GroupFigures | None:
        if status.get(scope) != disclosure.PUBLISHED:
            return None
        records = [r for d in inside for r in d.snapshot.records]
        seed = computing.contributions_seed(records)
        return computing.group_figures(scope, label, records, fragilities, profiles, seed)

    rows = [
        RegionRow(code, names[code], len(inside), figures(f"region:{code}", inside, names[code]))
        for code, inside in sorted(regions.items(), key=lambda item: names[item[0]])
    ]
    return NationalPicture(
        fragilities, rows, figures("pays:FR", counted, "France"), len(counted), left_out
    )


# --- the anonymised dataset ------------------------------------------------------------------

NOT_RELEASED = "(non diffusé)"


def _departement(code: Hashable) -> Hashable:
    text = str(code or "")
    if not text or text == NOT_RELEASED:
        return text
    return text[:3] if text.startswith("97") else text[:2]


GENERALISATIONS = (
    lambda row: (row[0], _departement(row[1])),  # commune → département
    lambda row: (row[0], NOT_RELEASED),  # zone left out
    lambda row: (computing.OTHERS_LABEL, row[1]),  # profile → « autres profils »
)


@dataclass(frozen=True)
class DatasetSummary:
    records: int
    kept: int
    removed: int

    @property
    def statement(self) -> str:
        if not self.records:
            return "Aucune réponse dans le jeu de données figé : le fichier est vide."
        text = (
            f"{self.kept} réponses sur {self.records} ; profil d’acteur et commune d’activité "
            "généralisés (département, puis non diffusé ; profils rares regroupés) avant de "
            "retirer une réponse."
        )
        if self.removed:
            text += (
                f" {self.removed} retirée{'s' if self.removed > 1 else ''} : leur combinaison "
                f"restait partagée par moins de {disclosure.threshold()} acteurs invités."
            )
        return text


def anonymised_rows(dialogue: Dialogue) -> tuple[list[list[str]], DatasetSummary]:
    """The frozen records, k-anonymous on (profile, commune): profiles under k respondents go to
    « autres profils » first, then communes are generalised (``disclosure.k_anonymise``: most
    records kept by generalising); no open/invited flag, no initiative text, in the shuffled order of the snapshot."""
    snapshot = dialogue.snapshot
    records = snapshot.records
    labels = {code: label for code, label in snapshot.profiles}
    cells = computing.partition(records, snapshot.profiles)
    shown_profile = {i: key for key, members in cells.items() for i in members}
    rows: dict[Any, tuple[Hashable, ...]] = {}
    for index, record in enumerate(records):
        key = shown_profile.get(index, computing.OTHERS)
        profile = computing.OTHERS_LABEL if key == computing.OTHERS else labels[key]
        rows[index] = (profile, record.get("commune") or "")
    kept, removed = disclosure.k_anonymise(rows, GENERALISATIONS)
    # Only invited respondents count towards k: a class the open link filled is left out too.
    invited_per_class: dict[Hashable, int] = defaultdict(int)
    for index, value in kept.items():
        invited_per_class[value] += records[index].get("via") == "invite"
    small = [i for i, value in kept.items() if invited_per_class[value] < disclosure.threshold()]
    for index in small:
        del kept[index]
    removed += len(small)
    codes = [code for code, _ in snapshot.fragilities]
    header = ["profil", "zone", *codes, "priorites", "agit_avec"]
    lines: list[list[str]] = [header]
    for index in sorted(kept):  # the snapshot's own order, shuffled at closing
        record = records[index]
        levels = record.get("levels") or {}
        lines.append(
            [
                str(kept[index][0]),
                str(kept[index][1]),
                *(
                    "ne sait pas"
                    if code in levels and levels[code] is None
                    else ("" if code not in levels else str(levels[code]))
                    for code in codes
                ),
                " ".join(sorted(record.get("priorities") or [])),
                " ".join(sorted(record.get("acts_with") or [])),
            ]
        )
    return lines, DatasetSummary(len(records), len(kept), removed)
