"""Layout checks in real Chromium: a topic's condition cards put the title and its other names on
lines of their own. (That the comparison page never scrolls sideways is tested with the rest of
that page, in test_browser_compare.py.)"""

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


def test_card_title_and_other_names_are_on_separate_lines(built_site, site_server, phone) -> None:
    site = prepare(ROOT / "content", ROOT).site
    topic = next(t for t in site.topics.values() if any(c.meta.also_called for c in site.conditions_of(t.id)))
    phone.goto(site_server.url(f"{topic.id}/"), wait_until="load")
    cards = phone.locator("li.ri-card:has(.ri-card__also)")
    assert cards.count() == sum(1 for c in site.conditions_of(topic.id) if c.meta.also_called)
    for card in cards.all():
        title, also = card.locator(".ri-card__link").bounding_box(), card.locator(".ri-card__also").bounding_box()
        assert title["y"] + title["height"] <= also["y"] + 1, (card.inner_text(), title, also)
