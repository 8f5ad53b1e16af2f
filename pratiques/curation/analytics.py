"""What the admins' analytics page reads: the grid's three scales, for the whole network or broken
down by size segment or by actor profile, and their trend over the successive releases.

Released figures only (``ReleasedAggregate`` « analyses:<version> », noisy, and its breakdowns
« analyses:<version>:<dimension>:… », ``pratiques.breakdowns``); a group below k is « moins de k
personnes », a cell between 1 and k − 1 « < k », and a cell whose value the others of its row or
column would give back is masked too (``disclosure.hide_complements``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pratiques import disclosure
from pratiques.models import GridVersion, Practice, ReleasedAggregate, Scale, ScaleStep

SCALES = {
    Scale.FREQUENCY.value: ("f", "Fréquence"),
    Scale.INVOLVEMENT.value: ("i", "Niveau d'implication"),
    Scale.CARRYING.value: ("c", "Portage"),
}
BREAKDOWNS = {
    "": "Ensemble du réseau",
    "segment": "Par segment de taille",
    "profile": "Par profil d'acteur",
}
MASKED = "masqué"
TREND_RELEASES = 12


@dataclass
class Column:
    name: str  # the cell's name in the released figures (« f2 », « not_concerned »…)
    label: str
    partition: bool = True  # adds up with the others to the group's people


@dataclass
class GroupTable:
    scope: str
    label: str
    status: str
    people: int | None = None
    rows: list[tuple[Practice, list[int | str]]] = field(default_factory=list)
    values: dict[str, dict[str, int]] = field(default_factory=dict)  # key → name → released
    trend: list[dict[str, Any]] = field(default_factory=list)
    # Released before this scale was counted (only the frequency then): nothing to show yet.
    scale_missing: bool = False

    @property
    def shown(self) -> bool:
        return self.status == disclosure.PUBLISHED

    @property
    def people_label(self) -> str:
        if not self.shown or self.people is None:
            return f"moins de {disclosure.threshold()}"
        return str(self.people)


def columns(scale: str, steps: list[ScaleStep]) -> list[Column]:
    prefix, _ = SCALES[scale]
    result = [Column(f"{prefix}{step.value}", step.label) for step in steps]
    result += [Column("not_concerned", "Non concerné·e"), Column("unanswered", "Pas de réponse")]
    if scale == Scale.FREQUENCY:
        result.append(Column("develop", "À développer", partition=False))
    return result


def _group(row: ReleasedAggregate, label: str) -> GroupTable:
    figures = row.figures or {}
    group = GroupTable(row.scope, figures.get("label", label), row.status)
    if group.shown:
        group.people = max(disclosure.threshold(), int(figures.get("total", 0)))
        group.values = figures.get("practices", {})
    return group


def analytics_tables(
    version: GridVersion, release: Any, breakdown: str, scale: str
) -> tuple[list[Column], list[GroupTable]]:
    """The tables of one scale, for the whole network (one group) or each group of a breakdown
    (3 queries), with the cells shown under the disclosure rules."""
    steps = list(ScaleStep.objects.filter(version=version, scale=scale).order_by("value"))
    cols = columns(scale, steps)
    if release is None:
        return cols, []
    practices = list(
        Practice.objects.filter(version=version)
        .select_related("situation")
        .order_by("situation__order", "order")
    )
    prefix = f"analyses:{version.pk}"
    rows = ReleasedAggregate.objects.filter(release=release).defer("members").order_by("scope")
    if breakdown:
        rows = rows.filter(scope__startswith=f"{prefix}:{breakdown}:")
    else:
        rows = rows.filter(scope=prefix)
    groups = [_group(row, BREAKDOWNS[""]) for row in rows]
    groups.sort(key=lambda g: (g.label == "non diffusé", g.label))
    for g in groups:
        g.scale_missing = g.shown and not any(cols[0].name in v for v in g.values.values())
    published = [g for g in groups if g.shown and not g.scale_missing]
    cells = {
        (g.scope, str(p.key), c.name): int(g.values.get(str(p.key), {}).get(c.name, 0))
        for g in published
        for p in practices
        for c in cols
    }
    partition = [c.name for c in cols if c.partition]
    # A row adds up to its group's people; a breakdown's column adds up over its groups (the
    # export they come from gives the sum), so both are equations a reader can solve.
    equations = [
        [(g.scope, str(p.key), name) for name in partition] for g in published for p in practices
    ]
    if breakdown:
        equations += [
            [(g.scope, str(p.key), c.name) for g in published] for p in practices for c in cols
        ]
    hidden = disclosure.hide_complements(cells, equations)  # type: ignore[arg-type]
    small = f"< {disclosure.threshold()}"
    for g in published:
        for p in practices:
            shown: list[int | str] = []
            for c in cols:
                key = (g.scope, str(p.key), c.name)
                reason = hidden.get(key)
                shown.append(
                    cells[key] if reason is None else small if reason == "small" else MASKED
                )
            g.rows.append((p, shown))
    _trends(groups, cols)
    return cols, groups


def _trends(groups: list[GroupTable], cols: list[Column]) -> None:
    """Each group's shares of the scale's steps over the latest releases (1 query): the sum of
    its released cells over the grid's practices, as shares in steps of SHARE_STEP %."""
    if not groups:
        return
    rows = (
        ReleasedAggregate.objects.filter(scope__in=[g.scope for g in groups])
        .defer("members")
        .select_related("release")
        .order_by("-release__released_at", "-release_id", "scope")
    )
    by_scope: dict[str, list[ReleasedAggregate]] = {}
    for row in rows:
        if len(by_scope.setdefault(row.scope, [])) < TREND_RELEASES:
            by_scope[row.scope].append(row)
    partition = [c.name for c in cols if c.partition]
    for group in groups:
        for row in by_scope.get(group.scope, []):
            shown = row.status == disclosure.PUBLISHED and "practices" in row.figures
            practices = row.figures.get("practices", {}) if shown else {}
            sums = {
                c.name: sum(int(cells.get(c.name, 0)) for cells in practices.values()) for c in cols
            }
            whole = sum(sums[name] for name in partition)
            answered = sum(sums[f"f{v}"] for v in range(4)) if "develop" in sums else 0
            group.trend.append(
                {
                    "release": row.release,
                    "people": max(disclosure.threshold(), int(row.figures.get("total", 0)))
                    if shown
                    else None,
                    "shares": [
                        disclosure.share(sums[c.name], whole if c.partition else answered)
                        if shown
                        else None
                        for c in cols
                    ],
                }
            )
