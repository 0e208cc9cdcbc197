"""A fast tokenizer for the HTML this site writes, read by the rules of ``html.parser.HTMLParser``.

Two steps read finished HTML: the Content-Security-Policy scan (``csp``, every page) and the API's
section splitter (``sections``, every condition's content); the standard library's parser, in pure
Python, made them our largest costs in the build. ``TOKENS`` finds tags with one compiled regular
expression, with each tag's offsets in the text, which ``HTMLParser`` only gives as line and
column; both readers take its matches directly (no callback per tag).

It reads well-formed HTML as Jinja templates, Python-Markdown and nh3 write it: quoted or
unquoted attribute values (a quoted value may hold ``<`` and ``>``), comments, declarations,
and ``<script>``/``<style>`` whose text is raw up to their end tag. It does not repair broken
markup the way a browser would; tests check it against ``HTMLParser`` on every built page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape

# A tag's attributes: quoted values may hold < and >. Runs of plain characters in one step, and
# possessive: each character can belong to one alternative only, so backtracking never finds
# another match, and the engine keeps no entry per character (a quarter of the tokenizer's time).
_ATTRS = r"""(?:[^'">]++|"[^"]*+"|'[^']*+')*+"""
# Every token, by the name of its last group: "end" (an end tag: group "end"), "attrs" (a start
# tag: "start" and "attrs"), "script_text" or "style_text" (the start tag: "<tag>_attrs", and the
# element's raw text up to its end tag, which comes next); none for comments and declarations.
TOKENS = re.compile(
    r"<!--.*?(?:-->|\Z)"  # comment
    r"|<[!?][^>]*>"  # doctype, declaration, processing instruction
    r"|</(?P<end>[a-zA-Z][^\s/>]*)[^>]*>"  # end tag
    # <script> and <style>: their text is not parsed; it runs to their own end tag.
    rf"|<(?P<script>(?i:script))(?=[\s/>])(?P<script_attrs>{_ATTRS})>(?P<script_text>.*?)(?=</(?i:script)(?=[\s/>])|\Z)"
    rf"|<(?P<style>(?i:style))(?=[\s/>])(?P<style_attrs>{_ATTRS})>(?P<style_text>.*?)(?=</(?i:style)(?=[\s/>])|\Z)"
    rf"|<(?P<start>[a-zA-Z][^\s/>]*)(?P<attrs>{_ATTRS})>",  # start tag
    re.DOTALL,
)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]*))?""")


def attributes(text: str) -> list[tuple[str, str | None]]:
    """Names lowercased, values unquoted and unescaped (``None`` for no value), as ``HTMLParser``
    gives them."""
    if not text or text.isspace():
        return []
    attrs: list[tuple[str, str | None]] = []
    for name, equals, value in _ATTRIBUTE.findall(text):
        if not equals:
            attrs.append((name.lower(), None))
            continue
        if value[:1] in ("\"", "'"):
            value = value[1:-1]
        attrs.append((name.lower(), unescape(value) if "&" in value else value))
    return attrs


# -- only <script> and <style> ----------------------------------------------------------------------

# Runs of text and of every other tag (quoted values may hold "<"), matched in one go, so that
# Python sees only the elements it looks for: much faster than a callback per tag. Possessive
# (++): a greedy run would keep a backtracking entry per tag, over 200 MB for a 5 MB page.
_OTHER = (r"(?:[^<]++|<(?![a-zA-Z/!?])|<[!?](?!--)[^>]*+>|</[a-zA-Z][^>]*+>"
          rf"|<(?!(?i:script|style)(?=[\s/>]))[a-zA-Z][^\s/>]*+{_ATTRS}>)++")
_RAW_ELEMENTS = re.compile(
    rf"{_OTHER}|<!--.*?(?:-->|\Z)"
    rf"|<(?P<script>(?i:script))(?=[\s/>])(?P<script_attrs>{_ATTRS})>(?P<script_text>.*?)(?:(?P<script_end></(?i:script)(?=[\s/>]))|\Z)"
    rf"|<(?P<style>(?i:style))(?=[\s/>])(?P<style_attrs>{_ATTRS})>(?P<style_text>.*?)(?:(?P<style_end></(?i:style)(?=[\s/>]))|\Z)",
    re.DOTALL,
)


@dataclass(frozen=True)
class RawTextElement:
    """A ``<script>`` or ``<style>`` element: its attributes as ``HTMLParser`` gives them, its raw
    text, and whether its end tag follows (a browser ignores neither, but runs only a closed
    script)."""

    tag: str
    attrs: list[tuple[str, str | None]]
    text: str
    closed: bool


def raw_text_elements(html: str, start: int = 0) -> Iterator[RawTextElement]:
    """The ``<script>`` and ``<style>`` elements of ``html`` from offset ``start``, in order, read
    by the same rules as ``TOKENS`` without a step for every other tag."""
    for match in _RAW_ELEMENTS.finditer(html, start):
        for tag in ("script", "style"):
            if match.group(tag) is not None:
                yield RawTextElement(tag, attributes(match.group(f"{tag}_attrs")), match.group(f"{tag}_text"),
                                     match.group(f"{tag}_end") is not None)
