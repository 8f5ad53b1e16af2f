"""The campaign report and its anonymised export, computed from the frozen dataset only."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from statistics import fmean, pstdev
from typing import Any

from pratiques import disclosure, scoring
from pratiques.campaigns.disclosure import Disclosed, campaign_disclosure, threshold
from pratiques.curation.queries import GENERALISATIONS
from pratiques.models import Campaign, CampaignSnapshot

FREQUENCY_LABELS = ["Jamais", "Ponctuellement", "Régulièrement", "Au quotidien"]
CARRYING_LABELS = {1: "En interne", 2: "En partenariat", 3: "Les deux"}
LEVERS = ["Gestion", "Action", "Vision"]


@dataclass
class PracticeRow:
    code: str
    label: str
    answered: Disclosed
    frequency: list[int] = field(default_factory=list)  # whole percents, Jamais … + NC
    develop: int | None = None
    carrying: list[int] = field(default_factory=list)  # interne, partenariat, les deux
    mean_score: float | None = None


@dataclass
class GroupRow:
    label: str
    people: Disclosed
    barycentre: list[int] | None = None


@dataclass
class Comparison:
    previous: Campaign
    situations: list[tuple[str, str, float, float]]  # code, title, previous, current
    practices: list[tuple[str, str, float, float]]
    situations_only: bool
    statement: str


@dataclass
class CampaignReport:
    campaign: Campaign
    snapshot: CampaignSnapshot
    respondents: Disclosed
    rate: int | None
    practices: list[PracticeRow]
    situations: list[tuple[str, str, float | None]]
    barycentre: list[int] | None
    spread: list[int] | None
    to_develop: list[PracticeRow]
    by_segment: list[GroupRow]
    by_profile: list[GroupRow]
    comparison: Comparison | None
    k: int


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _barycentre(records: list[dict]) -> tuple[list[int] | None, list[int] | None]:
    points = [r["levers"] for r in records if r.get("levers")]
    if len(points) < threshold():
        return None, None
    centre = [round(100 * fmean(p[i] for p in points)) for i in range(3)]
    spread = [round(100 * pstdev(p[i] for p in points)) for i in range(3)]
    return centre, spread


def practice_rows(snapshot: CampaignSnapshot) -> list[PracticeRow]:
    records = snapshot.records
    rows = []
    for practice in snapshot.grid.get("practices", []):
        answers = [
            r["answers"][practice["key"]] for r in records if practice["key"] in r["answers"]
        ]
        answered = [a for a in answers if a[0] or a[1] is not None]
        disclosed = campaign_disclosure(len(answered))
        row = PracticeRow(practice["code"], practice["label"], disclosed)
        if disclosed.shown:
            frequencies = Counter("nc" if a[0] else a[1] for a in answered)
            row.frequency = [_percent(frequencies[v], len(answered)) for v in (0, 1, 2, 3, "nc")]
            row.develop = _percent(sum(1 for a in answers if a[4]), len(records))
            carried = Counter(a[3] for a in answered if a[3])
            total = sum(carried.values())
            row.carrying = [_percent(carried[v], total) for v in (1, 2, 3)] if total else []
            scores = [scoring.practice_score(a[1], a[2], not_concerned=a[0]) for a in answered]
            row.mean_score = scoring.mean_or_none(scores)
        rows.append(row)
    return rows


def situation_means(snapshot: CampaignSnapshot) -> dict[str, float]:
    values: dict[str, list[float]] = defaultdict(list)
    for record in snapshot.records:
        for key, score in record["situations"].items():
            values[key].append(score)
    return {key: fmean(v) for key, v in values.items() if len(v) >= threshold()}


def _groups(records: list[dict], attribute: str) -> list[GroupRow]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        grouped[record[attribute] or "non renseigné"].append(record)
    rows = []
    for label in sorted(grouped):
        members = grouped[label]
        disclosed = campaign_disclosure(len(members))
        centre = _barycentre(members)[0] if disclosed.shown else None
        rows.append(GroupRow(label, disclosed, centre))
    return rows


def campaign_report(campaign: Campaign) -> CampaignReport:
    """Raises ``CampaignSnapshot.DoesNotExist`` for a campaign not closed yet."""
    snapshot = CampaignSnapshot.objects.get(campaign=campaign)
    records = snapshot.records
    practices = practice_rows(snapshot)
    means = situation_means(snapshot)
    centre, spread = _barycentre(records)
    shown = [p for p in practices if p.develop is not None]
    return CampaignReport(
        campaign=campaign,
        snapshot=snapshot,
        respondents=campaign_disclosure(len(records), snapshot.invited),
        rate=_percent(len(records), snapshot.invited) if snapshot.invited else None,
        practices=practices,
        situations=[
            (s["code"], s["title"], means.get(s["key"])) for s in snapshot.grid["situations"]
        ],
        barycentre=centre,
        spread=spread,
        to_develop=sorted(shown, key=lambda p: -(p.develop or 0))[:5],
        by_segment=_groups(records, "segment"),
        by_profile=_groups(records, "profile"),
        comparison=comparison(campaign, snapshot),
        k=threshold(),
    )


def previous_campaign(campaign: Campaign) -> Campaign | None:
    return (
        Campaign.objects.filter(
            closed_at__isnull=False, snapshot__isnull=False, is_demo=campaign.is_demo
        )
        .exclude(pk=campaign.pk)
        .filter(closes_on__lte=campaign.closes_on)
        .select_related("version", "snapshot")
        .order_by("-closes_on", "-closed_at")
        .first()
    )


def comparison(campaign: Campaign, snapshot: CampaignSnapshot) -> Comparison | None:
    """On situations and practices whose stable key persists; situations only when the previous
    campaign's grid has no practices in common (the 2023 grid has none)."""
    previous = previous_campaign(campaign)
    if previous is None:
        return None
    before = previous.snapshot
    now_means, before_means = situation_means(snapshot), situation_means(before)
    situations = [
        (s["code"], s["title"], before_means[s["key"]], now_means[s["key"]])
        for s in snapshot.grid["situations"]
        if s["key"] in now_means and s["key"] in before_means
    ]
    previous_keys = {p["key"] for p in before.grid.get("practices", [])}
    common = [p for p in snapshot.grid["practices"] if p["key"] in previous_keys]
    practices: list[tuple[str, str, float, float]] = []
    if common:
        before_rows = {r.code: r for r in practice_rows(before)}
        before_by_key = {
            p["key"]: before_rows.get(p["code"]) for p in before.grid.get("practices", [])
        }
        now_by_key = {
            p["key"]: r
            for p, r in zip(snapshot.grid["practices"], practice_rows(snapshot), strict=True)
        }
        for p in common:
            old, new = before_by_key.get(p["key"]), now_by_key.get(p["key"])
            if old and new and old.mean_score is not None and new.mean_score is not None:
                practices.append((p["code"], p["label"], old.mean_score, new.mean_score))
    situations_only = not common
    if situations_only:
        statement = (
            f"Comparaison avec « {previous.title} » (grille {previous.version.label}) sur les "
            f"{len(situations)} situations dont la clé stable persiste, seulement : les pratiques "
            "de l'autre grille ne se retrouvent pas dans celle-ci."
        )
    else:
        statement = (
            f"Comparaison avec « {previous.title} » (grille {previous.version.label}) sur les "
            f"{len(practices)} pratiques et {len(situations)} situations dont la clé stable "
            "persiste d'une grille à l'autre ; les autres ne sont pas comparées."
        )
    return Comparison(previous, situations, practices, situations_only, statement)


# --- anonymised export ----------------------------------------------------------------------------

# The platform's main export generalises the same quasi-identifiers in the same order (global
# recoding: period, zone, then engineerings, profile and segment left out) until at most 2 % of
# the records sit in classes smaller than k; the records of the remaining small classes go.
QUASI_IDENTIFIERS = ("version", "annee", "segment", "profil", "ingenieries", "region")
NOT_RELEASED = "(non diffusé)"


@dataclass(frozen=True)
class ExportSummary:
    records: int  # in the frozen dataset
    kept: int
    removed: int
    steps: list[str]  # generalisations applied, in French

    @property
    def statement(self) -> str:
        k = threshold()
        if not self.records:
            return "Aucun enregistrement dans le jeu de données figé : l'export est vide."
        steps = " ; ".join(self.steps) if self.steps else "aucune généralisation nécessaire"
        text = (
            f"Export anonymisé : {self.kept} enregistrements sur {self.records} "
            f"({round(100 * self.kept / self.records)} %) ; généralisation : {steps}."
        )
        if self.removed:
            text += (
                f" {self.removed} retiré{'s' if self.removed > 1 else ''} : après généralisation, "
                f"leur combinaison de caractéristiques restait partagée par moins de {k} "
                "personnes."
            )
        return text


def _steps(kept: list[tuple]) -> list[str]:
    if not kept:
        return []
    sample = kept[0]
    steps = []
    if "–" in str(sample[1]):
        steps.append("année → période de 3 ans")
    if sample[5] in ("France métropolitaine", "Outre-mer"):
        steps.append("région → France métropolitaine ou outre-mer")
    for index, label in ((4, "ingénieries"), (3, "profil"), (2, "segment")):
        if sample[index] == NOT_RELEASED:
            steps.append(f"{label} non diffusé")
    return steps


def export_classes(snapshot: CampaignSnapshot) -> tuple[dict[int, tuple], ExportSummary]:
    """Generalised quasi-identifiers of each kept record (by index) and what was done."""
    version = snapshot.campaign.version.label
    rows: dict[Any, tuple[Hashable, ...]] = {
        index: (
            version,
            record["year"] if record["year"] is not None else "",
            record["segment"] or "",
            record["profile"] or "",
            " ; ".join(record["engineerings"]),
            record["region"] or "",
        )
        for index, record in enumerate(snapshot.records)
    }
    kept, removed = disclosure.k_anonymise(rows, GENERALISATIONS)
    summary = ExportSummary(len(rows), len(kept), removed, _steps(list(kept.values())))
    return kept, summary


def anonymised_rows(snapshot: CampaignSnapshot) -> tuple[list[list[str]], ExportSummary]:
    """Rows of the k-anonymous export: each record under its snapshot pseudonym, in the random
    order of the snapshot, with its generalised quasi-identifiers."""
    practices = snapshot.grid.get("practices", [])
    header = ["pseudonyme", "version", "période", "segment", "profil", "ingénieries", "région"]
    for practice in practices:
        code = practice["code"]
        header += [
            f"{code} fréquence",
            f"{code} implication",
            f"{code} portage",
            f"{code} à développer",
        ]
    classes, summary = export_classes(snapshot)
    rows = [header]
    for index, record in enumerate(snapshot.records):
        if index not in classes:
            continue
        row = [record.get("pseudonym", ""), *(str(part) for part in classes[index])]
        for practice in practices:
            answer = record["answers"].get(practice["key"])
            if answer is None:
                row += ["", "", "", ""]
            elif answer[0]:
                row += ["NC", "", "", "oui" if answer[4] else ""]
            else:
                row += [
                    "" if answer[1] is None else str(answer[1]),
                    "" if answer[2] is None else str(answer[2]),
                    "" if answer[3] is None else str(answer[3]),
                    "oui" if answer[4] else "",
                ]
        rows.append(row)
    return rows, summary


def report_context(report: CampaignReport) -> dict[str, Any]:
    return {
        "report": report,
        "campaign": report.campaign,
        "frequency_labels": [*FREQUENCY_LABELS, "Non concerné·e"],
        "carrying_labels": list(CARRYING_LABELS.values()),
        "levers": LEVERS,
        "report_groups": [
            ("Taille de territoire", report.by_segment),
            ("Profil d'acteur", report.by_profile),
        ],
    }
