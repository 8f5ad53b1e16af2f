"""Import of examples from CSV or XLSX: every bad row reported with its line, nothing committed.

Columns (any case, accents optional): ``titre``, ``resume``, ``texte``, ``territoires`` (codes or
« niveau:code », separated by « , » « ; » or « | »), ``profils``, ``fragilites`` (codes or labels),
``pratiques`` (codes of the current grid, « 1.2 », or stable keys), ``impact`` (performance,
innovation, confiance), ``annee``, ``source``, ``lien``, ``licence``. Reading (size, encodings,
XLSX) is the campaign population import's (``pratiques.campaigns.population.read_rows``).
"""

from __future__ import annotations

import re
import uuid

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from config.refusals import Refused
from pratiques.campaigns.population import (
    LEVEL_ORDER,
    PopulationRefused,
    RowProblem,
    read_rows,
)
from pratiques.directory.queries import published_practices
from pratiques.examples.services import ExampleData, example_save
from pratiques.models import ExampleStatus, Impact
from territoires.models import ActorProfile, Fragility, Territory
from territoires.text import normalize

COLUMNS = {
    "title": ("titre", "title"),
    "summary": ("resume", "summary"),
    "body": ("texte", "recit", "body"),
    "territories": ("territoires", "territoire"),
    "actor_profiles": ("profils", "profil", "profils d acteurs"),
    "fragilities": ("fragilites", "fragilite"),
    "practices": ("pratiques", "pratique"),
    "impact": ("impact", "horizon"),
    "year": ("annee", "year"),
    "source": ("source",),
    "source_url": ("lien", "url", "lien de la source"),
    "licence": ("licence", "license"),
}
REQUIRED = ("title", "summary")
_SPLIT = re.compile(r"\s*[,;|]\s*")


class ExamplesImportRefused(Refused):
    default_code = "examples_import_refused"

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(
            f"Fichier refusé, rien n'est enregistré : {len(problems)} problème"
            f"{'s' if len(problems) > 1 else ''}.",
            problems=problems,
        )


def _columns(header: list[str]) -> dict[str, int]:
    simplified = {normalize(name): index for index, name in enumerate(header)}
    found = {
        key: simplified[normalize(name)]
        for key, names in COLUMNS.items()
        for name in reversed(names)
        if normalize(name) in simplified
    }
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in found]
    if missing:
        raise ExamplesImportRefused(
            [
                RowProblem(
                    1,
                    "colonnes manquantes : "
                    + ", ".join(f"« {name} »" for name in missing)
                    + ". Attendu : titre ; resume ; texte ; territoires ; profils ; fragilites ; "
                    "pratiques ; impact ; annee ; source ; lien ; licence.",
                )
            ]
        )
    return found


def _lookup(items: list) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in items:
        found[normalize(item.label)] = item.code
        found[normalize(item.code)] = item.code
    return found


def _pick(text: str, table: dict, what: str, errors: list[str], *, exact: bool = False) -> list:
    chosen = []
    for value in (v for v in _SPLIT.split(text) if v):
        found = table.get(value if exact else normalize(value))
        if found is None:
            errors.append(f"{what} inconnu « {value[:60]} »")
        else:
            chosen.append(found)
    return chosen


def parse_examples(data: bytes, *, file_name: str) -> list[tuple[int, ExampleData]]:
    try:
        header, rows = read_rows(data, file_name=file_name)
    except PopulationRefused as refusal:
        raise ExamplesImportRefused(refusal.problems) from None
    columns = _columns(header)
    profiles = _lookup(list(ActorProfile.objects.all()))
    fragilities = _lookup(list(Fragility.objects.all()))
    practices = {p.code: p.key for p in published_practices()}
    keys = set(practices.values())
    impacts = {normalize(v): v for v in Impact.values} | {
        normalize(str(label)): v for v, label in Impact.choices
    }
    codes: set[str] = set()
    for _line, cells in rows:
        index = columns.get("territories")
        if index is not None and index < len(cells):
            codes.update(c for c in _SPLIT.split(cells[index].strip()) if c)
    territories = _territories(codes)
    url_ok = URLValidator(schemes=["http", "https"])
    this_year = timezone.now().year
    problems: list[RowProblem] = []
    parsed: list[tuple[int, ExampleData]] = []
    for line, cells in rows:

        def cell(key: str, cells: list[str] = cells) -> str:
            index = columns.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        errors: list[str] = []
        title, summary = cell("title"), cell("summary")
        if not title:
            errors.append("titre manquant")
        elif len(title) > 250:
            errors.append("titre de plus de 250 caractères")
        if not summary:
            errors.append("résumé manquant")
        elif len(summary) > 1000:
            errors.append("résumé de plus de 1 000 caractères")

        row_territories = _pick(cell("territories"), territories, "territoire", errors, exact=True)
        row_profiles = _pick(cell("actor_profiles"), profiles, "profil", errors)
        row_fragilities = _pick(cell("fragilities"), fragilities, "fragilité", errors)
        row_practices: list[uuid.UUID] = []
        for value in (v for v in _SPLIT.split(cell("practices")) if v):
            if value in practices:
                row_practices.append(practices[value])
                continue
            try:
                key = uuid.UUID(value)
            except ValueError:
                key = None
            if key is not None and key in keys:
                row_practices.append(key)
            else:
                errors.append(f"pratique inconnue « {value[:60]} »")
        impact = ""
        if cell("impact"):
            impact = impacts.get(normalize(cell("impact")), "")
            if not impact:
                errors.append(
                    f"impact « {cell('impact')[:40]} » : attendu performance, innovation ou confiance"
                )
        year = None
        if cell("year"):
            if cell("year").isdigit() and 1950 <= int(cell("year")) <= this_year:
                year = int(cell("year"))
            else:
                errors.append(f"année « {cell('year')[:10]} » : attendu de 1950 à {this_year}")
        source_url = cell("source_url")
        if source_url:
            try:
                url_ok(source_url)
            except ValidationError:
                errors.append(f"lien « {source_url[:60]} » invalide (http ou https)")
        if errors:
            problems.append(RowProblem(line, " ; ".join(errors)))
            continue
        parsed.append(
            (
                line,
                ExampleData(
                    title=title,
                    summary=summary,
                    body=cell("body"),
                    territories=row_territories,
                    actor_profiles=row_profiles,
                    fragilities=row_fragilities,
                    practices=row_practices,
                    impact=impact,
                    year=year,
                    source=cell("source"),
                    source_url=source_url,
                    licence=cell("licence"),
                ),
            )
        )
    if problems:
        raise ExamplesImportRefused(problems)
    if not parsed:
        raise ExamplesImportRefused([RowProblem(None, "Aucun exemple dans le fichier.")])
    return parsed


def _territories(codes: set[str]) -> dict[str, Territory]:
    """« niveau:code » or a bare code (commune first, then EPCI, département, région, projet)."""
    found: dict[str, Territory] = {}
    bare = {code for code in codes if ":" not in code}
    keyed = {tuple(code.split(":", 1)) for code in codes if ":" in code}
    candidates = (
        Territory.objects.filter(code__in=bare | {c for _l, c in keyed})
        .only("id", "level", "code", "population", "region_id", "name")
        .select_related("region")
    )
    by_key = {(t.level, t.code): t for t in candidates}
    for level, code in keyed:
        if (level, code) in by_key:
            found[f"{level}:{code}"] = by_key[(level, code)]
    for code in bare:
        for level in LEVEL_ORDER:
            if (level, code) in by_key:
                found[code] = by_key[(level, code)]
                break
    return found


@transaction.atomic
def examples_import(
    *, actor: User, data: bytes, file_name: str, status: str = ExampleStatus.PROPOSED
) -> int:
    """Every row checked first; then all are written, or none."""
    parsed = parse_examples(data, file_name=file_name)
    for _line, row in parsed:
        example_save(actor=actor, data=row, status=status)
    return len(parsed)
