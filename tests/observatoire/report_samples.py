"""Deterministic sample data for the report tests (a grid shaped like the 2024 one)."""

from __future__ import annotations

import random

from observatoire.report.data import AssessmentRecord, GridPractice, GridSituation

AXES = [
    ("Expertises de Gestion", "gestion", ["1", "2", "3"]),
    ("Relations et Interactions", "action", ["4", "5", "6"]),
    ("Stratégie partenariale et projection", "vision", ["7", "8"]),
]
TITLES = {
    "1": "Trouver et diversifier des financements",
    "2": "Contractualiser (De la négociation à l'évaluation)",
    "3": "Manager des projets (Cadrage, pilotage, management d'équipe)",
    "4": "Être à l'écoute de son écosystème",
    "5": "Créer des liens (Entre pairs, entre « mondes », entre tous)",
    "6": "Valoriser les interactions (En interne et en externe)",
    "7": "Mettre en perspective une stratégie partenariale territoriale",
    "8": "Préparer une aide à la décision politique",
}


def sample_grid() -> tuple[list[GridSituation], list[GridPractice]]:
    situations = [
        GridSituation(code, TITLES[code], axis, lever)
        for axis, lever, codes in AXES
        for code in codes
    ]
    practices = [
        GridPractice(f"{s.code}.{i}", f"Pratique {s.code}.{i}", s.code)
        for s in situations
        for i in (1, 2, 3)
    ]
    return situations, practices


def sample_records(count: int, seed: int = 7) -> list[AssessmentRecord]:
    rng = random.Random(seed)
    situations, practices = sample_grid()
    records = []
    for _ in range(count):
        scores = {s.code: float(rng.randint(10, 95)) for s in situations}
        levers = {lever: sum(scores[c] for c in codes) / len(codes) for _, lever, codes in AXES}
        answers = {
            p.code: (rng.choice(["interne", "partenariat", "les-deux"]), rng.random() < 0.3)
            for p in practices
        }
        records.append(AssessmentRecord(scores, levers, answers))
    return records
