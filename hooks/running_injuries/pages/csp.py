"""Content-Security-Policy for a built page, as a ``<meta>`` element in its ``<head>``.

The policy allows only this origin, and runs the page's own inline scripts (Material's few
bootstrap lines) by their SHA-256 hash, so scripts never need ``'unsafe-inline'``. Data blocks
(``application/json``, ``application/ld+json``) are not scripts that run, and CSP does not apply to
them. Hosts that can set HTTP headers should send the same policy, plus ``frame-ancestors``, which a
``<meta>`` policy cannot carry (see the README, "Hosting and security headers").
"""

from __future__ import annotations

import base64
import hashlib

from markupsafe import Markup

from .html_tokens import TOKENS, attributes, raw_text_elements
from .render import template

# Types under which a browser runs an inline <script>; anything else is a data block.
_SCRIPT_TYPES = frozenset({
    "", "module", "text/javascript", "application/javascript", "application/ecmascript",
    "application/x-ecmascript", "application/x-javascript", "text/ecmascript", "text/jscript",
    "text/livescript", "text/x-ecmascript", "text/x-javascript", "javascript",
})

# -- the policy -----------------------------------------------------------------------------------

# style-src needs no 'unsafe-inline': Material (9.7) and our scripts set styles only through the
# CSSOM (element.style.top = ...), which CSP does not restrict, and the pages have no style
# attribute or <style> element (tests/test_privacy.py checks both, and that no page reports a
# violation in Chromium, with search, tooltips and the filter in use).
_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),  # plus the hashes of the page's inline scripts
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),  # Material's icons are data: SVGs in its stylesheet
    ("font-src", "'self'"),
    ("connect-src", "'self'"),  # the search index
    ("worker-src", "'self'"),  # Material's search runs in a worker loaded from this origin
    ("frame-src", "'self'"),  # live examples of our own embeds
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'none'"),  # no form on the site submits anywhere
)


def script_hash(source: str) -> str:
    """The CSP source expression for one inline script's text, as the browser hashes it."""
    # The HTML parser turns CRLF and CR into LF before the script text exists.
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(html: str) -> str:
    """The Content-Security-Policy for the page ``html``: this origin only, its inline scripts by hash."""
    return _policy(_Scan.of(html))


def _policy(scan: _Scan) -> str:
    hashes = sorted({script_hash(text) for text in scan.inline_scripts})
    parts = []
    for name, value in _DIRECTIVES:
        if name == "script-src" and hashes:
            value = " ".join([value, *hashes])
        parts.append(f"{name} {value}")
    return "; ".join(parts)


def with_csp_meta(html: str) -> str:
    """``html`` with its Content-Security-Policy ``<meta>`` as the first element of ``<head>``.

    The one exception is ``<meta charset>``, which stays first (browsers look for it in the first
    1,024 bytes); the policy follows it, before any script or stylesheet. A page without ``<head>``
    or that already has a policy is returned unchanged.
    """
    scan = _Scan.of(html)
    if scan.insert_at is None or scan.has_policy:
        return html
    meta = Markup(template("csp_meta.html.j2").render(policy=_policy(scan))).strip()  # one scan a page
    return f"{html[:scan.insert_at]}\n  {meta}{html[scan.insert_at:]}"


# -- reading the page -----------------------------------------------------------------------------

class _Scan:
    """One pass over a page: its inline scripts, and where the policy goes.

    Token by token up to the end of ``<head>``, reading the tokenizer's matches directly (as
    ``sections.split_sections`` does: a build-time hot spot, so no callback per tag, and only a
    ``<meta>``'s or a ``<script>``'s attributes are read); after it only the scripts matter, and
    ``raw_text_elements`` finds them by the same rules without a step for every other tag (the body
    holds most of a page's tags). ``TOKENS``' rules throughout: tests compare the result with
    ``html.parser`` on every built page.
    """

    def __init__(self) -> None:
        self.inline_scripts: list[str] = []
        self.insert_at: int | None = None
        self.has_policy = False

    @classmethod
    def of(cls, html: str) -> _Scan:
        scan = cls()
        in_head = False
        head_children = 0
        script: str | None = None  # the text of a script that runs, until its end tag
        for match in TOKENS.finditer(html):
            kind = match.lastgroup
            if kind == "end":
                tag = match.group("end").lower()
                if tag == "head":
                    in_head = False
                    if scan.insert_at is not None:  # the head we write into is read: now the scripts
                        scan._scripts_from(html, match.end())
                        return scan
                elif tag == "script" and script is not None:
                    scan.inline_scripts.append(script)
                    script = None
                continue
            if kind == "attrs":
                tag, attrs = match.group("start").lower(), match.group("attrs")
            elif kind in ("script_text", "style_text"):
                tag = kind[:-5]
                attrs = match.group(f"{tag}_attrs")
            else:
                continue  # comments and declarations
            if tag == "head" and scan.insert_at is None:
                in_head = True
                scan.insert_at = match.end()
            elif in_head:
                head_children += 1
                if tag == "meta":
                    values = {name: (value or "") for name, value in attributes(attrs)}
                    if "charset" in values and head_children == 1:
                        scan.insert_at = match.end()
                    if values.get("http-equiv", "").lower() == "content-security-policy":
                        scan.has_policy = True
            if tag == "script" and _runs(dict(attributes(attrs))):
                script = match.group("script_text")
        return scan

    def _scripts_from(self, html: str, start: int) -> None:
        for element in raw_text_elements(html, start):
            if element.tag == "script" and element.closed and _runs(dict(element.attrs)):
                self.inline_scripts.append(element.text)


def _runs(attrs: dict[str, str | None]) -> bool:
    """Whether a ``<script>`` with these attributes is inline code the browser runs."""
    return "src" not in attrs and (attrs.get("type") or "").strip().lower() in _SCRIPT_TYPES
