"""French typography for printed text: non-breaking spaces and number formatting."""

from __future__ import annotations

import re
from datetime import date, datetime

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: before ; ? ! and as thousands separator

_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]*:(?=\s|$)")
_BEFORE_HIGH = re.compile(r"(?<=\S)[ \u00a0\u202f]*([;?!])")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]*»")
_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
_FIRST_OF_MONTH = re.compile(rf"(?<![\d,.])1[ \u00a0]({_MONTHS})\b")
# Text between tags, outside <style>, <script> and what a person typed (<textarea>, <pre>, <code>).
_TEXT = re.compile(
    r"(<style.*?</style>|<script.*?</script>|<textarea.*?</textarea>|<pre.*?</pre>"
    r"|<code.*?</code>|<[^>]+>)|([^<]+)",
    re.S,
)
# One callback per run of tags and text nodes that ``french_text`` would leave as they are (no
# « : ; ? ! « » » and no « 1 » before a space), instead of one per tag and per node: a page of a
# few hundred table rows has tens of thousands of them. Protected blocks are matched first, as
# in ``_TEXT``; a text node with one of these characters is processed whole, as in ``_TEXT``.
_PROTECTED = (
    r"<style.*?</style>|<script.*?</script>|<textarea.*?</textarea>|<pre.*?</pre>|<code.*?</code>"
)
_AS_IS = (  # possessive: a node that turns out to need fixing is not split by backtracking
    r"(?:<(?!style|script|textarea|pre|code)[^>]++>"
    r"|(?:[^<:;?!«»1]++|1(?![ \u00a0]))++(?=<|\Z))++"
)
_TEXT_RUNS = re.compile(rf"({_PROTECTED}|{_AS_IS}|<[^>]+>)|([^<]+)", re.S)


def french_text(text: str) -> str:
    """« Bonjour: oui ? » → «␣Bonjour␣: oui␣? » with non-breaking spaces where French puts them;
    « 1 mars » → « 1er mars »."""
    text = _FIRST_OF_MONTH.sub("1er" + NBSP + r"\1", text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _BEFORE_HIGH.sub(lambda m: NNBSP + m.group(1), text)
    text = _OPEN_QUOTE.sub("«" + NBSP, text)
    return _CLOSE_QUOTE.sub(NBSP + "»", text)


def french_html(html: str) -> str:
    """Apply ``french_text`` to the text nodes of an HTML document, never to tags or CSS."""

    def fix(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(1)
        text = match.group(2)
        # Entities such as &amp; or &#39; end with ';' and must stay intact.
        parts = re.split(r"(&#?\w+;)", text)
        return "".join(
            p if p.startswith("&") and p.endswith(";") else french_text(p) for p in parts
        )

    return _TEXT_RUNS.sub(fix, html)


def french_number(value: float | int | None, decimals: int = 0, missing: str = "—") -> str:
    """48193 → « 48 193 », 12.5 → « 12,5 » (narrow no-break space, decimal comma).

    Whole numbers and values of 1 000 or more are shown without decimals (counts)."""
    if value is None:
        return missing
    if decimals and (float(value).is_integer() or abs(value) >= 1000):
        decimals = 0
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NNBSP).replace(".", ",")


MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_date(value: date | datetime | None) -> str:
    """« 1er décembre 2026 », « 21 novembre 2026 » (no locale needed, never an ISO date)."""
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def french_week(monday: date | datetime) -> str:
    """« semaine du 2 novembre 2026 »."""
    return f"semaine du {french_date(monday)}"


def french_count(count: int, singular: str, plural: str | None = None) -> str:
    """« 1 valeur », « 1 204 valeurs »: the glossary's plurals, never « valeur(s) »."""
    word = singular if abs(count) < 2 else (plural or singular + "s")
    return f"{french_number(count)} {word}"


def french_seconds(seconds: float) -> str:
    """« 1,5 s », « 0,25 s »: a timing with a decimal comma."""
    decimals = 2 if seconds < 10 else 1
    return f"{seconds:.{decimals}f}".replace(".", ",") + NBSP + "s"
