"""A catalogue file (code;libelle;unite;source;millesime;domaine;polarite) → checked indicators."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from observatoire.imports.problems import FileRefused, Problem
from observatoire.imports.reading import Table, find_column, read_table
from observatoire.models import Collection, Polarity
from territoires.models import Level

REQUIRED = ["code", "libelle", "unite", "source", "millesime", "domaine", "polarite"]
OPTIONAL = ["collection", "niveaux", "additif", "nature", "note"]
KINDS = {"effectif", "taux", "valeur"}
UNSPECIFIED = ""  # « nature non précisée »: neither additive nor in % or ‰, and no nature column
YES = {"oui", "o", "1", "vrai", "true", "yes", "x"}
NO = {"non", "n", "0", "faux", "false", "no", ""}
# A catalogue lists indicators (a few hundred): more rows is not a catalogue.
MAX_ROWS = 20_000


@dataclass
class CatalogueFile:
    rows_read: int
    # Indicator fields by code, ready for the ORM (fragility given as its primary key).
    indicators: dict[str, dict] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_catalogue_file(
    data: bytes, *, file_name: str, fragilities: dict[str, int]
) -> CatalogueFile:
    """``fragilities``: exact label → primary key of the 16 fragilities."""
    table = read_table(data, file_name=file_name, all_text=True)
    columns = {name: find_column(table.columns, name) for name in REQUIRED + OPTIONAL}
    missing = [name for name in REQUIRED if columns[name] is None]
    if missing:
        raise FileRefused(
            [
                Problem(
                    1,
                    name,
                    "fichier",
                    f"colonne « {name} » absente ; colonnes attendues : {';'.join(REQUIRED)}.",
                )
                for name in missing
            ]
        )
    frame = table.frame
    if len(frame) > MAX_ROWS:
        raise FileRefused(
            [
                Problem(
                    None,
                    None,
                    "fichier",
                    f"{len(frame)} lignes : un catalogue en compte au plus {MAX_ROWS}.",
                )
            ]
        )
    result = CatalogueFile(rows_read=len(frame))
    first_line: dict[str, int] = {}
    for index, row in frame.iterrows():
        line = Table.line_of(int(index))

        def cell(name: str, row: pd.Series = row) -> str:
            column = columns[name]
            value = row[column] if column else ""
            return "" if pd.isna(value) else str(value).strip()

        problems: list[Problem] = []
        code = cell("code")
        if not code:
            problems.append(Problem(line, "code", "champ_invalide", "code vide."))
        elif code in first_line:
            problems.append(
                Problem(
                    line,
                    "code",
                    "ligne_en_double",
                    f"« {code} » est déjà à la ligne {first_line[code]}.",
                )
            )
        else:
            first_line[code] = line
        label = cell("libelle")
        if not label:
            problems.append(Problem(line, "libelle", "champ_invalide", "libellé vide."))
        domain = cell("domaine")
        fragility_id = fragilities.get(domain)
        if domain and fragility_id is None:
            problems.append(
                Problem(
                    line,
                    "domaine",
                    "champ_invalide",
                    f"« {domain} » n’est pas le libellé exact d’une des 16 fragilités.",
                )
            )
        polarity = cell("polarite").lower().replace("é", "e")
        if polarity not in (Polarity.FRAGILITY, Polarity.STRENGTH):
            problems.append(
                Problem(
                    line,
                    "polarite",
                    "champ_invalide",
                    f"« {cell('polarite')} » : attendu « fragilite » ou « atout ».",
                )
            )
        collection = cell("collection").lower() or Collection.DOMAINES
        if collection not in Collection.values:
            problems.append(
                Problem(
                    line,
                    "collection",
                    "champ_invalide",
                    f"« {collection} » : attendu territoires, acteurs ou domaines.",
                )
            )
        levels_text = cell("niveaux")
        levels = [
            level.strip().lower()
            for level in levels_text.replace("|", ",").replace(" ", ",").split(",")
            if level.strip()
        ]
        bad_levels = [level for level in levels if level not in Level.values]
        if bad_levels:
            problems.append(
                Problem(
                    line,
                    "niveaux",
                    "champ_invalide",
                    f"niveau(x) inconnu(s) : {', '.join(bad_levels)}.",
                )
            )
        additive = cell("additif").lower()
        if additive not in YES | NO:
            problems.append(
                Problem(line, "additif", "champ_invalide", f"« {additive} » : attendu oui ou non.")
            )
        kind = cell("nature").lower()
        if not kind:  # not said by the file: derived from what it does say, else left unspecified
            kind = (
                "effectif"
                if additive in YES
                else ("taux" if cell("unite").strip() in ("%", "‰") else UNSPECIFIED)
            )
        if kind not in KINDS and not (kind == UNSPECIFIED and not cell("nature")):
            problems.append(
                Problem(
                    line,
                    "nature",
                    "champ_invalide",
                    f"« {kind} » : attendu effectif, taux ou valeur.",
                )
            )
        elif additive in YES and kind != "effectif":
            problems.append(
                Problem(line, "nature", "champ_invalide", "un indicateur additif est un effectif.")
            )
        result.problems += problems
        if not problems:
            fields: dict = {
                "label": label,
                "unit": cell("unite"),
                "source": cell("source"),
                "vintage": cell("millesime"),
                "fragility_id": fragility_id,
                "polarity": polarity,
                "collection": collection,
                "additive": additive in YES,
                "kind": kind,
                "note": cell("note"),
            }
            if levels:
                fields["levels"] = levels
            result.indicators[code] = fields
    return result
