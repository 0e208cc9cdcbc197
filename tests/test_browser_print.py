"""Print in real Chromium: a condition page, its embed and its card print as a clean handout, with
no navigation or buttons, the page's address and review dates at the end, and nothing wider than
the printable width of A4 or Letter paper."""

from __future__ import annotations

import pytest

from conftest import ROOT
from conftest import page as parsed_page
from running_injuries.pipeline import prepare

pytestmark = pytest.mark.browser

# Printable width with print.css's 15 mm margins, in CSS pixels (96 per inch): A4 is 210 mm wide,
# Letter 8.5 in; the narrower one is the one to fit.
A4_PRINTABLE = round((210 - 2 * 15) / 25.4 * 96)  # 680
LETTER_PRINTABLE = round((8.5 * 25.4 - 2 * 15) / 25.4 * 96)  # 703

# Everything that is for the screen only: Material's chrome, our buttons and boxes.
SCREEN_ONLY = [".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-search", ".md-top",
               ".md-content__button", ".ri-embed-box", ".ri-page-actions", ".ri-card__more",
               "nav", "button", "input", ".headerlink"]

_VISIBLE = """selectors => selectors.flatMap(s => [...document.querySelectorAll(s)]
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 })
  .map(e => s))"""


@pytest.fixture(scope="module")
def condition_ids() -> list[str]:
    return sorted(prepare(ROOT / "content", ROOT).site.conditions)


@pytest.fixture
def printed(browser):
    """A page in print media at the printable width of A4 paper."""
    context = browser.new_context(viewport={"width": A4_PRINTABLE, "height": 1000})
    tab = context.new_page()
    tab.emulate_media(media="print")
    yield tab
    context.close()


def _fits(tab) -> None:
    width = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the printed page is {width[0]} px wide on {width[1]} px of paper"


@pytest.mark.parametrize("paper", [A4_PRINTABLE, LETTER_PRINTABLE])
def test_condition_page_prints_as_a_handout(built_site, site_server, printed, condition_ids, paper) -> None:
    for cid in condition_ids:
        printed.set_viewport_size({"width": paper, "height": 1000})
        printed.goto(site_server.url(f"conditions/{cid}/"), wait_until="load")
        assert printed.evaluate(_VISIBLE, SCREEN_ONLY) == [], cid
        _fits(printed)
        footer = printed.locator(".ri-print-footer")
        assert footer.is_visible()
        canonical = parsed_page(built_site, f"conditions/{cid}/").select_one('link[rel="canonical"]')["href"]
        text = footer.inner_text()
        assert canonical in text and "Reviewed" in text and "Next review due" in text
        # The footer is the last thing printed: below the article's own end.
        last = printed.evaluate("""() => { const f = document.querySelector('.ri-print-footer').getBoundingClientRect();
          const a = document.querySelector('article').getBoundingClientRect(); return [f.bottom, a.bottom] }""")
        assert last[0] >= last[1] - 1
        assert printed.pdf(format="A4" if paper == A4_PRINTABLE else "Letter")[:5] == b"%PDF-"


@pytest.mark.parametrize("variant", ["", "card/"])
def test_embed_prints_with_its_address_and_review_dates(site_server, printed, condition_ids, variant) -> None:
    for cid in condition_ids:
        printed.goto(site_server.url(f"embed/{cid}/{variant}"), wait_until="load")
        assert printed.evaluate(_VISIBLE, SCREEN_ONLY) == [], cid
        _fits(printed)
        footer = printed.locator(".ri-embed__footer")
        assert footer.is_visible() and "Next review due" in footer.inner_text()
        # On paper a link is no use: the attribution prints the page's address after its name.
        printed_url = printed.evaluate("""() => { const a = document.querySelector('.ri-attribution a');
          return [getComputedStyle(a, '::after').content, a.href] }""")
        assert printed_url[0] == f'" ({printed_url[1]})"'
