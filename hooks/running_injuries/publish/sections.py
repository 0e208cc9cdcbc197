"""Split a page's sanitized HTML into its sections, for the content API.

A section starts at a top-level ``<h2>`` and runs to the next one. What comes before the first
``<h2>`` (after the ``<h1>``) is the lead; the review-dates line that closes every condition page
belongs to no section. The HTML is cut at the tags' offsets, never re-serialized, so every
section is exactly the markup the page has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from ..pages.html_tokens import TOKENS, attributes

# Elements without an end tag: they never open a level of nesting.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
_REVIEW_DATES_CLASS = "ri-review-dates"
# A heading's permalink sign, as Markdown's toc extension writes it.
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)


@dataclass(frozen=True)
class Section:
    id: str  # the heading's anchor on the page ("" if it has none)
    heading: str  # the heading as plain text, without its permalink sign
    html: str  # the markup after the heading, up to the next section


@dataclass(frozen=True)
class SplitPage:
    lead: str
    sections: tuple[Section, ...]


@dataclass
class _Heading:
    id: str
    start: int  # offset of "<h2"
    text_start: int  # offset after "<h2 ...>"
    text_end: int = 0  # offset of "</h2>"
    body_start: int = 0  # offset after "</h2>"


def split_sections(html: str) -> SplitPage:
    """The lead and the ``<h2>`` sections of a page's content HTML.

    The tokenizer's matches are read here directly: the build splits every condition page, so a
    tag costs one match and a few comparisons, with no callback and no attribute read.
    """
    depth = 0
    lead_start = 0
    end = len(html)  # where the last section ends: the review-dates line, if it closes the page
    headings: list[_Heading] = []
    open_heading: _Heading | None = None  # the top-level <h2> whose end tag is still to come
    for match in TOKENS.finditer(html):
        kind = match.lastgroup
        if kind == "end":
            closing = match.group("end").lower()
            if closing in _VOID:
                continue
            depth = depth - 1 if depth else 0
            if depth == 0:
                if closing == "h1" and not headings:
                    lead_start = match.end()
                elif closing == "h2" and open_heading is not None:
                    open_heading.text_end, open_heading.body_start = match.start(), match.end()
                    open_heading = None
        elif kind in ("attrs", "script_text", "style_text"):
            if kind == "attrs":
                name, attrs = match.group("start").lower(), match.group("attrs")
                if attrs.endswith("/"):
                    continue  # self-closing: no nesting
            else:  # <script> or <style>: its end tag comes next
                name = kind[:-5]
                attrs = match.group(f"{name}_attrs")
            if depth == 0:
                if name == "h2":
                    heading_id = dict(attributes(attrs)).get("id") or ""
                    open_heading = _Heading(heading_id, match.start(), match.end())
                    headings.append(open_heading)
                elif (_REVIEW_DATES_CLASS in attrs and end == len(html)
                      and _REVIEW_DATES_CLASS in _classes(attributes(attrs))):
                    end = match.start()
            if name not in _VOID:
                depth += 1
    headings = [h for h in headings if h.body_start]
    # The review-dates line counts only after the last heading (it closes the page).
    if headings and end < headings[-1].body_start:
        end = len(html)
    lead_end = headings[0].start if headings else end
    sections = []
    for index, heading in enumerate(headings):
        stop = headings[index + 1].start if index + 1 < len(headings) else end
        sections.append(Section(heading.id, _heading_text(html[heading.text_start:heading.text_end]),
                                html[heading.body_start:stop].strip()))
    return SplitPage(html[lead_start:lead_end].strip(), tuple(sections))


def _classes(attrs: list[tuple[str, str | None]]) -> list[str]:
    return (dict(attrs).get("class") or "").split()


def _heading_text(inner_html: str) -> str:
    """A heading's text, without its permalink sign (the ``headerlink`` anchor Markdown's toc
    extension writes last): the sanitized markup has no ``<`` outside its tags."""
    text = TOKENS.sub("", _HEADERLINK.sub("", inner_html))
    return " ".join((unescape(text) if "&" in text else text).split())
