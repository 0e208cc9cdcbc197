"""Citations as a reader gets them: read from the built HTML of a whole site, after Markdown, the
sanitizer and the theme have had their turn (test_citations.py covers the same steps unit by unit).

The fixture site is invented test content (not medical information) with invented references whose
titles say so; the real site is checked for its one real reference.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_or_fail, fixture_condition, fixture_content, page, write
from running_injuries.pipeline import prepare

# Invented references (10.5555 is the DOI prefix reserved for examples).
REFERENCES = [
    {"id": "fixture-a", "type": "article-journal", "title": "Example study A (test fixture)",
     "author": [{"family": "Example", "given": "A"}], "container-title": "Test Journal",
     "container-title-short": "Test J", "issued": {"date-parts": [[2020, 1]]}, "volume": "1",
     "page": "1-9", "DOI": "10.5555/fixture-a"},
    {"id": "fixture-b", "type": "article-journal", "title": "Example study B (test fixture)",
     "author": [{"family": "Example", "given": "B"}], "container-title": "Test Journal",
     "container-title-short": "Test J", "issued": {"date-parts": [[2021, 6]]}, "volume": "2",
     "page": "10-12"},
    {"id": "fixture-c", "type": "book", "title": "Example book C (test fixture)",
     "publisher": "Fixture Press", "publisher-place": "Testville", "issued": {"date-parts": [[2019]]}},
]

# B first, then a group naming A and B, C as the last thing on a line, B again; citations in a
# fenced block and in inline code stay as written.
TRICKY_BODY = """## What it is

Tricky fixture text cites B first [@fixture-b].
Then two at once [@fixture-a; @fixture-b]. A book at the end of a line [@fixture-c]
And B once more [@fixture-b].

```text
Inside a fence [@fixture-a] stays.
```

Inline `[@fixture-c]` stays too.
"""
PLAIN_BODY = "## What it is\n\nPlain fixture text cites the book [@fixture-c].\n"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("citations-site")
    content = fixture_content(root / "content", {
        "tricky": fixture_condition("Tricky fixture", [("ache", "common")], body=TRICKY_BODY),
        "plain": fixture_condition("Plain fixture", [("sting", "common"), ("throb", "occasional")],
                                   body=PLAIN_BODY),
    })
    write(content, {"references.json": json.dumps(REFERENCES, indent=2) + "\n"})
    return build_or_fail(root / "site", content_dir=content)


def article(html: BeautifulSoup):
    return html.select_one("article")


def target(page_url: str, href: str) -> str:
    """The site path a relative link on ``page_url`` points to (``conditions/x/``)."""
    return posixpath.normpath(posixpath.join(page_url, href)) + "/"


def test_markers_are_numbered_by_first_citation_and_link_to_the_references(fixture_site: Path) -> None:
    body = article(page(fixture_site, "conditions/tricky/"))
    groups = body.select("sup.citation")
    assert [g.get_text() for g in groups] == ["[1]", "[1, 2]", "[3]", "[1]"]
    markers = [(a["href"], a["id"], a.get_text()) for g in groups for a in g.select("a.citation-ref")]
    assert markers == [
        ("#ref-fixture-b", "cite-fixture-b-1", "1"),
        ("#ref-fixture-b", "cite-fixture-b-2", "1"), ("#ref-fixture-a", "cite-fixture-a-1", "2"),
        ("#ref-fixture-c", "cite-fixture-c-1", "3"),
        ("#ref-fixture-b", "cite-fixture-b-3", "1"),
    ]
    # Each marker carries its reference as a title (the tooltip), through the sanitizer.
    titles = {a["href"]: a["title"] for g in groups for a in g.select("a.citation-ref")}
    assert titles["#ref-fixture-c"] == "Example book C (test fixture). Testville: Fixture Press; 2019."
    for href in titles:
        assert body.find(id=href[1:]) is not None, href


def test_reference_list_has_back_links_to_every_citation(fixture_site: Path) -> None:
    body = article(page(fixture_site, "conditions/tricky/"))
    items = body.select("ol.references > li")
    # The sanitizer drops <li value>: the list's own numbering (1, 2, 3 in order) is the marker's.
    assert body.select_one("ol.references").get("start") in (None, "1")
    assert [li["id"] for li in items] == ["ref-fixture-b", "ref-fixture-a", "ref-fixture-c"]
    backlinks = [[(a["href"], a.get_text()) for a in li.select("a.citation-backlink")] for li in items]
    assert backlinks == [
        [("#cite-fixture-b-1", "a"), ("#cite-fixture-b-2", "b"), ("#cite-fixture-b-3", "c")],
        [("#cite-fixture-a-1", "↩")],
        [("#cite-fixture-c-1", "↩")],
    ]
    assert items[0].select_one(".citation-backlinks").get_text() == "↩ a, b, c"
    for li in items:
        for a in li.select("a.citation-backlink"):
            assert body.find(id=a["href"][1:]) is not None, a["href"]


def test_references_come_last_before_the_review_dates(fixture_site: Path) -> None:
    body = article(page(fixture_site, "conditions/tricky/"))
    headings = [h["id"] for h in body.find_all("h2")]
    assert headings[-1] == "references", headings
    after = body.find("h2", id="references").find_next_sibling(lambda tag: tag.name != "ol")
    assert "ri-review-dates" in after.get("class", []), after


def test_citations_in_code_are_left_alone(fixture_site: Path) -> None:
    body = article(page(fixture_site, "conditions/tricky/"))
    fenced = [code.get_text().strip() for code in body.select("pre code") if not code.find_parent(class_="ri-embed-box")]
    assert fenced == ["Inside a fence [@fixture-a] stays."]
    assert "[@fixture-c]" in [code.get_text() for code in body.select("p code")]


def test_references_page_lists_each_source_with_the_pages_citing_it(fixture_site: Path) -> None:
    items = article(page(fixture_site, "references/")).select("ol.ri-all-references > li")
    listed = {li["id"]: sorted((target("references/", a["href"]), a.get_text()) for a in li.select(".ri-cited-by a"))
              for li in items}
    assert listed == {
        "ref-fixture-a": [("aches/", "Aches"), ("conditions/tricky/", "Tricky fixture")],
        "ref-fixture-b": [("conditions/tricky/", "Tricky fixture")],
        "ref-fixture-c": [("conditions/plain/", "Plain fixture"), ("conditions/tricky/", "Tricky fixture")],
    }
    for url, _ in sum(listed.values(), []):
        assert (fixture_site / url / "index.html").is_file(), url
    texts = [li.select_one(".ri-reference").get_text(" ", strip=True) for li in items]
    assert all("(test fixture)" in text for text in texts)


def test_real_references_page_lists_the_pages_that_cite_each_source(built_site: Path) -> None:
    prepared = prepare(ROOT / "content", ROOT)
    expected: dict[str, set[str]] = {}
    for topic in prepared.site.topics.values():
        for key in re.findall(r"@([\w-]+)", topic.body):
            expected.setdefault(key, set()).add(f"{topic.id}/")
    for condition in prepared.site.conditions.values():
        for key in re.findall(r"@([\w-]+)", condition.body):
            expected.setdefault(key, set()).add(f"conditions/{condition.id}/")
    items = article(page(built_site, "references/")).select("ol.ri-all-references > li")
    listed = {li["id"].removeprefix("ref-"): {target("references/", a["href"]) for a in li.select(".ri-cited-by a")}
              for li in items}
    assert listed == expected
    assert "taunton2002" in listed
