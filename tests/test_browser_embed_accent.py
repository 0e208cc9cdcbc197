"""Clinic theming in real Chromium: ``?accent=`` (and the loader's ``data-accent``) sets the accent
colour only, a colour too light to read is darkened to WCAG AA contrast, and anything that is not
six hex digits changes nothing: no CSS, no script, no request."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from conftest import StaticServer

pytestmark = pytest.mark.browser

CID = "herniated-disc"
DEFAULT_LINK = "rgb(26, 95, 180)"  # embed.css: --ri-link falls back to #1a5fb4

_STATE = """() => {
  const a = document.querySelector('.ri-attribution a');
  return {accent: getComputedStyle(document.documentElement).getPropertyValue('--ri-accent').trim(),
          link: getComputedStyle(a).color, body: getComputedStyle(document.body).display,
          scripts: document.scripts.length, styles: document.styleSheets.length,
          inlineStyle: document.documentElement.getAttribute('style') || ''};
}"""


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(part) for part in css.removeprefix("rgb(").removesuffix(")").split(","))
    return r, g, b


@pytest.fixture
def tab(browser, site_server: StaticServer):
    context = browser.new_context(viewport={"width": 800, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.requests, page.errors = requests, errors  # type: ignore[attr-defined]
    yield page
    assert errors == []
    assert [u for u in requests if urlsplit(u).netloc != urlsplit(site_server.origin).netloc] == []
    context.close()


@pytest.mark.parametrize("variant", ["", "card/"])
def test_a_valid_accent_colours_the_links(tab, site_server: StaticServer, variant: str) -> None:
    tab.goto(site_server.url(f"embed/{CID}/{variant}?accent=0A7C5A"), wait_until="load")
    state = tab.evaluate(_STATE)
    assert state["accent"].lower() == "#0a7c5a"
    assert state["link"] == "rgb(10, 124, 90)"


def test_a_light_accent_is_darkened_to_aa_contrast(tab, site_server: StaticServer) -> None:
    tab.goto(site_server.url(f"embed/{CID}/?accent=ffff66"), wait_until="load")
    link = _rgb(tab.evaluate(_STATE)["link"])
    assert link != (255, 255, 102)
    assert (1.05 / (_luminance(link) + 0.05)) >= 4.5, f"{link} on white is below 4.5:1"


INVALID = [
    "red", "0a7c5", "0a7c5a0", "#0a7c5a", "0a7c5a;color:red", "0a7c5a}body{display:none}",
    "0a7c5a;background:url(https://example.org/x.png)", "</style><script>alert(1)</script>",
    "0a7c5a\nbody{display:none}", "expression(alert(1))",
]


def test_anything_else_is_ignored(tab, site_server: StaticServer) -> None:
    for accent in INVALID:
        tab.goto(site_server.url(f"embed/{CID}/?accent={quote(accent, safe='')}"), wait_until="load")
        plain = tab.evaluate(_STATE)
        assert plain["accent"] == "" and plain["inlineStyle"] == "", accent
        assert plain["link"] == DEFAULT_LINK and plain["body"] == "block", accent
        assert plain["scripts"] == 1 and plain["styles"] == 1, accent  # embed-frame.js and embed.css


def test_the_loader_passes_only_a_valid_accent(browser, tmp_path: Path, site_server: StaticServer) -> None:
    (tmp_path / "index.html").write_text(f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Example clinic (test fixture)</title></head><body>
<div data-running-injuries="{CID}" data-accent="0a7c5a"></div>
<div data-running-injuries="{CID}" data-variant="card" data-accent="0a7c5a&amp;x=1"></div>
<div data-running-injuries="{CID}" data-accent="javascript:alert(1)"></div>
<script async src="{site_server.url('embed.js')}"></script>
</body></html>
""", encoding="utf-8")
    clinic = StaticServer(tmp_path)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(clinic.url("index.html"))
        page.wait_for_function("document.querySelectorAll('[data-running-injuries] iframe').length === 3")
        srcs = page.eval_on_selector_all("[data-running-injuries] iframe", "fs => fs.map(f => f.src)")
        assert srcs == [site_server.url(f"embed/{CID}/?accent=0a7c5a"), site_server.url(f"embed/{CID}/card/"),
                        site_server.url(f"embed/{CID}/")]
    finally:
        context.close()
        clinic.close()
