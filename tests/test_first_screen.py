"""The medical disclaimer said once on every page, read from built HTML with a real parser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import FIXED_EPOCH, ROOT, page, soup
from running_injuries.pipeline import prepare

TODAY = dt.datetime.fromtimestamp(int(FIXED_EPOCH), tz=dt.timezone.utc).date()
PREPARED = prepare(ROOT / "content", ROOT, today=TODAY)
CONDITIONS = sorted(PREPARED.site.conditions.values(), key=lambda c: c.id)
# Words that only the disclaimer says; any of them outside it is a second disclaimer.
DISCLAIMER_WORDS = ("not a diagnosis", "general information", "cannot diagnose", "does not replace",
                    "not replace a", "emergency number")


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
