"""Word-level differences between two texts, as escaped HTML with <del>/<ins>."""

from __future__ import annotations

import difflib
import re
from typing import Literal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words, runs of spaces, and each punctuation mark on its own: « (De » vs « (de » differs by one word.
TOKEN = re.compile(r"\w+|\s+|[^\w\s]")

Op = Literal["equal", "delete", "insert"]


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text or "")


def word_diff_parts(before: str, after: str) -> list[tuple[Op, str]]:
    """The two texts as a list of (operation, text) runs; equal runs are merged."""
    old, new = tokenize(before), tokenize(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    parts: list[tuple[Op, str]] = []

    def add(op: Op, text: str) -> None:
        if not text:
            return
        if parts and parts[-1][0] == op:
            parts[-1] = (op, parts[-1][1] + text)
        else:
            parts.append((op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(old[i1:i2]))
        else:
            # A replacement reads best as everything removed, then everything added.
            add("delete", "".join(old[i1:i2]))
            add("insert", "".join(new[j1:j2]))
    return parts


def word_diff(before: str, after: str) -> SafeString:
    """HTML of ``after`` against ``before``: removed words in <del>, added words in <ins>."""
    html: list[str] = []
    for op, text in word_diff_parts(before, after):
        if op == "equal":
            html.append(escape(text))
        elif op == "delete":
            html.append(f"<del>{escape(text)}</del>")
        else:
            html.append(f"<ins>{escape(text)}</ins>")
    # Every piece is escaped above.
    return mark_safe("".join(html))


def word_diff_sides(before: str, after: str) -> SafeString:
    """Like ``word_diff``, but a text changed in several places reads as two lines: the old one
    with its removed words, then the new one with its added words (never interleaved)."""
    parts = word_diff_parts(before, after)
    # One replaced spot reads well inline; several interleave old and new words.
    if sum(1 for op, _ in parts if op == "delete") < 2:
        return word_diff(before, after)
    old = "".join(
        escape(text) if op == "equal" else f"<del>{escape(text)}</del>"
        for op, text in parts
        if op != "insert"
    )
    new = "".join(
        escape(text) if op == "equal" else f"<ins>{escape(text)}</ins>"
        for op, text in parts
        if op != "delete"
    )
    # Every piece is escaped above.
    return mark_safe(
        f'<span class="diff-side"><span class="diff-tag">avant</span> {old}</span>'
        f'<span class="diff-side"><span class="diff-tag">après</span> {new}</span>'
    )
