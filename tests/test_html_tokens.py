"""The fast tokenizer's rules (``TOKENS``, read by the CSP scan and the API's section splitter)
give the same events as the standard library's HTMLParser, on tricky snippets and on every page of
the built site, and the right offsets for each tag."""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from running_injuries.pages.html_tokens import TOKENS, attributes, raw_text_elements


class _Events:
    """Records events; consecutive text is joined (HTMLParser may cut text into pieces)."""

    def _init_events(self) -> None:
        self.events: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(attrs), self._tag_text()))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("startend", tag, tuple(attrs), self._tag_text()))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        if self.events and self.events[-1][0] == "data":
            self.events[-1] = ("data", self.events[-1][1] + data)
        else:
            self.events.append(("data", data))


class Standard(_Events, HTMLParser):
    def __init__(self, html: str) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)
        self._init_events()
        self.html = html
        self.line_starts = [0] + [i + 1 for i, c in enumerate(html) if c == "\n"]

    def _tag_text(self):
        line, column = self.getpos()
        start = self.line_starts[line - 1] + column
        return start, self.get_starttag_text()


class Fast(_Events):
    """HTMLParser's callbacks from the matches of ``TOKENS``, as the site's readers take them."""

    def __init__(self, html: str) -> None:
        self._init_events()
        self.html = html
        self.token_start = self.token_end = 0

    def _tag_text(self):
        return self.token_start, self.html[self.token_start:self.token_end]

    def _data(self, text: str) -> None:
        if text:
            self.handle_data(unescape(text) if "&" in text else text)

    def feed(self, html: str) -> None:
        position = 0
        for match in TOKENS.finditer(html):
            if match.start() > position:
                self._data(html[position:match.start()])
            position = match.end()
            kind = match.lastgroup
            if kind == "attrs":
                self.token_start, self.token_end = match.start(), position
                tag, text = match.group("start").lower(), match.group("attrs")
                (self.handle_startendtag if text.endswith("/") else self.handle_starttag)(tag, attributes(text))
            elif kind == "end":
                self.handle_endtag(match.group("end").lower())
            elif kind in ("script_text", "style_text"):
                tag = kind[:-5]
                self.token_start, self.token_end = match.start(), match.start(kind)
                self.handle_starttag(tag, attributes(match.group(f"{tag}_attrs")))
                if match.group(kind):
                    self.handle_data(match.group(kind))  # raw: no character references
        if position < len(html):
            self._data(html[position:])

    def close(self) -> None:
        pass


def events(parser_class, html: str) -> list[tuple]:
    parser = parser_class(html)
    parser.feed(html)
    parser.close()
    return parser.events


SNIPPETS = [
    "<!doctype html><html lang=en><head><meta charset=\"utf-8\"><title>a &amp; b</title></head></html>",
    '<p class="x" id=\'y\' hidden data-a=1>Text &lt;not a tag&gt; &eacute; &#233;</p>',
    '<a title="1 > 0 and 2 < 3" href="/x?a=1&amp;b=2">link</a>',
    "<script>if (a < b && c > d) { e = '</div>'; } var x = e<<5;</script><p>after</p>",
    '<script type="application/ld+json">{"a": "<b>"}</script>',
    "<style>p > a { color: red }</style>",
    "<!-- a comment with <p> a tag --><p>x</p>",
    '<br/><img src="a.png" alt="" /><hr>',
    "<DIV CLASS=Up>Upper</DIV>",
    "a < b and c <= d but <em>e</em>",
    '<svg viewBox="0 0 24 24"><path d="M1 2z"/></svg>',
    "<p>unclosed <b>bold</p>",
]


@pytest.mark.parametrize("html", SNIPPETS)
def test_same_events_as_the_standard_parser(html: str) -> None:
    assert events(Fast, html) == events(Standard, html)


def test_same_events_on_every_built_page(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert events(Fast, html) == events(Standard, html), path.relative_to(built_site)


# -- raw_text_elements: only <script> and <style>, read by the same rules -------------------------


class _RawElements(HTMLParser):
    """The reference: every script and style element as the standard library's parser reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple] = []
        self.open: list | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.open = [tag, attrs, ""]

    def handle_data(self, data):
        if self.open is not None:
            self.open[2] += data

    def handle_endtag(self, tag):
        if self.open is not None and tag == self.open[0]:
            self.found.append((self.open[0], self.open[1], self.open[2], True))
            self.open = None

    def close(self):
        super().close()
        if self.open is not None:
            self.found.append((self.open[0], self.open[1], self.open[2], False))


def reference_raw_elements(html: str) -> list[tuple]:
    parser = _RawElements()
    parser.feed(html)
    parser.close()
    return parser.found


def fast_raw_elements(html: str) -> list[tuple]:
    # The standard parser keeps the text of an unclosed element to itself; nothing uses that text.
    return [(e.tag, e.attrs, e.text if e.closed else "", e.closed) for e in raw_text_elements(html)]


@pytest.mark.parametrize("html", [
    *SNIPPETS,
    '<a title="<script>no</script>">x</a><script>yes()</script>',
    "<!-- <script>not run</script> --><SCRIPT TYPE=module>run()</SCRIPT>",
    "<scripts>not a script</scripts><script-x>nor this</script-x><style>a{}</style>",
    "<script src=x.js></script><script>unclosed",
])
def test_raw_text_elements_are_those_the_standard_parser_reads(html: str) -> None:
    assert fast_raw_elements(html) == reference_raw_elements(html)


def test_raw_text_elements_on_every_built_page(built_site: Path) -> None:
    for path in sorted(built_site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert fast_raw_elements(html) == reference_raw_elements(html), path.relative_to(built_site)
