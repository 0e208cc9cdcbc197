"""Accessibility in real Chromium: axe-core (WCAG 2.0, 2.1 and 2.2 A and AA, and its best
practices) on every kind of page, light and dark, phone and desktop; and the keyboard."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import page as parsed_page
from site_pages import page_kinds

AXE_OPTIONS = {
    "runOnly": {"type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's scheme
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

# Closed <details> (the embed box) hide their content from axe: open them all first.
OPEN_DETAILS = "document.querySelectorAll('details').forEach((d) => { d.open = true; })"


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def violations(axe: Axe, page, where: str) -> list[str]:
    found = axe.run(page, options=AXE_OPTIONS).response["violations"]
    return [f"{where}: {v['id']} ({v['impact']}): {v['help']}: "
            + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:5])
            for v in found]


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_nothing_on_any_kind_of_page(built_site, site_server, browser, axe, scheme, viewport):
    context = browser.new_context(color_scheme=scheme, viewport=VIEWPORTS[viewport], reduced_motion="reduce")
    page = context.new_page()
    found: list[str] = []
    try:
        for kind, url in page_kinds(built_site).items():
            page.goto(site_server.url(url), wait_until="load")
            if not kind.startswith(("embed", "card")):
                # Material follows the reader's colour scheme; check that it really switched.
                assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme], kind
            page.evaluate(OPEN_DETAILS)
            found += violations(axe, page, f"{kind} /{url}")
        # The search dialog, open with results.
        page.goto(site_server.url(""), wait_until="load")
        if viewport == "phone":
            page.click("label.md-header__button[for='__search']")
        page.locator("input.md-search__input").focus()
        page.keyboard.type("pain")
        page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10_000)
        found += violations(axe, page, "search results")
    finally:
        context.close()
    assert found == [], f"axe-core, {scheme} scheme, {viewport}:\n" + "\n".join(found)


# -- keyboard -------------------------------------------------------------------------------------

# What has the keyboard focus, and whether its focus indicator can be seen.
FOCUSED = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  const alpha = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return 1;
                         const p = m[1].split(/[ ,\\/]+/).filter(Boolean); return p.length > 3 ? parseFloat(p[3]) : 1; };
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 && alpha(s.outlineColor) >= 0.5;
  const shadow = s.boxShadow !== "none";
  const tip = e.getAttribute("aria-describedby") && document.getElementById(e.getAttribute("aria-describedby"));
  return {
    tag: e.tagName.toLowerCase(), cls: e.className || "", text: (e.textContent || "").trim().slice(0, 60),
    id: e.id || "", focusVisible: e.matches(":focus-visible"), ringVisible: outline || shadow,
    ring: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} / ${s.boxShadow}`,
    tooltip: tip ? { text: tip.textContent.trim(), visible: tip.checkVisibility({ opacityProperty: true, visibilityProperty: true }) } : null,
  };
}"""


# Material creates a marker's tooltip on focus and fades it in: wait for it, up to a limit.
TOOLTIP_SHOWN = """() => {
  const id = document.activeElement.getAttribute("aria-describedby");
  const tip = id && document.getElementById(id);
  return !!tip && tip.checkVisibility({ opacityProperty: true, visibilityProperty: true })
         && parseFloat(getComputedStyle(tip).opacity) > 0.9;
}"""


def tab_until(page, wanted, limit: int = 200) -> list[dict]:
    """Press Tab until ``wanted(focused)``; every element passed on the way, ending with it."""
    path = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('sup.citation a')"):
            try:
                page.wait_for_function(TOOLTIP_SHOWN, timeout=2_000)
            except PlaywrightTimeout:
                pass  # reported below, with what was focused
        focused = page.evaluate(FOCUSED)
        path.append(focused)
        if wanted(focused):
            return path
    raise AssertionError("Tab never reached it; focus went through:\n"
                         + "\n".join(f"{f['tag']}.{f['cls']} {f['text']!r}" for f in path))


def assert_ring(focused: dict, what: str) -> None:
    assert focused["focusVisible"], f"{what}: not :focus-visible after Tab"
    assert focused["ringVisible"], f"{what}: no visible focus ring ({focused['ring']})"


@pytest.mark.browser
def test_keyboard_reaches_citations_and_the_embed_snippet(built_site, site_server, browser):
    kinds = page_kinds(built_site)
    parsed = parsed_page(built_site, kinds["condition"])
    markers = parsed.select("sup.citation a")
    references = " ".join(li.get_text(" ", strip=True) for li in parsed.select("ol.references > li"))
    snippet = parsed.select_one(".ri-embed-box pre").get_text()
    assert markers and snippet.strip(), "the condition page should have citation markers and an embed snippet"

    context = browser.new_context(viewport=VIEWPORTS["desktop"], reduced_motion="reduce",
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(site_server.url(kinds["condition"]), wait_until="load")
        path = tab_until(page, lambda f: f["tag"] == "summary")
        summary = path[-1]
        assert "Embed" in summary["text"]
        assert_ring(summary, "embed box summary")

        # Every citation marker is on the way, with a ring and its reference shown as a tooltip.
        passed = [f for f in path if "citation-ref" in f["cls"]]
        assert len(passed) == len(markers), f"Tab reached {len(passed)} of {len(markers)} citation markers"
        for marker in passed:
            assert_ring(marker, f"citation marker {marker['id']}")
            tooltip = marker["tooltip"]
            assert tooltip and tooltip["visible"], f"citation marker {marker['id']}: no tooltip on focus"
            assert tooltip["text"] and re.sub(r"\s+", " ", tooltip["text"]) in references, tooltip["text"]

        # Enter opens the box; the snippet and the copy button follow, each with a ring.
        page.keyboard.press("Enter")
        assert page.locator(".ri-embed-box").evaluate("(d) => d.open")
        button = tab_until(page, lambda f: f["tag"] == "button", limit=5)[-1]
        assert "Copy" in button["text"]
        assert_ring(button, "copy button")
        page.keyboard.press("Enter")
        status = page.locator(".ri-embed-box .ri-copy-status")
        status.filter(has_text=re.compile(r"\S")).wait_for(timeout=5_000)
        assert status.inner_text().strip() == "Copied."
        assert page.evaluate("navigator.clipboard.readText()") == snippet
    finally:
        context.close()
