"""The allow-list that keeps content from injecting markup or script into any output.

Editors write Markdown, and Markdown lets raw HTML through. What Markdown made of every page built
from content passes this allow-list: only the tags and attributes that Markdown produces survive;
scripts, styles, event handlers, forms, frames, SVG and ``javascript:`` URLs never do. Our own
templates' blocks (autoescaped) join the page after it. Embeds and the JSON API reuse the page's
HTML, cleaned again with the pictures' SVG allowed.
"""

from __future__ import annotations

from typing import Any, Callable

import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "section", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "ul",
}
# The pictures' inline SVG (templates/illustration.html.j2): shapes, text and how they are painted.
# Nothing that links, loads or runs (no <use>, <image>, <foreignObject>, href or style), and no
# attribute that holds a URL; the page's CSP blocks any url() paint from another origin too.
_SVG_PAINT = {"fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "transform"}
_SVG_TEXT = {"x", "y", "dy", "font-size", "font-weight", "text-anchor"}
_SVG = {
    "svg": {"viewBox", "width", "height"},
    "g": _SVG_PAINT | _SVG_TEXT,
    "path": _SVG_PAINT | {"d"},
    "rect": _SVG_PAINT | {"x", "y", "width", "height", "rx"},
    "circle": _SVG_PAINT | {"cx", "cy", "r"},
    "ellipse": _SVG_PAINT | {"cx", "cy", "rx", "ry"},
    "line": _SVG_PAINT | {"x1", "y1", "x2", "y2"},
    "text": _SVG_PAINT | _SVG_TEXT,
    "tspan": _SVG_TEXT,
    "title": set(),
    "desc": set(),
}
_GENERIC_ATTRIBUTES = {"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-hidden",
                       "aria-describedby", "aria-labelledby"}
_ATTRIBUTES = {
    "*": _GENERIC_ATTRIBUTES,
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "time": {"datetime"},
    "ol": {"start"},
    "details": {"open"},
}
# What Markdown made of the editors' text.
_OPTIONS: dict[str, Any] = dict(
    tags=_TAGS,
    clean_content_tags={"script", "style"},
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
    strip_comments=True,
)
_CLEANER = nh3.Cleaner(**_OPTIONS)
# A whole page of ours, cleaned again where embeds and the API reuse it: the editors' text (cleaned
# already) and our templates' blocks, with the pictures and the numbered reference items.
_PAGE_OPTIONS = {**_OPTIONS, "tags": _TAGS | set(_SVG), "attributes": {**_ATTRIBUTES, **_SVG, "li": {"value"}}}


def sanitize_html(html: str) -> str:
    """``html`` with everything outside the allow-list removed."""
    return _CLEANER.clean(html)


def sanitize_relinking(html: str, relink: Callable[[str], str | None] | tuple[str, str]) -> str:
    """A page's HTML (``sanitize_html``'s output and our templates' blocks) cleaned again, with each
    relative ``href``/``src`` rewritten by ``relink`` (nh3's ``url_relative``: a function, or
    ``("rewrite_with_base", base_url)``). For embeds and the API, which reuse a page's HTML at
    another address."""
    return nh3.Cleaner(**_PAGE_OPTIONS, url_relative=relink).clean(html)
