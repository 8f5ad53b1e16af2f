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


# Longer queries are checked against ``search_name`` on the rows the prefix index found.
PREFIX_MAX_LENGTH = 24


def search_prefixes(name: str, code: str = "", postal_codes: str = "") -> list[str]:
    """The keys a type-ahead can start with: every prefix of every word-suffix of the normalised
    name (« st etienne » → « s », « st », « st e »… « e », « et »…), and of each code.

    >>> "etie" in search_prefixes("Saint-Étienne") and "st e" in search_prefixes("Saint-Étienne")
    True
    """
    keys: set[str] = set()
    words = normalize(name)
    starts = [0] + [i + 1 for i, ch in enumerate(words) if ch == " "]
    for start in starts:
        tail = words[start : start + PREFIX_MAX_LENGTH]
        keys.update(tail[:n] for n in range(1, len(tail) + 1))
    for token in [code, *postal_codes.split()]:
        token = token.lower()
        keys.update(token[:n] for n in range(1, len(token) + 1))
    return sorted(key for key in keys if key and not key.endswith(" "))
