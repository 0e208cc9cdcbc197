"""Rewrite the relative links of sanitized HTML, for embeds and the API that reuse a page's HTML
at another address.

The sanitizer can do it (nh3's ``url_relative``), but only by cleaning the whole page again,
twice per condition: the largest cost of the publish step at scale. The HTML here is already
sanitizer output, whose form is fixed: every ``<`` in text is escaped, every attribute is written
``name="value"`` with ``&`` and ``"`` escaped, and only ``<a href>`` and ``<img src>`` carry a URL.
One regular expression finds those values, and only the relative ones are rewritten: an absolute
URL that survived the sanitizer is valid, and nh3 leaves it as it is too.

A relative URL is rewritten here only when it is plain (ASCII URL characters, nothing to
normalise; ``_PLAIN_URL``), as are the links our templates and ordinary Markdown write; if any
relative URL of a page is not, the whole page goes to the sanitizer's own rewriting instead, so
that such URLs are encoded the way browsers (and nh3) encode them. ``tests/test_relink.py``
compares the two ways on sample pages and random URLs.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Callable

from ..pages.sanitize import sanitize_relinking

# The URL attribute of a start tag, attribute by attribute from the tag's name, so a match never
# starts inside a value (``"`` is always escaped there).
_URL_ATTRIBUTE = re.compile(
    r"""<(?:a|img)(?:\s+[^\s"'>/=]+(?:="[^"]*")?)*?\s+(?:href|src)=\"(?P<url>[^"]*)\""""
)
# What a URL may be to be rewritten here: ASCII URL characters without escapes (``%2e`` is a dot
# to browsers); in its path no ``:``, ``;`` or ``'`` and no empty segment (``//host``, ``a//b``); in
# its query no ``'``; no empty query or fragment (``a?``, ``a?#b``, ``#``). Browsers (and nh3) and
# Python's urljoin write those differently. tests/test_relink.py compares the two.
_PLAIN_URL = re.compile(
    r"(?:[A-Za-z0-9\-._~!$&()*+,=@]|/(?!/))*+"  # path
    r"(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@/?]++)?+"  # query
    r"(?:#[A-Za-z0-9\-._~!$&()*+,;=:@/?#']++)?+"  # fragment
)
# The schemes the sanitizer keeps (sanitize._OPTIONS): an absolute URL of another scheme can only
# come from HTML that was not sanitized, and goes to nh3, which removes it.
_SCHEME = re.compile(r"(?i:https?|mailto):")


def _attribute(value: str) -> str:
    """A URL as the sanitizer writes an attribute value."""
    return value.replace("&", "&amp;").replace("\u00a0", "&nbsp;").replace('"', "&quot;")


def canonical(base_url: str) -> bool:
    """Whether browsers (and nh3) write ``base_url`` as it is: a lowercase host, no default port,
    nothing to percent-encode. Only then does joining plain URLs to it give what nh3 gives."""
    joined = sanitize_relinking('<a href="">x</a>', ("rewrite_with_base", base_url))
    match = _URL_ATTRIBUTE.search(joined)
    return match is not None and unescape(match.group("url")) == base_url


def relink(html: str, rewrite: Callable[[str], str], fallback: Callable[[str], str] | tuple[str, str]) -> str:
    """``html`` (sanitizer output) with each relative ``href``/``src`` replaced by ``rewrite(url)``.

    Args:
        html: sanitized HTML.
        rewrite: the new URL for a relative one (no scheme), given and giving plain URLs.
        fallback: the same rewriting as nh3's ``url_relative`` takes it (a function, or
            ``("rewrite_with_base", base_url)``), for a page with a URL that is not plain.
    """
    found = [(match.span("url"), unescape(match.group("url"))) for match in _URL_ATTRIBUTE.finditer(html)]
    if not all(_SCHEME.match(url) or _PLAIN_URL.fullmatch(url) for _, url in found):
        return sanitize_relinking(html, fallback)
    # One pass found every URL: the page is rebuilt from its pieces, relative URLs rewritten.
    pieces, done = [], 0
    for (start, end), url in found:
        if not _SCHEME.match(url):
            pieces += [html[done:start], _attribute(rewrite(url))]
            done = end
    pieces.append(html[done:])
    return "".join(pieces)
