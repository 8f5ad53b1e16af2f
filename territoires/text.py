"""Text normalisation for search: done in Python because the embedded PostgreSQL has no unaccent."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# « Saint », « Sainte », « St », « Ste » are written every way; one token for each.
_SAINT = re.compile(r"\b(saint|st)\b")
_SAINTE = re.compile(r"\b(sainte|ste)\b")
# « 1er », « 1re », « 13e », « 13ème », « 2nd » → the bare number (« Marseille 13e », « lyon 1er »).
_ORDINAL = re.compile(r"\b(\d+)(?:er|re|ere|eme|e|nd|nde)\b")
# Elided words (« L'Haÿ », « d'Olonne »): also indexed glued to the next word (« lhay »).
ELIDED = frozenset({"l", "d", "j", "m", "n", "s", "c", "qu"})


def normalize(text: str) -> str:
    """Lower-case, strip accents, fold hyphens/apostrophes to spaces, unify Saint/St, ordinals.

    >>> normalize("Saint-Étienne") == normalize("st etienne") == "st etienne"
    True
    >>> normalize("Marseille 13e Arrondissement")
    'marseille 13 arrondissement'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = ascii_text.replace("œ", "oe").replace("æ", "ae")
    words = _NON_ALNUM.sub(" ", ascii_text).strip()
    words = _SAINTE.sub("ste", words)
    words = _ORDINAL.sub(r"\1", words)
    return _SAINT.sub("st", words)


def glued(words: str) -> str:
    """« l hay les roses » → « lhay les roses »: an elided word joined to the next one.

    >>> glued("les sables d olonne")
    'les sables dolonne'
    """
    tokens = words.split()
    out: list[str] = []
    index = 0
    while index < len(tokens):
        if tokens[index] in ELIDED and index + 1 < len(tokens):
            out.append(tokens[index] + tokens[index + 1])
            index += 2
        else:
            out.append(tokens[index])
            index += 1
    return " ".join(out)


def search_words(name: str) -> str:
    """The name's words for ranking, padded for ``LIKE '% word %'``: the normalised name, then
    « | » and its glued form (« l hay les roses | lhay les roses »), so that the glued form can
    be matched exactly (``LIKE '% | lhay les roses '``) without a regular expression in SQL.

    >>> search_words("L'Haÿ-les-Roses")
    ' l hay les roses | lhay les roses '
    """
    words = normalize(name)
    return f" {words} | {glued(words)} "


# A token is indexed by its first 24 characters; longer ones are checked on the rows found.
PREFIX_MAX_LENGTH = 24


def _word_prefixes(words: Iterable[str], keys: set[str]) -> None:
    for word in words:
        word = word[:PREFIX_MAX_LENGTH]
        keys.update(word[:n] for n in range(1, len(word) + 1))


def name_words(name: str) -> set[str]:
    """The words a query token may match: the normalised name, with and without gluing."""
    words = normalize(name)
    return set(words.split()) | set(glued(words).split())


def search_prefixes(
    name: str,
    code: str = "",
    postal_codes: str = "",
    *,
    context: Iterable[str] = (),
    former_names: Iterable[str] = (),
    former_codes: Iterable[str] = (),
) -> list[str]:
    """The keys a query token can be: every prefix of every word of the name (and of its glued
    form), of each code (official, postal, former) and of former names; the words of the context
    (département code and name, type of an EPCI) whole.

    A query matches when every one of its tokens is a key (``search_prefixes @> tokens``, GIN),
    whatever their order: « etie », « st », « lyon 1 », « marseille 13 », « lhay ».

    >>> keys = search_prefixes("L'Haÿ-les-Roses", "94038", "94240", context=["94"])
    >>> all(k in keys for k in ["lhay", "hay", "roses", "9403", "9424", "94"])
    True
    """
    keys: set[str] = set()
    _word_prefixes(name_words(name), keys)
    for token in [code, *postal_codes.split(), *former_codes]:
        _word_prefixes([token.lower()], keys)
    # The context (département, type of EPCI) only as whole words: its prefixes would bring
    # every commune of the Marne into « mar ».
    for text in context:
        keys.update(word[:PREFIX_MAX_LENGTH] for word in name_words(text))
    for text in former_names:
        _word_prefixes(name_words(text), keys)
    return sorted(key for key in keys if key)


def query_tokens(query: str) -> list[str]:
    """The tokens of a query, each cut to the indexed length, without repeats."""
    return list(dict.fromkeys(normalize(query).split()))
