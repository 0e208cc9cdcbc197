"""The answer on the first screen, in real Chromium on a 390 x 844 phone: every condition page
shows its summary, a main symptom and the link to "When to see a clinician" without scrolling,
and the link moves to that section, below the sticky header; so does a long, overdue fixture page.
The home page and a topic's page show their first condition card."""

from __future__ import annotations

import pytest

from conftest import ROOT, build_or_fail, fixture_content, fixture_symptoms, write
from running_injuries.pipeline import prepare

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CONTENT = prepare(ROOT / "content", ROOT).site
CONDITION_IDS = sorted(CONTENT.conditions)
FIRST_SCREEN = {"summary": ".ri-summary", "a main symptom": ".ri-glance__symptoms > li",
                "the link to When to see a clinician": "a.ri-care-link"}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def header_bottom(tab) -> float:
    box = tab.locator("header.md-header").bounding_box()
    return box["y"] + box["height"]


def assert_on_first_screen(tab, what: str, selector: str) -> None:
    element = tab.locator(selector).first
    assert element.is_visible(), f"{what} is not shown"
    box = element.bounding_box()
    top, bottom = box["y"], box["y"] + box["height"]
    assert top >= header_bottom(tab) - 1, f"{what} is under the header: {box}"
    assert bottom <= PHONE["height"], f"{what} ends at {bottom:.0f} px, below the first screen ({PHONE['height']} px)"


def check_condition_page(tab, url: str) -> None:
    tab.goto(url, wait_until="load")
    assert tab.evaluate("window.scrollY") == 0
    for what, selector in FIRST_SCREEN.items():
        assert_on_first_screen(tab, f"{url}: {what}", selector)

    tab.locator("a.ri-care-link").click()
    tab.wait_for_function("location.hash === '#when-to-see-a-clinician'")
    # The heading comes into view below the sticky header (Material scrolls smoothly: wait for it).
    tab.wait_for_function(
        """(headerBottom) => {
            const top = document.getElementById('when-to-see-a-clinician').getBoundingClientRect().top;
            return top >= headerBottom - 1 && top < window.innerHeight / 2;
        }""", arg=header_bottom(tab), timeout=5000)
    assert tab.evaluate("window.scrollY") > 0
    # What the reader lands on is the list of reasons to see a clinician.
    box = tab.locator("#when-to-see-a-clinician + .ri-see-a-clinician li").first.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]


@pytest.mark.parametrize("condition_id", CONDITION_IDS)
def test_condition_page_first_screen_on_a_phone(site_server, phone, condition_id: str) -> None:
    check_condition_page(phone, site_server.url(f"conditions/{condition_id}/"))


# Invented test content (not medical information): about the longest a condition's top can be with
# sensible content: a title on two lines, three other names, a summary of 290 characters, more
# common symptoms than the glance shows, with long names, and an overdue review's notice above all.
LONG_SYMPTOMS = ["pain-that-spreads-from-the-low-back-into-both-legs", "a-stiff-back-that-is-hard-to-bend-or-twist",
                 "aching-that-gets-worse-after-a-long-run", "pain-that-wakes-you-up-at-night-sometimes",
                 "tenderness-when-someone-presses-on-the-spot"]
LONG_SUMMARY = ("This invented fixture condition has a summary that is as long as the content rules allow, "
                "so that the test sees the worst first screen an editor could write. It goes on with a "
                "second sentence that is long as well, and it still has to leave room for the symptoms "
                "and the link below it.")
assert len(LONG_SUMMARY) <= 300


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory):
    from conftest import StaticServer

    root = tmp_path_factory.mktemp("long-first-screen")
    condition = "\n".join([
        "---",
        "title: A long fixture condition name that needs two lines",
        "also_called: [First other fixture name, Second other fixture name, Third other name]",
        "topic: aches",
        f"summary: {LONG_SUMMARY}",
        "symptoms:",
        *(f"  - {{id: {sid}, frequency: common}}" for sid in LONG_SYMPTOMS),
        "see_a_clinician:",
        "  - When a test says so.",
        "reviewed: 2025-01-01",
        "review_due: 2025-06-01",
        "---",
        "## What it is",
        "",
        "It is invented for tests.",
        "",
    ])
    content = fixture_content(root / "content", {"long": condition})
    write(content, {"symptoms.yml": fixture_symptoms(*LONG_SYMPTOMS)})
    site = build_or_fail(root / "site", content_dir=content, strict=False)  # overdue: a warning
    server = StaticServer(site)
    yield server
    server.close()


def test_a_long_overdue_condition_page_still_answers_on_the_first_screen(long_site, phone) -> None:
    phone.goto(long_site.url("conditions/long/"), wait_until="load")
    assert phone.locator(".ri-review-overdue").is_visible(), "the fixture must show the overdue notice"
    assert phone.locator(".ri-glance__symptoms > li").count() == 4
    assert phone.locator("h1").bounding_box()["height"] > 40, "the fixture's title must take two lines"
    check_condition_page(phone, long_site.url("conditions/long/"))


@pytest.mark.parametrize("url", ["", f"{sorted(CONTENT.topics)[0]}/"], ids=["home", "topic"])
def test_home_and_topic_page_show_a_condition_card_first(site_server, phone, url: str) -> None:
    phone.goto(site_server.url(url), wait_until="load")
    assert_on_first_screen(phone, f"/{url}: the first condition card", "ul.ri-cards > li.ri-card")
    # The whole card is the link: a tap on its summary opens the condition.
    card = phone.locator("ul.ri-cards > li.ri-card").first
    target = card.locator("a.ri-card__link").evaluate("a => a.href")
    summary = card.locator(".ri-card__summary").bounding_box()  # a tap there, not on the title
    phone.mouse.click(summary["x"] + summary["width"] / 2, summary["y"] + summary["height"] / 2)
    phone.wait_for_url(target)
    assert phone.locator("a.ri-care-link").is_visible()
