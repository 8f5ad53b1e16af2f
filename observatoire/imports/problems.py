"""Problems found in an imported file, each with its line and column."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from config.refusals import Refused

# Kinds of problem, with their French label for reports.
KINDS = {
    "fichier": "fichier illisible ou incomplet",
    "territoire_inconnu": "code de territoire inconnu",
    "indicateur_inconnu": "indicateur inconnu",
    "valeur_non_numerique": "valeur non numérique",
    "ligne_en_double": "ligne en double",
    "annee_hors_limites": "année hors limites",
    "champ_invalide": "champ invalide",
}

# A report keeps this many problems in the database; the command prints this many too, then
# « … et N autres problèmes ».
STORED_PROBLEMS_MAX = 5_000
PRINTED_PROBLEMS_MAX = 1_000
MESSAGE_MAX = 500

# PostgreSQL text cannot hold NUL; other C0 controls (but tab and newline) and lone surrogates
# only garble a report.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def storable(text: str, limit: int | None = None) -> str:
    """``text`` without the characters a PostgreSQL text column or a report cannot hold,
    shortened to ``limit`` characters."""
    text = _UNSTORABLE.sub("\ufffd", str(text))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


@dataclass(frozen=True, slots=True)
class Problem:
    line: int | None
    column: str | None
    kind: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        """Storable in a JSON column (no NUL, bounded length)."""
        return {
            "line": self.line,
            "column": None if self.column is None else storable(self.column, 200),
            "kind": self.kind,
            "message": storable(self.message, MESSAGE_MAX),
        }

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column:
            where.append(f"colonne « {storable(self.column, 200)} »")
        prefix = ", ".join(where) or "fichier"
        message = storable(self.message, MESSAGE_MAX)
        return f"{prefix} : {KINDS.get(self.kind, self.kind)} — {message}"


class FileRefused(Refused):
    """The file has problems; nothing was written."""

    default_code = "file_refused"
    problems: list[Problem]

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        """``problems``: the listed ones; ``total``: how many there are in all (more when a
        file is wrong on every row and only the first ones were kept)."""
        self.total = max(total or 0, len(problems))
        super().__init__(
            f"Fichier refusé, rien n'est enregistré : {self.total} problème(s).", problems=problems
        )
