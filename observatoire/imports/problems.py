"""Problems found in an imported file, each with its line and column."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

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

# A report keeps this many problems in the database; the command prints all of them.
STORED_PROBLEMS_MAX = 5_000


@dataclass(frozen=True, slots=True)
class Problem:
    line: int | None
    column: str | None
    kind: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        prefix = ", ".join(where) or "fichier"
        return f"{prefix} : {KINDS.get(self.kind, self.kind)} — {self.message}"


class FileRefused(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problème(s)")
        self.problems = problems


def counts_by_kind(problems: list[Problem]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem.kind] = counts.get(problem.kind, 0) + 1
    return counts
