"""Privacy and Content-Security-Policy: no page asks another origin for anything, every page carries
a policy that allows only its own scripts, and the pages work under it in real Chromium."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import soup
from running_injuries.pages import csp
from running_injuries.pages.csp import policy, script_hash, with_csp_meta
from site_pages import page_kinds

CSP_META = 'meta[http-equiv="Content-Security-Policy"]'


def directives(csp: str) -> dict[str, list[str]]:
    parsed = {}
    for part in csp.split(";"):
        name, *values = part.split()
        assert name not in parsed, f"directive {name} given twice in {csp!r}"
        parsed[name] = values
    return parsed


def browser_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


# -- the policy, on small pages ---------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>t</title>
<script>var a = "é";</script>
<script type="application/ld+json">{"@type": "Thing"}</script>
<script id="__config" type="application/json">{"a": 1}</script>
<script src="x.js"></script>
<script type="module">import "./y.js";</script>
</head><body><script>
  b();
</script><script type="text/template"><p>not run</p></script></body></html>
"""


def test_policy_hashes_exactly_the_inline_scripts_that_run():
    csp = directives(policy(PAGE))
    hashes = [v for v in csp["script-src"] if v.startswith("'sha256-")]
    expected = {browser_hash('var a = "é";'), browser_hash('import "./y.js";'), browser_hash("\n  b();\n")}
    assert set(hashes) == expected
    assert hashes == sorted(hashes), "hashes in a stable order, so builds are reproducible"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]


class _ScriptsByHTMLParser(HTMLParser):
    """The inline scripts that run, as the standard library's parser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN201
        values = dict(attrs)
        if tag == "script" and "src" not in values and (values.get("type") or "").strip().lower() in (
                "", "module", "text/javascript"):
            self._text = []

    def handle_data(self, data):  # noqa: ANN001, ANN201
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):  # noqa: ANN001, ANN201
        if tag == "script" and self._text is not None:
            self.scripts.append("".join(self._text))
            self._text = None


@pytest.mark.parametrize("page", [
    PAGE,
    PAGE.upper().replace("<!DOCTYPE", "<!doctype"),
    "<html><head><meta charset=utf-8><!-- <script>no()</script> --><script>a()</script>"
    "<meta title='<script>no()</script>' name=x></head><body><p title=\"<script>no()</script>\">"
    "<script >b()</script><SCRIPT\tTYPE=text/javascript>c()</SCRIPT ></p></body></html>",
    "<html><head><script>a()</script><style>p{}</style><script type=module>m()</script></head>"
    "<body><script>unclosed()",
    "<p>no head</p><script>a()</script><head><script>b()</script></head><script>c()</script>",
    "<html><head><script>a()</script></head></head><body><script>b()</script></body>",
])
def test_the_scan_finds_the_scripts_that_html_parser_finds(page):
    reference = _ScriptsByHTMLParser()
    reference.feed(page)
    reference.close()
    found = csp._Scan.of(page).inline_scripts
    assert found == reference.scripts


def test_policy_allows_only_this_origin():
    csp = directives(policy(PAGE))
    assert csp["default-src"] == ["'self'"]
    for name, values in csp.items():
        for value in values:
            assert value in ("'self'", "'none'", "data:") or value.startswith("'sha256-"), (name, value)
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    # frame-ancestors is ignored (with a console error) when a policy comes in <meta>
    assert "frame-ancestors" not in csp


def test_script_hash_matches_the_text_the_browser_sees():
    # The HTML parser turns CRLF into LF before the script exists.
    assert script_hash("a();\r\nb();\r") == browser_hash("a();\nb();\n")


def test_meta_goes_first_in_head_after_the_charset():
    out = with_csp_meta(PAGE)
    head = BeautifulSoup(out, "lxml").head
    first, second = head.find_all(True)[:2]
    assert first.name == "meta" and first.get("charset") == "utf-8"
    assert second.name == "meta" and second["http-equiv"] == "Content-Security-Policy"
    assert second["content"] == policy(PAGE)
    assert out.replace(out[out.index("\n  <meta http-equiv"):out.index("<title>") - 1], "", 1) == PAGE
    assert with_csp_meta(out) == out, "a page that has a policy keeps it"


def test_meta_is_first_when_there_is_no_charset():
    page = "<html><head><title>x</title></head><body></body></html>"
    head = BeautifulSoup(with_csp_meta(page), "lxml").head
    assert head.find(True).get("http-equiv") == "Content-Security-Policy"
    assert with_csp_meta("<p>no head</p>") == "<p>no head</p>"


# -- the built site -------------------------------------------------------------------------------

def built_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_built_page_has_a_policy_that_matches_its_scripts(built_site: Path):
    pages = built_pages(built_site)
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        tree = BeautifulSoup(html, "lxml")
        metas = tree.select(CSP_META)
        where = path.relative_to(built_site)
        assert len(metas) == 1, f"{where}: {len(metas)} Content-Security-Policy meta elements"
        head_elements = tree.head.find_all(True)
        assert metas[0] in head_elements[:2], f"{where}: the policy must come before any script or style"
        csp = directives(metas[0]["content"])
        assert "'unsafe-inline'" not in csp.get("script-src", []), where
        assert "'unsafe-eval'" not in csp.get("script-src", []), where
        for values in csp.values():
            for value in values:
                assert not re.match(r"(https?:|\*|//)", value), f"{where}: policy allows another origin: {value}"
        if where.parts[0] == "embed":
            continue  # the embeds' own, stricter policy comes from the publish step
        assert csp == directives(policy(html)), f"{where}: policy does not match the page's inline scripts"
        inline = [s for s in tree.find_all("script") if not s.get("src")
                  and s.get("type", "") not in ("application/json", "application/ld+json")]
        allowed = set(csp["script-src"])
        for script in inline:
            assert browser_hash(script.string or "") in allowed, f"{where}: inline script not allowed by hash"


def test_no_page_has_inline_styles_or_event_handlers(built_site: Path):
    """The policy has no 'unsafe-inline' for styles or scripts, so neither may appear."""
    for path in built_pages(built_site):
        tree = soup(path)
        where = path.relative_to(built_site)
        assert not tree.find("style"), f"{where}: a <style> element"
        for element in tree.find_all(True):
            for name, value in element.attrs.items():
                assert name != "style", f"{where}: style attribute on <{element.name}>"
                assert not name.startswith("on"), f"{where}: inline event handler {name} on <{element.name}>"
                if name in ("href", "src", "action"):
                    assert not str(value).strip().lower().startswith("javascript:"), f"{where}: javascript: URL"


def test_no_analytics_and_no_other_origin_in_markup(built_site: Path):
    """Nothing the browser loads by itself (scripts, styles, images, frames, icons) names another
    origin; links a reader chooses to follow (DOI, PubMed, the repository) may."""
    loads = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src"}
    for path in built_pages(built_site):
        tree = soup(path)
        where = path.relative_to(built_site)
        for tag, attribute in loads.items():
            for element in tree.find_all(tag, attrs={attribute: True}):
                assert not urlsplit(element[attribute]).netloc, f"{where}: <{tag}> from {element[attribute]}"
        for link in tree.find_all("link", rel=True):
            rels = set(link["rel"])
            if rels & {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest"}:
                assert not urlsplit(link["href"]).netloc, f"{where}: {rels} from {link['href']}"
        text = str(tree).lower()
        for name in ("google-analytics", "googletagmanager", "gtag(", "plausible", "matomo", "_paq", "umami"):
            assert name not in text, f"{where}: analytics ({name})"


# -- in Chromium ----------------------------------------------------------------------------------

# Runs before any page script: report every policy violation on the console, where tests read it.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Recorder:
    """Every request and every console error or warning of a page, with the page it happened on."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.foreign: list[str] = []
        self.console: list[str] = []
        self.requests = 0
        self.where = ""

    def attach(self, page) -> None:
        page.on("request", self.on_request)
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.console.append(f"{self.where}: page error: {error}"))

    def on_request(self, request) -> None:
        self.requests += 1
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(f"{self.where}: {request.resource_type} {url}")

    def on_console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.console.append(f"{self.where}: {message.type}: {message.text}")


@pytest.fixture
def recorded(browser, site_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(REPORT_VIOLATIONS)
    recorder = Recorder(site_server.origin)
    page = context.new_page()
    recorder.attach(page)
    yield page, recorder
    context.close()


@pytest.mark.browser
def test_pages_request_nothing_from_another_origin_and_break_no_policy(built_site, site_server, recorded):
    page, recorder = recorded
    kinds = page_kinds(built_site)
    for kind, url in kinds.items():
        recorder.where = kind
        page.goto(site_server.url(url), wait_until="load")
        page.wait_for_load_state("networkidle")
        assert page.locator(CSP_META).count() == 1, f"{kind}: no policy"
    recorder.where = "404"
    page.goto(site_server.url("404.html"), wait_until="load")
    page.wait_for_load_state("networkidle")
    assert recorder.requests > 3 * len(kinds), "requests were not recorded"
    assert recorder.foreign == [], "requests to another origin:\n" + "\n".join(recorder.foreign)
    assert recorder.console == [], "console errors or policy violations:\n" + "\n".join(recorder.console)


@pytest.mark.browser
def test_search_tooltips_and_filter_work_under_the_policy(built_site, site_server, recorded):
    page, recorder = recorded
    kinds = page_kinds(built_site)
    recorder.where = "condition"
    page.goto(site_server.url(kinds["condition"]), wait_until="load")
    # Search: Material's worker loads its index; results appear as the reader types.
    page.locator("input.md-search__input").focus()
    page.keyboard.type("disc")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=10_000)
    assert results.count() > 0
    titles = page.locator(".md-search-result__item h1, .md-search-result__item h2").all_inner_texts()
    assert any("disc" in t.lower() for t in titles), titles
    page.keyboard.press("Escape")
    # A citation marker's tooltip, shown on keyboard focus.
    page.locator("sup.citation a").first.focus()
    page.locator(".md-tooltip2--active").wait_for(state="visible", timeout=5_000)
    # The colour-scheme toggle, and the comparison filter (built by our script), by keyboard.
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    recorder.where = "compare"
    page.goto(site_server.url(kinds["compare"]), wait_until="load")
    boxes = page.locator("article fieldset input[type='checkbox']")
    assert boxes.count() > 0, "the comparison filter was not built"
    boxes.first.focus()
    page.keyboard.press("Space")
    assert boxes.first.is_checked()
    page.wait_for_load_state("networkidle")
    assert recorder.foreign == [], "\n".join(recorder.foreign)
    assert recorder.console == [], "console errors or policy violations:\n" + "\n".join(recorder.console)
