"""Layout checks in real Chromium: on a phone the comparison table scrolls sideways inside its own
box while the page itself does not, and the condition names stay in view as it scrolls; a topic's
condition cards put the title and its other names on lines of their own."""

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


def test_only_the_table_scrolls_sideways_and_the_first_column_stays(site_server, phone) -> None:
    phone.goto(site_server.url("compare/"), wait_until="load")
    page_width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert page_width[0] <= page_width[1], f"the page scrolls sideways: {page_width[0]} px wide at {page_width[1]} px"

    wrap = phone.locator(".ri-compare-wrap").first
    sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
    assert sizes[0] > sizes[1], "the fixture of this test needs a table wider than a phone"
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    assert wrap.evaluate("w => w.scrollLeft") > 0
    for header in wrap.locator("tbody th[scope=row]").all():
        # Scroll the page (not the table) so that the row is on screen for elementFromPoint.
        header.evaluate("th => window.scrollBy(0, th.getBoundingClientRect().top - 100)")
        box, cell = wrap.bounding_box(), header.bounding_box()
        assert box["x"] - 1 <= cell["x"] and cell["x"] + cell["width"] <= box["x"] + box["width"] + 1, \
            f"{header.inner_text()!r} left the view when the table scrolled: {cell} in {box}"
        assert header.evaluate("th => document.elementFromPoint(th.getBoundingClientRect().left + 4, "
                               "th.getBoundingClientRect().top + 4)?.closest('th') === th"), \
            f"{header.inner_text()!r} is covered by the scrolled cells"


def test_card_title_and_other_names_are_on_separate_lines(built_site, site_server, phone) -> None:
    site = prepare(ROOT / "content", ROOT).site
    topic = next(t for t in site.topics.values() if any(c.meta.also_called for c in site.conditions_of(t.id)))
    phone.goto(site_server.url(f"{topic.id}/"), wait_until="load")
    cards = phone.locator("li.ri-card:has(.ri-card__also)")
    assert cards.count() == sum(1 for c in site.conditions_of(topic.id) if c.meta.also_called)
    for card in cards.all():
        title, also = card.locator(".ri-card__link").bounding_box(), card.locator(".ri-card__also").bounding_box()
        assert title["y"] + title["height"] <= also["y"] + 1, (card.inner_text(), title, also)
