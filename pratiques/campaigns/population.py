"""Import of a campaign's population from CSV or XLSX: every bad row reported, nothing committed.

Columns (any case, accents on « é » optional): ``email``, ``prenom``, ``nom``, ``organisation``,
``profil`` (code or label of an actor profile), ``territoire`` (INSEE/SIREN code, or
« niveau:code »), optional ``ingenieries`` (codes or labels separated by « , » or « ; » or « | »).
Same limits as the indicator import: size, number of rows, NUL bytes, UTF-8 or Windows-1252.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from config.refusals import Refused
from pratiques.models import Campaign, Invitee, InviteeSource
from pratiques.services import region_of
from territoires.models import ActorProfile, Engineering, Level, SizeSegment, Territory
from territoires.text import normalize

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
XLSX_MAGIC = b"PK\x03\x04"
COLUMNS = {
    "email": ("email", "e-mail", "courriel", "adresse electronique", "mail"),
    "first_name": ("prenom", "first_name"),
    "last_name": ("nom", "last_name", "nom de famille"),
    "organisation": ("organisation", "structure"),
    "profile": ("profil", "profil d'acteur", "profil acteur"),
    "territory": ("territoire", "code territoire", "code"),
    "engineerings": ("ingenieries", "ingenierie", "ingenieries pratiquees"),
}
REQUIRED = ("email", "profile", "territory")
# Territory levels tried for a bare code, the most common first.
LEVEL_ORDER = [Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT, Level.REGION, Level.PROJECT]


@dataclass(frozen=True)
class RowProblem:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"ligne {self.line} : {self.message}" if self.line else self.message


class PopulationRefused(Refused):
    """The file has problems; nothing was written. ``problems`` lists them all."""

    default_code = "population_refused"
    problems: list[RowProblem]

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(
            f"Fichier refusé, rien n'est enregistré : {len(problems)} problème(s).",
            problems=problems,
        )


@dataclass
class PersonRow:
    line: int
    email: str
    first_name: str
    last_name: str
    organisation: str
    profile: ActorProfile
    territory: Territory
    engineerings: list[Engineering] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _simplify(text: str) -> str:
    """Case, accents (composed or not), hyphens, underscores, apostrophes and spaces folded:
    « Collectivités territoriales », « collectivites-territoriales », « COLLECTIVITES_TERRITORIALES »
    are one key."""
    return normalize(text)


# « Ingénierie de catalyse territoriale » may be written « catalyse territoriale ».
_ENGINEERING_PREFIX = "ingenierie de "


def read_rows(data: bytes, *, file_name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line, cells) of a CSV or XLSX file; raises ``PopulationRefused``."""
    if not data.strip():
        raise PopulationRefused([RowProblem(None, "Le fichier est vide.")])
    if len(data) > MAX_BYTES:
        raise PopulationRefused(
            [RowProblem(None, "Le fichier dépasse 5 Mo : découpez-le en plusieurs fichiers.")]
        )
    if data.startswith(XLSX_MAGIC) or file_name.lower().endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(data)
    else:
        rows = _csv_rows(data)
    rows = [(line, cells) for line, cells in rows if any(cell.strip() for cell in cells)]
    if not rows:
        raise PopulationRefused([RowProblem(None, "Le fichier est vide.")])
    _header_line, header = rows[0]
    if len(rows) - 1 > MAX_ROWS:
        raise PopulationRefused(
            [RowProblem(None, f"Le fichier compte plus de {MAX_ROWS:,} lignes.".replace(",", " "))]
        )
    return [cell.strip() for cell in header], rows[1:]


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    if b"\x00" in data:
        raise PopulationRefused(
            [RowProblem(None, "Le fichier contient des octets nuls : ce n'est pas un CSV texte.")]
        )
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    first = text.splitlines()[0] if text else ""
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    separator = max(counts, key=lambda sep: (counts[sep], sep == ";"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise PopulationRefused([RowProblem(reader.line_num, f"CSV illisible : {exc}")]) from exc


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 1:
                break
            rows.append((number, [_cell(value) for value in values]))
        workbook.close()
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise PopulationRefused([RowProblem(None, f"Classeur XLSX illisible : {exc}")]) from exc
    return rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def header_columns(
    header: list[str],
    columns: Mapping[str, Sequence[str]],
    required: Sequence[str],
    expected: str,
) -> dict[str, int]:
    """The index of each known column in a file's header row, its names compared folded
    (``_simplify``), the first accepted spelling winning; a missing required column refuses the
    file at line 1, saying which and what is ``expected``. Campaigns and dialogues read their
    population files with it."""
    simplified = {_simplify(name): index for index, name in enumerate(header)}
    found: dict[str, int] = {}
    for key, names in columns.items():
        for name in names:
            if _simplify(name) in simplified:
                found[key] = simplified[_simplify(name)]
                break
    missing = [columns[key][0] for key in required if key not in found]
    if missing:
        raise PopulationRefused(
            [
                RowProblem(
                    1,
                    "colonne(s) manquante(s) : "
                    + ", ".join(f"« {name} »" for name in missing)
                    + f". Attendu : {expected}.",
                )
            ]
        )
    return found


def _columns(header: list[str]) -> dict[str, int]:
    return header_columns(
        header,
        COLUMNS,
        REQUIRED,
        "email ; prenom ; nom ; organisation ; profil ; territoire ; ingenieries (facultatif)",
    )


def _by_code_or_label(items: list) -> dict[str, object]:
    found: dict[str, object] = {}
    for item in items:
        for key in (_simplify(item.label), _simplify(item.code)):
            found[key] = item
            if key.startswith(_ENGINEERING_PREFIX):
                found.setdefault(key.removeprefix(_ENGINEERING_PREFIX), item)
    return found


@dataclass(frozen=True)
class AcceptedValues:
    """What a population file may hold, as the import page and the template files list it."""

    profiles: list[tuple[str, str]]  # (code, label)
    engineerings: list[tuple[str, str]]
    levels: list[tuple[str, str]]  # territory levels for « niveau:code »


def accepted_values() -> AcceptedValues:
    return AcceptedValues(
        profiles=list(ActorProfile.objects.order_by("order", "label").values_list("code", "label")),
        engineerings=list(
            Engineering.objects.order_by("order", "label").values_list("code", "label")
        ),
        levels=[(level, Level(level).label) for level in LEVEL_ORDER],
    )


TEMPLATE_HEADER = ["email", "prenom", "nom", "organisation", "profil", "territoire", "ingenieries"]


def template_rows(values: AcceptedValues) -> list[list[str]]:
    """A header and two example lines: one by codes, one by labels."""
    profile = values.profiles[0] if values.profiles else ("", "")
    engineering = values.engineerings[:2] or [("", "")]
    return [
        TEMPLATE_HEADER,
        [
            "prenom.nom@exemple.fr",
            "Prénom",
            "Nom",
            "Organisation",
            profile[0],
            "94080",
            ", ".join(code for code, _ in engineering),
        ],
        [
            "autre.personne@exemple.fr",
            "Autre",
            "Personne",
            "",
            profile[1],
            "epci:200054781",
            ", ".join(label for _, label in engineering),
        ],
    ]


def parse_population(data: bytes, *, file_name: str) -> list[PersonRow]:
    """Every row checked; raises ``PopulationRefused`` with every bad row and its line."""
    header, rows = read_rows(data, file_name=file_name)
    columns = _columns(header)
    profiles = _by_code_or_label(list(ActorProfile.objects.all()))
    engineerings = _by_code_or_label(list(Engineering.objects.all()))

    def cell(cells: list[str], key: str) -> str:
        index = columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    wanted_codes = {cell(cells, "territory") for _, cells in rows}
    territories = _territories(wanted_codes)
    problems: list[RowProblem] = []
    people: list[PersonRow] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        email = cell(cells, "email").lower()
        row_problems = []
        try:
            validate_email(email)
        except ValidationError:
            row_problems.append(f"adresse électronique invalide « {email or '(vide)'} »")
        if email in seen:
            row_problems.append(f"adresse « {email} » déjà présente ligne {seen[email]}")
        profile = profiles.get(_simplify(cell(cells, "profile")))
        if profile is None:
            row_problems.append(f"profil d'acteur inconnu « {cell(cells, 'profile') or '(vide)'} »")
        code = cell(cells, "territory")
        territory = territories.get(code)
        if territory is None:
            row_problems.append(f"territoire inconnu « {code or '(vide)'} »")
        chosen = []
        for name in re.split(r"[,;|]", cell(cells, "engineerings")):
            if not name.strip():
                continue
            engineering = engineerings.get(_simplify(name))
            if engineering is None:
                row_problems.append(f"ingénierie inconnue « {name.strip()} »")
            else:
                chosen.append(engineering)
        for label, key, limit in (("prénom", "first_name", 150), ("nom", "last_name", 150)):
            if len(cell(cells, key)) > limit:
                row_problems.append(f"{label} trop long ({limit} caractères au plus)")
        if len(cell(cells, "organisation")) > 200:
            row_problems.append("organisation trop longue (200 caractères au plus)")
        if row_problems:
            problems.extend(RowProblem(line, message) for message in row_problems)
            continue
        seen[email] = line
        people.append(
            PersonRow(
                line=line,
                email=email,
                first_name=cell(cells, "first_name"),
                last_name=cell(cells, "last_name"),
                organisation=cell(cells, "organisation"),
                profile=profile,  # type: ignore[arg-type]
                territory=territory,  # type: ignore[arg-type]
                engineerings=list(dict.fromkeys(chosen)),  # type: ignore[arg-type]
            )
        )
    if problems:
        raise PopulationRefused(problems)
    return people


def _territories(codes: set[str]) -> dict[str, Territory]:
    """Territories named by a bare code (commune first, then EPCI…) or by « niveau:code »."""
    bare = {code for code in codes if code and ":" not in code}
    qualified = {code for code in codes if ":" in code}
    found: dict[str, Territory] = {}
    rank: dict[str, int] = {level: index for index, level in enumerate(LEVEL_ORDER)}
    candidates = Territory.objects.filter(code__in=bare).select_related("region")
    for territory in sorted(candidates, key=lambda t: rank.get(t.level, 99)):
        found.setdefault(territory.code, territory)
    for code in qualified:
        level, _, value = code.partition(":")
        named = (
            Territory.objects.filter(level=level.strip().lower(), code=value.strip())
            .select_related("region")
            .first()
        )
        if named is not None:
            found[code] = named
    return found


@transaction.atomic
def population_import(*, campaign: Campaign, data: bytes, file_name: str) -> ImportResult:
    """Adds (or updates, by e-mail) the people of the file; nothing is written if a row is bad."""
    people = parse_population(data, file_name=file_name)
    existing = {
        invitee.email: invitee
        for invitee in Invitee.objects.filter(
            campaign=campaign, email__in=[p.email for p in people]
        )
    }
    segments = list(SizeSegment.objects.all())
    new: list[Invitee] = []
    changed: list[Invitee] = []
    for person in people:
        invitee = existing.get(person.email) or Invitee(
            campaign=campaign, email=person.email, source=InviteeSource.IMPORT
        )
        invitee.first_name = person.first_name
        invitee.last_name = person.last_name
        invitee.organisation_name = person.organisation
        invitee.actor_profile = person.profile
        invitee.territory = person.territory
        invitee.region = region_of(person.territory)
        invitee.size_segment = SizeSegment.for_population(person.territory.population, segments)
        invitee.line = person.line
        (changed if invitee.pk else new).append(invitee)
    Invitee.objects.bulk_create(new, batch_size=1000)
    Invitee.objects.bulk_update(
        changed,
        [
            "first_name",
            "last_name",
            "organisation_name",
            "actor_profile",
            "territory",
            "region",
            "size_segment",
            "line",
        ],
        batch_size=1000,
    )
    through = Invitee.engineerings.through
    by_email = {invitee.email: invitee for invitee in new + changed}
    through.objects.filter(invitee__in=changed).delete()
    through.objects.bulk_create(
        [
            through(invitee_id=by_email[person.email].pk, engineering_id=engineering.pk)
            for person in people
            for engineering in person.engineerings
        ],
        batch_size=5000,
    )
    return ImportResult(created=len(new), updated=len(changed))
