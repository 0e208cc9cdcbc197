"""The answer first: what a condition page, a topic's page and the home page put at their top, and
the medical disclaimer said once on every page, read from built HTML with a real parser.
(tests/test_browser_first_screen.py checks in Chromium that it fits a phone's first screen.)"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import FIXED_EPOCH, ROOT, build_or_fail, fixture_content, page, soup, write
from running_injuries.content.model import Condition
from running_injuries.pipeline import prepare
from running_injuries.pages.render import first_sentence

TODAY = dt.datetime.fromtimestamp(int(FIXED_EPOCH), tz=dt.timezone.utc).date()
PREPARED = prepare(ROOT / "content", ROOT, today=TODAY)
CONDITIONS = sorted(PREPARED.site.conditions.values(), key=lambda c: c.id)
# Words that only the disclaimer says; any of them outside it is a second disclaimer.
DISCLAIMER_WORDS = ("not a diagnosis", "general information", "cannot diagnose", "does not replace",
                    "not replace a", "emergency number")


def by_title(conditions) -> list[Condition]:
    return sorted(conditions, key=lambda c: (c.title.casefold(), c.id))


def label(symptom_id: str) -> str:
    return PREPARED.site.symptoms[symptom_id].label


def visible_texts(html: BeautifulSoup) -> list:
    """Every text node a reader can see or hear in the body (not scripts, styles or templates)."""
    body = html.body
    return [text for text in body.find_all(string=True)
            if not text.find_parent(["script", "style", "template", "noscript"])]


# -- the disclaimer ----------------------------------------------------------------------------------


def test_every_page_says_the_disclaimer_once_in_one_place(built_site: Path) -> None:
    pages = sorted(built_site.rglob("index.html"))
    assert len(pages) > 20
    for index in pages:
        rel = index.relative_to(built_site).as_posix()
        html = soup(index)
        boxes = html.select(".ri-disclaimer")
        assert len(boxes) == 1, f"{rel}: {len(boxes)} disclaimers"
        words = boxes[0].get_text(" ", strip=True)
        assert words.startswith("General information, not a diagnosis."), rel
        assert "see a doctor or physiotherapist" in words and "emergency" in words, rel
        for text in visible_texts(html):
            if text.find_parent(class_="ri-disclaimer") is None:
                said = [w for w in DISCLAIMER_WORDS if w in text.lower()]
                assert not said, f"{rel}: the disclaimer again, outside its box: {text.strip()!r}"


def test_pages_place_the_disclaimer_after_their_content(built_site: Path) -> None:
    for url in ("", "about/", "back-pain/", f"conditions/{CONDITIONS[0].id}/", "compare/"):
        article = page(built_site, url).select_one("article")
        aside = article.select_one("aside.ri-disclaimer")
        assert aside is not None and aside["aria-label"] == "Medical disclaimer"
        later = [tag for tag in aside.find_all_next(["h2", "table", "section"]) if tag.find_parent("article") is article]
        assert not later, f"/{url}: content after the disclaimer: {later[0]}"


# -- condition pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.id)
def test_condition_page_opens_with_summary_main_symptoms_and_the_way_to_care(built_site: Path, condition) -> None:
    article = page(built_site, f"conditions/{condition.id}/").select_one("article")
    # Before the first section: the title, other names, the summary, then the glance box.
    top = [tag for tag in article.find_all(["h1", "h2", "p", "div"]) if tag.find_parent("article") is article]
    first_h2 = next(tag for tag in top if tag.name == "h2")
    summary, glance = article.select_one("p.ri-summary"), article.select_one("div.ri-glance")
    assert top.index(summary) < top.index(glance) < top.index(first_h2)
    assert summary.get_text(strip=True) == condition.meta.summary

    uses = condition.meta.symptoms
    common = [u for u in uses if u.frequency == "common"]
    shown = (common or uses)[:4]
    items = glance.select("ul.ri-glance__symptoms > li")
    assert [li.get_text(" ", strip=True) for li in items] == [
        label(u.id) + ("" if u.frequency == "common" else f" ({u.frequency})") for u in shown]
    title = glance.select_one(".ri-glance__title")
    assert title.get_text() == ("Main symptoms" if common else "Symptoms")
    assert glance.select_one("ul")["aria-labelledby"] == title["id"]

    more = glance.select_one(".ri-glance__more a")
    assert (more is not None) == (len(uses) > len(shown))
    if more is not None:
        assert more["href"] == "#symptoms" and f"All {len(uses)} symptoms" in more.get_text()
        assert article.find("h2", id="symptoms") is not None

    care = glance.select_one("a.ri-care-link")
    assert care["href"] == "#when-to-see-a-clinician"
    assert care.get_text(strip=True) == "When to see a doctor or physiotherapist"
    heading = article.find("h2", id="when-to-see-a-clinician")
    assert heading is not None and heading.get_text(" ", strip=True).startswith("When to see a clinician")
    box = heading.find_next_sibling("div")
    assert "ri-see-a-clinician" in box["class"]
    assert [li.get_text() for li in box.select("li")] == list(condition.meta.see_a_clinician)


def test_the_api_lead_keeps_the_summary_and_no_heading(built_site: Path) -> None:
    import json

    condition = CONDITIONS[0]
    document = json.loads((built_site / "api/v1/conditions" / f"{condition.id}.json").read_text(encoding="utf-8"))
    lead = BeautifulSoup(document["lead_html"], "lxml")
    assert lead.select_one(".ri-summary").get_text(strip=True) == condition.meta.summary
    assert not lead.select("h1, h2")
    assert lead.select_one("a.ri-care-link")["href"].endswith(f"/conditions/{condition.id}/#when-to-see-a-clinician")


# -- the topic's page and the home page -----------------------------------------------------------------


def test_first_sentence() -> None:
    assert first_sentence("A disc is out of place. It can hurt.") == "A disc is out of place."
    assert first_sentence("Does it hurt? See a clinician.") == "Does it hurt?"
    assert first_sentence("Only one sentence, at L4-5.") == "Only one sentence, at L4-5."
    assert first_sentence("A tear of 2.5 cm heals. Slowly.") == "A tear of 2.5 cm heals."
    assert first_sentence("  Spaces around. \n Then more.  ") == "Spaces around."


def test_topic_page_lists_its_conditions_first_with_one_line_each(built_site: Path) -> None:
    for topic in PREPARED.site.topics.values():
        article = page(built_site, f"{topic.id}/").select_one("article")
        headings = [h for h in article.select("h2") if h.find_parent("article") is article]
        assert headings[0]["id"] == "conditions", "the conditions come before the editor's text"
        cards = article.select("ul.ri-cards > li.ri-card")
        expected = by_title(PREPARED.site.conditions_of(topic.id))
        assert [c.select_one("a.ri-card__link").get_text() for c in cards] == [c.title for c in expected]
        for card, condition in zip(cards, expected):
            line = card.select_one(".ri-card__summary").get_text()
            # The real summaries' first sentences end at the first ". ".
            assert line == condition.meta.summary.split(". ")[0].rstrip(".") + "."
            assert len(line) < len(condition.meta.summary)
        body_headings = [line[3:].strip() for line in topic.body.splitlines() if line.startswith("## ")]
        rest = [h.get_text(" ", strip=True).rstrip("¶").strip() for h in headings][1:]
        if not topic.body.lstrip().startswith("#"):  # text before its first heading gets one
            assert rest.pop(0) == "Overview"
        assert rest[:len(body_headings)] == body_headings


def home_topics(html: BeautifulSoup) -> tuple[Tag, list[Tag]]:
    article = html.select_one("article")
    return article, article.select("section.ri-home-topic")


def test_home_leads_with_each_topic_and_its_conditions_as_cards(built_site: Path) -> None:
    article, sections = home_topics(page(built_site, ""))
    # Nothing but the title stands before the first topic: no site description.
    h1 = article.select_one("h1")
    first = h1.find_next_sibling(True)
    assert first is sections[0], f"the home page opens with {first.name}.{first.get('class')}, not a topic"
    topics = list(PREPARED.site.topics.values())
    assert len(sections) == len(topics)
    for section, topic in zip(sections, topics):
        link = section.select_one("h2 a")
        assert link.get_text() == topic.title and link["href"] == f"{topic.id}/"
        cards = [a.get_text() for a in section.select("ul.ri-cards a.ri-card__link")]
        assert cards == [c.title for c in by_title(PREPARED.site.conditions_of(topic.id))][:6]
        assert section.select_one(f'a[href="compare/#{topic.id}"]') is not None


# A topic of seven invented conditions (not medical information): the home page shows six of them.
def _condition(cid: str, title: str) -> str:
    return textwrap.dedent(f"""\
        ---
        title: {title}
        topic: aches
        summary: {title} is a test fixture. It has a second sentence.
        symptoms:
          - id: ache
            frequency: common
        see_a_clinician:
          - When a test says so.
        reviewed: 2026-11-01
        ---
        ## What it is

        {title} is invented for tests.
        """)


@pytest.fixture(scope="module")
def seven(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seven")
    names = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf"]
    content = fixture_content(root / "content", {n.lower(): _condition(n.lower(), f"{n} fixture") for n in names})
    write(content, {"symptoms.yml": "ache:\n  label: Ache\n  description: A fixture symptom.\n"})
    return build_or_fail(root / "site", content_dir=content)


def test_home_shows_the_first_six_conditions_and_links_to_all(seven: Path) -> None:
    _, sections = home_topics(page(seven, ""))
    (section,) = sections
    titles = [a.get_text() for a in section.select("a.ri-card__link")]
    assert titles == [f"{n} fixture" for n in ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot")]
    more = section.select_one(".ri-home-topic__links a")
    assert more["href"] == "aches/" and re.match(r"All 7 conditions\b", more.get_text())
    assert [c.get_text() for c in section.select(".ri-card__summary")][0] == "Alpha fixture is a test fixture."
