from __future__ import annotations

from config.typography import french_html, french_number, french_text

NBSP, NNBSP = "\u00a0", "\u202f"


def test_french_spaces_before_double_punctuation_and_inside_quotes() -> None:
    assert french_text("Levier : agilité") == f"Levier{NBSP}: agilité"
    assert french_text("Pourquoi? Oui!") == f"Pourquoi{NNBSP}? Oui{NNBSP}!"
    assert french_text("a ; b") == f"a{NNBSP}; b"
    assert french_text("« les fragilités »") == f"«{NBSP}les fragilités{NBSP}»"
    assert french_text("«mot»") == f"«{NBSP}mot{NBSP}»"
    # URLs and times keep their colons.
    assert french_text("https://exemple.fr") == "https://exemple.fr"


def test_only_text_nodes_change() -> None:
    html = (
        '<style>a:hover { color: red; }</style><a href="https://x.fr/?a=1;b=2" title="x">'
        "Source : INSEE &amp; Etalab&#39;s ; fin</a>"
    )
    out = french_html(html)
    assert '<style>a:hover { color: red; }</style><a href="https://x.fr/?a=1;b=2" title="x">' in out
    assert f"Source{NBSP}: INSEE &amp; Etalab&#39;s{NNBSP}; fin" in out


def test_numbers() -> None:
    assert french_number(48193) == f"48{NNBSP}193"
    assert french_number(12.345, 1) == "12,3"
    assert french_number(8.0, 1) == "8"  # whole numbers without decimals
    assert french_number(1615127.4, 1) == f"1{NNBSP}615{NNBSP}127"  # counts
    assert french_number(None) == "—"


def test_dates() -> None:
    from datetime import date

    from observatoire.templatetags.report_format import fr_date

    assert fr_date(date(2025, 3, 1)) == "1er mars 2025"
    assert fr_date(date(2026, 11, 21)) == "21 novembre 2026"
