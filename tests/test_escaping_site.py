"""Markup in a topic's or a condition's title stays text on every page of the site: the nav, the
<title>, the footer links and the search index (embeds, API and feed: tests/test_publish.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_or_fail, fixture_condition, fixture_content, page, soup, write

ATTACK = '</title><script>alert(1)</script> "quoted" & more'
TOPIC = f"Fixture topic {ATTACK}"
CONDITION = f"Fixture condition {ATTACK}"


@pytest.fixture(scope="module")
def attack_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A test fixture site whose topic and condition titles carry markup."""
    root = tmp_path_factory.mktemp("attack-titles")
    content = fixture_content(root / "content", {
        "fixture-attack": fixture_condition("Fixture attack", [("ache", "common"), ("sting", "occasional")])
        .replace("title: Fixture attack", f"title: {json.dumps(CONDITION)}", 1),
        "fixture-plain": fixture_condition("Fixture plain", [("ache", "occasional"), ("throb", "common")]),
    })
    write(content, {"topics/aches.md": f"---\ntitle: {json.dumps(TOPIC)}\nsummary: A fixture topic.\n"
                                       "reviewed: 2026-11-01\n---\nAbout aches [@fixture-a].\n"})
    return build_or_fail(root / "site", content_dir=content)


def test_no_page_runs_markup_from_a_title(attack_site: Path) -> None:
    pages = sorted(attack_site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        html = soup(path)
        injected = [s for s in html.select("script") if "alert" in s.get_text() and s.get("type") != "application/ld+json"]
        assert not injected, f"{path.relative_to(attack_site)} runs a script from a title"
        assert "<script>alert" not in path.read_text(encoding="utf-8"), path.relative_to(attack_site)


def test_topic_title_reads_as_text_in_nav_title_and_footer(attack_site: Path) -> None:
    hub = page(attack_site, "aches/")
    assert hub.select_one("title").get_text() == f"{TOPIC} - Running Injuries"
    assert hub.select_one("h1").get_text() == TOPIC
    home = page(attack_site, "")
    nav = [" ".join(a.get_text().split()) for a in home.select("nav.md-nav--primary a.md-nav__link")]
    assert TOPIC in nav
    # Material escapes the footer's aria-label itself: the title must not arrive escaped twice.
    footer = home.select_one("a.md-footer__link--next")
    assert footer["aria-label"] == f"Next: {TOPIC}"


def test_condition_title_reads_as_text_on_its_page_and_in_search(attack_site: Path) -> None:
    condition = page(attack_site, "conditions/fixture-attack/")
    assert condition.select_one("title").get_text() == f"{CONDITION} - Running Injuries"
    assert condition.select_one("h1").get_text() == CONDITION
    index = json.loads((attack_site / "search/search_index.json").read_text(encoding="utf-8"))
    titles = {doc["location"]: doc["title"] for doc in index["docs"]}
    # Material renders search titles as HTML: they must be escaped text, never markup.
    for location in ("aches/", "conditions/fixture-attack/"):
        rendered = BeautifulSoup(titles[location], "lxml")
        assert not rendered.select("script") and rendered.get_text() in (TOPIC, CONDITION)

