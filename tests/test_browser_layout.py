"""Layout checks in real Chromium: no page of the site scrolls sideways on a phone or a laptop, and a
topic's condition cards put the title and its other names on lines of their own. (The comparison
page's own boxes are checked with the rest of that page, in test_browser_compare.py.)"""

from __future__ import annotations

import pytest

from conftest import ROOT
from running_injuries.pipeline import prepare

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


# What sticks out of the window: the page's width beyond it, and every element of the article that
# reaches past its right edge (a picture's label, a word that does not wrap), unless it sits in a
# box that scrolls on its own (a code block).
_OVERFLOW = """() => {
  const root = document.documentElement, limit = root.clientWidth + 1;
  const scrolls = e => { for (let a = e.parentElement; a; a = a.parentElement) {
    if (["auto", "scroll"].includes(getComputedStyle(a).overflowX)) return true; } return false; };
  const wide = [...document.querySelectorAll("article *")]
    .filter(e => e.getBoundingClientRect().right > limit && !scrolls(e))
    .map(e => e.tagName.toLowerCase() + "." + (e.getAttribute("class") || ""));
  return {page: root.scrollWidth - root.clientWidth, wide: wide.slice(0, 5)};
}"""


@pytest.mark.parametrize("width, height", [(390, 844), (1366, 900)], ids=["phone", "laptop"])
def test_no_page_scrolls_sideways(built_site, site_server, browser, width, height) -> None:
    urls = sorted(str(p.parent.relative_to(built_site)) + "/" for p in built_site.glob("**/index.html")
                  if not p.parent.relative_to(built_site).parts[:1] in (("embed",), ("editorial",)))
    urls = ["" if url == "./" else url for url in urls]
    assert {"", "back-pain/", "compare/", "references/"} <= set(urls) and any(u.startswith("conditions/") for u in urls)
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    try:
        for url in urls:
            tab.goto(site_server.url(url), wait_until="load")
            found = tab.evaluate(_OVERFLOW)
            assert found["page"] <= 0 and not found["wide"], (url, found)
    finally:
        context.close()


def test_card_title_and_other_names_are_on_separate_lines(built_site, site_server, phone) -> None:
    site = prepare(ROOT / "content", ROOT).site
    topic = next(t for t in site.topics.values() if any(c.meta.also_called for c in site.conditions_of(t.id)))
    phone.goto(site_server.url(f"{topic.id}/"), wait_until="load")
    cards = phone.locator("li.ri-card:has(.ri-card__also)")
    assert cards.count() == sum(1 for c in site.conditions_of(topic.id) if c.meta.also_called)
    for card in cards.all():
        title, also = card.locator(".ri-card__link").bounding_box(), card.locator(".ri-card__also").bounding_box()
        assert title["y"] + title["height"] <= also["y"] + 1, (card.inner_text(), title, also)
