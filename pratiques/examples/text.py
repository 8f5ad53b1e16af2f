"""An example's body: a small text format turned into HTML, then sanitised with nh3.

Authors write plain text: paragraphs separated by a blank line, lines starting with « - » become a
list, **gras** and *italique*, and bare addresses become links. Everything they type is escaped
first, so a ``<script>`` written in a body is shown as text; nh3 then keeps only the tags below
(a second guard, also for HTML that reached the database another way).
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?!\*)")
_URL = re.compile(r"\bhttps?://[^\s<>&\"']+[^\s<>&\"'.,;:!?)]")


def _inline(text: str) -> str:
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _ITALIC.sub(r"<em>\1</em>", text)
    return _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', text)


def body_html(source: str) -> str:
    """The safe HTML of a body written in the small text format."""
    blocks = re.split(r"\n\s*\n", html.escape(source.replace("\r\n", "\n")).strip())
    parts: list[str] = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:].strip())}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return clean("".join(parts))


def clean(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
    )
