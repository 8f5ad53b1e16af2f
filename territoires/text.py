"""Text normalisation for search: done in Python because the embedded PostgreSQL has no unaccent."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# « Saint », « Sainte », « St », « Ste » are written every way; one token for each.
_SAINT = re.compile(r"\b(saint|st)\b")
_SAINTE = re.compile(r"\b(sainte|ste)\b")


def normalize(text: str) -> str:
    """Lower-case, strip accents, fold hyphens/apostrophes to spaces, unify Saint/St.

    >>> normalize("Saint-Étienne") == normalize("st etienne") == "st etienne"
    True
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = ascii_text.replace("œ", "oe").replace("æ", "ae")
    words = _NON_ALNUM.sub(" ", ascii_text).strip()
    words = _SAINTE.sub("ste", words)
    return _SAINT.sub("st", words)
