"""« Comparer des territoires »: two to four territories of one level side by side, as a page and a
PDF — the comparison officials ask for first (their commune and a neighbour, their EPCI and
another of the same size).

Every figure comes from the functions behind each territory's own page (indicator profile,
released practice figures), so the comparison never says anything a territory page does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from config import pdf
from config.types import HtmxHttpRequest
from observatoire.queries import (
    CuratedLevel,
    IndicatorLine,
    TerritoryProfile,
    territory_indicator_profile,
)
from observatoire.templatetags.observatoire import indicator_value
from pratiques import aggregates
from territoires.forms import TerritoryField
from territoires.models import Level, Territory

# What a phone or a council member can read across: beyond four columns a table stops comparing.
MAX_TERRITORIES = 4
FIELDS = [f"t{i}" for i in range(1, MAX_TERRITORIES + 1)]
LEVEL_NOUNS: dict[str, str] = {
    Level.COMMUNE: "communes",
    Level.ARRONDISSEMENT: "arrondissements municipaux",
    Level.EPCI: "intercommunalités",
    Level.DEPARTEMENT: "départements",
    Level.REGION: "régions",
    Level.PROJECT: "territoires de projet",
}


class CompareForm(forms.Form):
    t1 = TerritoryField(label="Premier territoire")
    t2 = TerritoryField(label="Deuxième territoire")
    t3 = TerritoryField(label="Troisième territoire (facultatif)", required=False)
    t4 = TerritoryField(label="Quatrième territoire (facultatif)", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [cleaned[name] for name in FIELDS if cleaned.get(name)]
        if len(chosen) < len([n for n in FIELDS if self.data.get(n)]):
            return cleaned  # a field already says what is wrong with it
        if len({t.pk for t in chosen}) < len(chosen):
            raise forms.ValidationError(
                "Un même territoire est choisi deux fois : choisissez des territoires différents.",
                code="duplicate",
            )
        levels = {t.level for t in chosen}
        if Level.COUNTRY in levels:
            raise forms.ValidationError(
                "La France n'a pas de pairs : comparez des régions, des départements, "
                "des intercommunalités ou des communes.",
                code="country",
            )
        if len(levels) > 1:
            names = ", ".join(f"{t.name} ({t.get_level_display().lower()})" for t in chosen)
            raise forms.ValidationError(
                "Comparez des territoires de même niveau, qui ont les mêmes pairs : "
                f"{names} ne le sont pas.",
                code="levels",
            )
        return cleaned

    def territories(self) -> list[Territory]:
        return [self.cleaned_data[name] for name in FIELDS if self.cleaned_data.get(name)]


@dataclass
class ComparedIndicator:
    code: str
    label: str
    unit: str
    demo: bool
    # One cell per territory, None when that territory has no value for it.
    lines: list[IndicatorLine | None]

    @property
    def cells(self) -> list[dict[str, str]]:
        """Text as each territory's page prints it (value, year, rank among peers)."""
        cells = []
        for line in self.lines:
            if line is None:
                cells.append({"value": "", "year": "", "rank": "", "peers": ""})
                continue
            peers = line.peers
            cells.append(
                {
                    "value": indicator_value(line.value),
                    "rate": "" if line.rate is None else indicator_value(line.rate),
                    "year": str(line.year),
                    "rank": "" if line.rank is None else str(line.rank),
                    "peers": "" if line.rank is None or peers is None else f"{peers.count:,}",
                }
            )
        for cell in cells:
            cell["peers"] = cell["peers"].replace(",", "\u202f")
        return cells


@dataclass
class ComparedDomain:
    label: str
    positions: list[float | None]
    curated: list[CuratedLevel | None]
    indicators: list[ComparedIndicator] = field(default_factory=list)

    @property
    def readings(self) -> list[tuple[float | None, CuratedLevel | None]]:
        """Per territory: the domain's position among peers and the level the network retained."""
        return list(zip(self.positions, self.curated, strict=True))


@dataclass
class Comparison:
    territories: list[Territory]
    profiles: list[TerritoryProfile]
    practices: list[aggregates.TerritoryPractices]
    domains: list[ComparedDomain]

    @property
    def noun(self) -> str:
        return LEVEL_NOUNS.get(self.territories[0].level, "territoires")

    @property
    def has_demo(self) -> bool:
        return any(p.has_demo for p in self.profiles) or any(p.demo for p in self.practices)

    @property
    def same_segment(self) -> bool:
        return len({p.segment.pk if p.segment else None for p in self.profiles}) == 1


def compare(territories: list[Territory]) -> Comparison:
    """The figures of each territory's page, aligned by fragility domain and indicator."""
    profiles = [territory_indicator_profile(t) for t in territories]
    domains: dict[object, ComparedDomain] = {}
    rows: dict[tuple[object, str], ComparedIndicator] = {}
    for index, profile in enumerate(profiles):
        for domain in profile.domains:
            key = domain.fragility.pk if domain.fragility else None
            compared = domains.get(key)
            if compared is None:
                label = domain.fragility.label if domain.fragility else "Autres repères"
                compared = domains[key] = ComparedDomain(
                    label, [None] * len(profiles), [None] * len(profiles)
                )
            compared.positions[index] = domain.position
            compared.curated[index] = domain.curated
            for line in domain.lines:
                indicator = line.indicator
                row = rows.get((key, indicator.code))
                if row is None:
                    row = rows[(key, indicator.code)] = ComparedIndicator(
                        indicator.code,
                        indicator.label,
                        indicator.unit,
                        indicator.is_demo,
                        [None] * len(profiles),
                    )
                    compared.indicators.append(row)
                row.lines[index] = line
    ordered = sorted(domains.values(), key=lambda d: d.label == "Autres repères")
    return Comparison(
        territories=territories,
        profiles=profiles,
        practices=[aggregates.territory_practices(t) for t in territories],
        domains=ordered,
    )


def _form(request: HtmxHttpRequest) -> CompareForm:
    return CompareForm(request.GET if any(request.GET.get(n) for n in FIELDS) else None)


@login_not_required
@require_safe
def territory_compare(request: HtmxHttpRequest) -> HttpResponse:
    """The form (values kept after an error, 400), and the comparison below it once valid."""
    form = _form(request)
    comparison = None
    if form.is_bound and form.is_valid():
        comparison = compare(form.territories())
        # Shown back as the picker's labels (« Vincennes (94) — Commune, code 94080 »).
        form = CompareForm(initial={name: form.cleaned_data.get(name) for name in FIELDS})
    context = {"form": form, "comparison": comparison, "query": request.GET.urlencode()}
    template = "observatoire/territory_compare.html"
    return render(request, template, context, status=400 if form.errors else 200)


@login_not_required
@require_safe
def territory_compare_pdf(request: HtmxHttpRequest) -> HttpResponse:
    """The same comparison as a PDF for a council (the platform's one PDF pipeline)."""
    form = _form(request)
    if not (form.is_bound and form.is_valid()):
        return territory_compare(request)
    comparison = compare(form.territories())
    html = render_to_string(
        "observatoire/territory_compare_pdf.html", {"comparison": comparison}, request=request
    )
    document = pdf.html_to_pdf(html, kind="territory-comparison")
    names = "-".join(slugify(t.name)[:30] for t in comparison.territories)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="comparaison-{names}.pdf"'
    return response
