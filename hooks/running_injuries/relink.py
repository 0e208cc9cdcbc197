"""Rewrite the relative links of sanitized HTML, for embeds and the API that reuse a page's HTML
at another address.

The sanitizer can do it (nh3's ``url_relative``), but only by cleaning the whole page again,
twice per condition: the largest cost of the publish step at scale. The HTML here is already
sanitizer output, whose form is fixed: every ``<`` in text is escaped, every attribute is written
``name="value"`` with ``&`` and ``"`` escaped, and only ``<a href>`` and ``<img src>`` carry a URL.
One regular expression finds those values, and only they are rewritten.

A URL is rewritten here only when it is plain ASCII without spaces or escapes to normalise (all
the links our templates and ordinary Markdown write); if any URL of a page is not, the whole page
goes to the sanitizer's own rewriting instead, so that such URLs are encoded the way browsers
(and nh3) encode them. Either way the result is the same HTML.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Callable

from .sanitize import sanitize_relinking

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
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def _attribute(value: str) -> str:
    """A URL as the sanitizer writes an attribute value."""
    return value.replace("&", "&amp;").replace("\u00a0", "&nbsp;").replace('"', "&quot;")


def relink(html: str, rewrite: Callable[[str], str], fallback: Callable[[str], str] | tuple[str, str]) -> str:
    """``html`` (sanitizer output) with each relative ``href``/``src`` replaced by ``rewrite(url)``.

    Args:
        html: sanitized HTML.
        rewrite: the new URL for a relative one (no scheme), given and giving plain URLs.
        fallback: the same rewriting as nh3's ``url_relative`` takes it (a function, or
            ``("rewrite_with_base", base_url)``), for a page with a URL that is not plain.
    """
    urls = [unescape(match.group("url")) for match in _URL_ATTRIBUTE.finditer(html)]
    if not all(_PLAIN_URL.fullmatch(url) for url in urls):
        return sanitize_relinking(html, fallback)

    def replace(match: re.Match[str]) -> str:
        url = unescape(match.group("url"))
        if _SCHEME.match(url):
            return match.group()
        start, end = match.span("url")
        tag = match.group()
        return tag[:start - match.start()] + _attribute(rewrite(url)) + tag[end - match.start():]

    return _URL_ATTRIBUTE.sub(replace, html)
