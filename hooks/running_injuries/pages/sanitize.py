"""The allow-list that keeps content from injecting markup or script into any output.

Editors write Markdown, and Markdown lets raw HTML through. Every page built from content is
passed through this allow-list after rendering: only the tags and attributes that Markdown and our
own templates produce survive; scripts, styles, event handlers, forms, frames and
``javascript:`` URLs never do. Embeds and the JSON API reuse the sanitized HTML, so they are safe too.
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
_TAGS |= set(_SVG)
_GENERIC_ATTRIBUTES = {"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-hidden",
                       "aria-describedby", "aria-labelledby"}
# The comparison's hooks for compare.js (inert data naming a topic, condition, symptom or
# frequency, and a scrollable region that the keyboard can reach); they carry no URL, style or script.
_ATTRIBUTES = {
    "*": _GENERIC_ATTRIBUTES,
    "a": {"href"},
    "div": {"tabindex", "data-ri-compare", "data-topic"},
    "img": {"src", "alt", "width", "height", "loading"},
    "li": {"value", "data-condition", "data-symptom", "data-frequency"},
    "tr": {"data-condition", "data-symptom"},
    "th": {"scope", "colspan", "rowspan", "data-symptom", "data-condition"},
    "td": {"colspan", "rowspan", "data-symptom", "data-frequency", "data-condition"},
    "time": {"datetime"},
    "ol": {"start"},
    "details": {"open"},
    **_SVG,
}

_OPTIONS: dict[str, Any] = dict(
    tags=_TAGS,
    clean_content_tags={"script", "style"},
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
    strip_comments=True,
)
_CLEANER = nh3.Cleaner(**_OPTIONS)


def sanitize_html(html: str) -> str:
    """``html`` with everything outside the allow-list removed."""
    return _CLEANER.clean(html)


def sanitize_relinking(html: str, relink: Callable[[str], str | None] | tuple[str, str]) -> str:
    """``sanitize_html``, with each relative ``href``/``src`` rewritten by ``relink`` (nh3's
    ``url_relative``: a function, or ``("rewrite_with_base", base_url)``). For embeds and the API,
    which reuse a page's HTML at another address."""
    return nh3.Cleaner(**_OPTIONS, url_relative=relink).clean(html)
