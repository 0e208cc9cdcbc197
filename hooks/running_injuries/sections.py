"""Split a page's sanitized HTML into its sections, for the content API.

A section starts at a top-level ``<h2>`` and runs to the next one. What comes before the first
``<h2>`` (after the ``<h1>``) is the lead; the review-dates line that closes every condition page
belongs to no section. The HTML is cut at the parser's offsets, never re-serialized, so every
section is exactly the markup the page has.
"""

from __future__ import annotations

from dataclasses import dataclass

from .html_tokens import HTMLTokens

# Elements without an end tag: they never open a level of nesting.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
_REVIEW_DATES_CLASS = "ri-review-dates"
_HEADERLINK_CLASS = "headerlink"


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
    body_start: int = 0  # offset after "</h2>"
    text: str = ""


class _Splitter(HTMLTokens):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.depth = 0
        self.lead_start = 0
        self.end = len(html)  # where the last section ends
        self.headings: list[_Heading] = []
        self.in_heading = False
        self.in_headerlink = 0  # nesting depth inside the heading's permalink
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self.token_start
        classes = (dict(attrs).get("class") or "").split()
        if self.depth == 0:
            if tag == "h2":
                self.headings.append(_Heading(dict(attrs).get("id") or "", start))
                self.in_heading = True
                self.text = []
            elif _REVIEW_DATES_CLASS in classes and self.end == len(self.html):
                self.end = start
        if self.in_heading and (self.in_headerlink or (tag == "a" and _HEADERLINK_CLASS in classes)):
            self.in_headerlink += 1
        if tag not in _VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # self-closing: no nesting, no text

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth = max(0, self.depth - 1)
        if self.in_headerlink:
            self.in_headerlink -= 1
        if self.depth == 0:
            if tag == "h1" and not self.headings:
                self.lead_start = self.token_end
            elif tag == "h2" and self.in_heading:
                heading = self.headings[-1]
                heading.body_start = self.token_end
                heading.text = " ".join("".join(self.text).split())
                self.in_heading = False

    def handle_data(self, data: str) -> None:
        if self.in_heading and not self.in_headerlink:
            self.text.append(data)


def split_sections(html: str) -> SplitPage:
    """The lead and the ``<h2>`` sections of a page's content HTML."""
    parser = _Splitter(html)
    parser.feed(html)
    parser.close()
    headings = [h for h in parser.headings if h.body_start]
    # The review-dates line counts only after the last heading (it closes the page).
    end = parser.end if not headings or parser.end >= headings[-1].body_start else len(html)
    lead_end = headings[0].start if headings else end
    sections = []
    for index, heading in enumerate(headings):
        stop = headings[index + 1].start if index + 1 < len(headings) else end
        sections.append(Section(heading.id, heading.text, html[heading.body_start:stop].strip()))
    return SplitPage(html[parser.lead_start:lead_end].strip(), tuple(sections))
