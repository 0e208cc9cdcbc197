"""HTML kept out of Markdown's way: a placeholder goes into a page's Markdown, the HTML comes back
after Markdown has converted the page.

A generated page is Markdown with much HTML in it: the blocks our templates write (symptom list,
clinician callout, comparison table, cards) and the citation markers inside the editor's text.
Python-Markdown passes that HTML through unchanged, but only after parsing all of it, tag by
tag, and scanning every ``[`` of a marker as a possible link: most of the time it took to
convert a condition page, and the largest cost of a build at scale. A short placeholder instead
costs next to nothing, and the HTML that comes back is exactly what Markdown would have passed
through.

A placeholder is one plain word (``ristash1a2b3c4db3z``), which Markdown passes through as
text, untouched. (An HTML comment, as before, cost a raw HTML block of its own: a placeholder
word takes a tenth off converting a condition page.) A block's placeholder stands between blank
lines (the ``stash`` filter puts them), so Markdown makes a paragraph of it, ``<p>`` and the word,
which the block replaces whole, followed by the blank line Markdown writes after a raw HTML block.
The middle part is new in every process, so no word an editor writes can stand for one of ours;
placeholders never reach the output, so builds stay byte-identical. One that were never put back
would show as a stray word: a mistake can lose a block, never inject markup.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Mapping

from markupsafe import Markup

_NONCE = secrets.token_hex(4)
# A block's placeholder in the paragraph Markdown made of it (group 1) and what follows it (a line
# break, or the end), or any placeholder.
_TOKEN_RE = re.compile(rf"<p>(ristash{_NONCE}b\d+z)</p>(\n|\Z)|ristash{_NONCE}[a-z]\d+z")
# An id attribute in the HTML our templates write: always double-quoted, its value escaped.
_ID_RE = re.compile(r'(?<=\s)id="([^"]*)"')


def placeholder(prefix: str, index: int) -> Markup:
    """The placeholder of item ``index`` of a page's step ``prefix`` (one letter)."""
    return Markup(f"ristash{_NONCE}{prefix}{index}z")


class Stash:
    """Collects HTML for one page; each ``put`` gives the placeholder to write instead.

    ``prefix`` (one letter) keeps the placeholders of different steps of one page apart, for
    example ``c`` for citation markers and ``b`` for template blocks.
    """

    def __init__(self, prefix: str) -> None:
        if not re.fullmatch(r"[a-z]", prefix):
            raise ValueError(f"a stash prefix is one lowercase letter, not {prefix!r}")
        self.prefix = prefix
        self.items: dict[str, str] = {}

    def put(self, html: str) -> Markup:
        """The placeholder for ``html`` (already safe markup: it is put back as it is)."""
        token = placeholder(self.prefix, len(self.items))
        self.items[str(token)] = str(html)
        return token


def restore(html: str, items: Mapping[str, str]) -> str:
    """``html`` with each placeholder in ``items`` replaced by its HTML."""
    if not items:
        return html
    return _TOKEN_RE.sub(lambda match: _put_back(match, items), html)


def _put_back(match: re.Match[str], items: Mapping[str, str]) -> str:
    block, after = match.group(1, 2)
    if block is None:
        return items.get(match.group(), match.group())
    if block not in items:
        return match.group()
    # Markdown ends a raw HTML block with a blank line, unless the page ends there.
    return items[block] + ("\n\n" if after else "")


def anchor_ids(items: Mapping[str, str]) -> set[str]:
    """The ids of the elements in the stashed HTML of ``items``: anchors that links may point to.
    Markdown never saw that HTML, so the generator's own scan for anchors (MkDocs reads the raw
    HTML of the Markdown source) cannot find them."""
    return {html.unescape(value) for block in items.values() for value in _ID_RE.findall(block)}
