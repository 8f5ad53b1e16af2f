"""A validated self-assessment's results as rows: the results page's table and its exports (CSV,
XLSX, PDF) read the same rows, so an export carries exactly the figures the page shows — the
scores, the selected peer group's released quartiles and place, the triangle and the group's
barycentre (released figures only: ``queries.results`` reads the latest release). Pure
formatting, no query."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import floatformat
from django.utils import timezone

from pratiques import queries

QUARTILE_TEXT = {
    1: "dans le quart le plus bas",
    2: "dans le deuxième quart",
    3: "dans le troisième quart",
    4: "dans le quart le plus haut",
}
LEVER_LABELS = ("Gestion", "Action", "Vision")


def shares(values: tuple[float, float, float] | None) -> list[tuple[str, float]]:
    """« Gestion », « Action », « Vision » with their part in % (the triangle's table)."""
    if not values:
        return []
    return [(label, 100 * share) for label, share in zip(LEVER_LABELS, values, strict=True)]


def compared_group(data: queries.Results) -> queries.PeerGroup | None:
    """The selected peer group when the release shows its distribution (else no comparison)."""
    group = data.selected
    return group if group is not None and group.shown and group.has_distribution else None


def score_rows(data: queries.Results) -> list[dict[str, Any]]:
    """One row per axis and situation: the score and its place in the selected peer group."""
    group = data.selected if data.selected and data.selected.shown else None
    rows = []
    axes = group.axes if group else {}
    situations = group.situations if group else {}
    for axis in data.tree.axes:
        elements: list[tuple[str, Any, str, dict[Any, queries.Distribution]]] = [
            ("axis", axis, f"Axe {axis.code} « {axis.title} »", axes)
        ]
        elements += [
            ("situation", s, f"{s.code}. {s.title}", situations)
            for s in data.tree.situations
            if s.axis_id == axis.pk
        ]
        for kind, element, title, distributions in elements:
            dist = distributions.get(element.key)
            scores = data.axis_scores if kind == "axis" else data.situation_scores
            rows.append(
                {
                    "kind": kind,
                    "code": element.code,
                    "title": title,
                    "score": scores.get(element.key),
                    "dist": dist,
                    "quartile": QUARTILE_TEXT.get(dist.quartile)
                    if dist and dist.quartile
                    else None,
                }
            )
    return rows


def shown(value: float | None) -> int | None:
    """A figure as the page prints it (``floatformat:0``), as a number; None for « — »."""
    if value is None:
        return None
    return int(floatformat(value, 0))


EXPORT_HEADER = [
    "auto_evaluation",
    "version_grille",
    "validee_le",
    "groupe_pairs",
    "diffusion_pairs",
    "pairs_personnes",
    "type",
    "code",
    "libelle",
    "mon_score",
    "pairs_q1",
    "pairs_mediane",
    "pairs_q3",
    "ma_place",
    "barycentre_pairs_pct",
]


def group_caption(data: queries.Results) -> tuple[str, str, str]:
    """(the group's label, the release's date, its size as the page says it)."""
    group = data.selected
    release = (
        f"{timezone.localtime(data.release.released_at):%Y-%m-%d}" if data.release else "aucune"
    )
    if group is None:
        return "", release, ""
    people = group.people_label if group.shown else f"moins de {data.threshold}"
    return group.label, release, people


def export_rows(data: queries.Results) -> list[list[Any]]:
    """The page's scores table and triangle, one line each, with the peer group's figures where
    the page shows them (numbers as the page rounds them; empty where it says « — »)."""
    assessment = data.assessment
    submitted = (
        f"{timezone.localtime(assessment.submitted_at):%Y-%m-%d}" if assessment.submitted_at else ""
    )
    label, release, people = group_caption(data)
    common = [assessment.pk, assessment.version.label, submitted, label, release, people]
    compared = compared_group(data) is not None
    lines: list[list[Any]] = []
    for row in score_rows(data):
        dist = row["dist"] if compared else None
        lines.append(
            [
                *common,
                "axe" if row["kind"] == "axis" else "situation",
                row["code"],
                row["title"],
                shown(row["score"]),
                *(shown(getattr(dist, name)) if dist else None for name in ("q1", "median", "q3")),
                (row["quartile"] or "") if compared else "",
                None,
            ]
        )
    group = compared_group(data)
    barycentre = dict(shares(group.barycentre if group else None))
    for lever, value in shares(data.ternary):
        lines.append(
            [
                *common,
                "triangle",
                lever.lower(),
                f"Part de {lever} dans le triangle (%)",
                shown(value),
                None,
                None,
                None,
                "",
                shown(barycentre.get(lever)),
            ]
        )
    return lines
