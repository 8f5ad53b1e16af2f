from __future__ import annotations

from pratiques.curation.diff import tokenize, word_diff, word_diff_parts


def test_it_keeps_identical_text_unmarked() -> None:
    assert word_diff("Créer des liens", "Créer des liens") == "Créer des liens"


def test_it_marks_a_renamed_axis_word_by_word() -> None:
    html = word_diff("Stratégie et projection", "Stratégie partenariale et projection")
    assert html == "Stratégie<ins> partenariale</ins> et projection"


def test_it_marks_a_changed_word_as_deleted_then_inserted() -> None:
    html = word_diff(
        "Contractualiser (de la négociation à l'évaluation)",
        "Contractualiser (De la négociation à l'évaluation)",
    )
    assert "<del>de</del><ins>De</ins>" in html
    assert html.startswith("Contractualiser (")


def test_it_handles_plural_changes() -> None:
    parts = word_diff_parts("(En internes et en externes)", "(En interne et en externe)")
    assert ("delete", "internes") in parts
    assert ("insert", "interne") in parts
    assert ("delete", "externes") in parts


def test_it_escapes_html() -> None:
    html = word_diff("<b>a</b>", "<script>alert(1)</script>")
    assert "<script>" not in html
    assert "<ins>script</ins>&gt;" in html
    assert "<del>b</del>" in html


def test_it_handles_empty_sides() -> None:
    assert word_diff("", "Nouvelle pratique") == "<ins>Nouvelle pratique</ins>"
    assert word_diff("Ancienne", "") == "<del>Ancienne</del>"
    assert word_diff("", "") == ""


def test_tokens_keep_french_punctuation_apart() -> None:
    assert tokenize("« Être » l’écoute") == ["«", " ", "Être", " ", "»", " ", "l", "’", "écoute"]


def test_a_rewritten_text_reads_as_before_then_after() -> None:
    from pratiques.curation.diff import word_diff_sides

    html = word_diff_sides("Gérer les contrats signés", "Piloter les contrats suivis")
    assert html == (
        '<span class="diff-side"><span class="diff-tag">avant</span> '
        "<del>Gérer</del> les contrats <del>signés</del></span>"
        '<span class="diff-side"><span class="diff-tag">après</span> '
        "<ins>Piloter</ins> les contrats <ins>suivis</ins></span>"
    )
    # One replaced spot or only additions: one line.
    assert word_diff_sides("de la", "De la") == "<del>de</del><ins>De</ins> la"
    assert word_diff_sides("a", "a b") == "a<ins> b</ins>"
