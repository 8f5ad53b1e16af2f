"""The catalogue's optional ``nature`` column: derived when absent, as the import docs say."""

from __future__ import annotations

from observatoire.imports.catalogue import read_catalogue_file

FRAGILITIES = {"Emploi / chômage / insertion": 1}
HEADER = "code;libelle;unite;source;millesime;domaine;polarite;additif"
LINES = [
    "POP;Population;habitants;INSEE;2021;Emploi / chômage / insertion;atout;oui",
    "TX;Taux de chômage;%;INSEE;2021;Emploi / chômage / insertion;fragilite;non",
    "PM;Part pour mille;‰;INSEE;2021;Emploi / chômage / insertion;fragilite;non",
    "REV;Revenu médian;euros;INSEE;2021;Emploi / chômage / insertion;atout;non",
]


def _read(text: str) -> object:
    return read_catalogue_file(text.encode(), file_name="c.csv", fragilities=FRAGILITIES)


def test_without_the_nature_column_every_kind_is_derived() -> None:
    catalogue = _read("\n".join([HEADER, *LINES]) + "\n")
    assert catalogue.problems == []
    kinds = {code: fields["kind"] for code, fields in catalogue.indicators.items()}
    # Additive → effectif; « % » or « ‰ » → taux; anything else → « nature non précisée ».
    assert kinds == {"POP": "effectif", "TX": "taux", "PM": "taux", "REV": ""}


def test_an_empty_nature_cell_is_derived_too_but_a_wrong_one_is_refused() -> None:
    header = HEADER + ";nature"
    lines = [LINES[3] + ";", LINES[1] + ";valeur", LINES[0].replace("POP", "BAD") + ";moyenne"]
    catalogue = _read("\n".join([header, *lines]) + "\n")
    assert catalogue.indicators["REV"]["kind"] == "" and catalogue.indicators["TX"]["kind"] == (
        "valeur"
    )
    assert [p.message for p in catalogue.problems] == [
        "« moyenne » : attendu effectif, taux ou valeur."
    ]
