"""What the indicator imports accept, listed on the import page, and their template files."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from config.roles import Role, role_required
from config.spreadsheets import csv_response, spreadsheet_row
from config.types import AuthenticatedHttpRequest
from observatoire.imports.catalogue import KINDS, NO, OPTIONAL, REQUIRED, YES
from observatoire.imports.reading import MISSING_MARKERS
from observatoire.imports.values import LONG_CODE, LONG_INDICATOR, LONG_VALUE, LONG_YEAR
from observatoire.models import Collection, Indicator, Polarity
from territoires.models import Fragility, Level

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEVELS = [Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT, Level.REGION, Level.COUNTRY]


@dataclass(frozen=True)
class CatalogueFormat:
    required: list[str]
    optional: list[str]
    domains: list[str]  # the 16 fragilities' exact labels
    polarities: list[tuple[str, str]]
    collections: list[tuple[str, str]]
    levels: list[tuple[str, str]]
    kinds: list[str]
    yes: list[str]
    no: list[str]


@dataclass(frozen=True)
class ValuesFormat:
    long_columns: list[tuple[str, ...]]
    missing: list[str]
    levels: list[tuple[str, str]]
    indicators: list[tuple[str, str]]  # (code, label) of the catalogue, for the wide format


def catalogue_format() -> CatalogueFormat:
    return CatalogueFormat(
        required=REQUIRED,
        optional=OPTIONAL,
        domains=list(Fragility.objects.order_by("order", "label").values_list("label", flat=True)),
        polarities=[(p.value, str(p.label)) for p in (Polarity.FRAGILITY, Polarity.STRENGTH)],
        collections=[(c.value, str(c.label)) for c in Collection],
        levels=[(level.value, str(level.label)) for level in LEVELS],
        kinds=sorted(KINDS),
        yes=sorted(YES),
        no=sorted(value for value in NO if value),
    )


def values_format() -> ValuesFormat:
    return ValuesFormat(
        long_columns=[LONG_INDICATOR, LONG_CODE, LONG_YEAR, LONG_VALUE],
        missing=[m for m in dict.fromkeys(m.lower() for m in MISSING_MARKERS) if m],
        levels=[(level.value, str(level.label)) for level in LEVELS],
        indicators=list(Indicator.objects.order_by("code").values_list("code", "label")[:200]),
    )


def catalogue_template_rows() -> list[list[str]]:
    domain = Fragility.objects.order_by("order", "label").values_list("label", flat=True).first()
    domain = domain or "Emploi / chômage / insertion"
    return [
        [*REQUIRED, *OPTIONAL],
        [
            "P21_POP",
            "Population municipale",
            "habitants",
            "INSEE, recensement",
            "2021",
            domain,
            "atout",
            "territoires",
            "commune,epci,departement,region,pays",
            "oui",
            "effectif",
            "",
        ],
        [
            "TX_CHOM",
            "Taux de chômage des 15-64 ans",
            "%",
            "INSEE, recensement",
            "2021",
            domain,
            "fragilite",
            "domaines",
            "",
            "non",
            "taux",
            "",
        ],
    ]


def values_template_rows() -> list[list[str]]:
    codes = list(Indicator.objects.order_by("code").values_list("code", flat=True)[:2])
    codes = codes or ["P21_POP", "TX_CHOM"]
    return [
        ["indicateur", "code", "annee", "valeur"],
        [codes[0], "01001", "2021", "776"],
        [codes[-1], "01001", "2021", "s"],
    ]


TEMPLATES = {"catalogue": catalogue_template_rows, "valeurs": values_template_rows}


@require_safe
@role_required(Role.NETWORK_ADMIN)
def import_template(request: AuthenticatedHttpRequest, kind: str, extension: str) -> HttpResponse:
    """A file to fill in for the catalogue or the values (long format), as CSV or XLSX."""
    if kind not in TEMPLATES or extension not in ("csv", "xlsx"):
        raise Http404("Modèles : catalogue ou valeurs, en CSV ou en XLSX.")
    rows = [spreadsheet_row(row) for row in TEMPLATES[kind]()]
    if extension == "csv":
        response = csv_response(rows)
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = kind
        for row in rows:
            sheet.append(row)
        data = io.BytesIO()
        workbook.save(data)
        response = HttpResponse(data.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="modele-{kind}.{extension}"'
    return response
