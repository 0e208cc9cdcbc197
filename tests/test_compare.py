"""The comparison page, the symptom pages and the cross-links, read from built HTML and checked
against the loaded content: the real site, and a small invented fixture with known overlaps."""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import FIXED_EPOCH, ROOT, build_or_fail, fixture_condition, fixture_content, fixture_symptoms, page, write
from running_injuries.model import Condition
from running_injuries.pipeline import Prepared, prepare

TODAY = dt.datetime.fromtimestamp(int(FIXED_EPOCH), tz=dt.timezone.utc).date()
FREQUENCY_WORD = {"common": "Common", "occasional": "Occasional"}
ONSET_WORD = {"sudden": "Suddenly.", "gradual": "Gradually.", "varies": "It varies."}

# Invented test content (not medical information): two topics, overlapping symptoms.
FIXTURE_SYMPTOMS = fixture_symptoms("ache", "sting", "throb", "buzz", also_called={"sting": ["Zing", "Prickle"]})
FIXTURE_CONDITIONS = {
    "north": fixture_condition("North fixture", [("ache", "common"), ("sting", "occasional"), ("throb", "common")],
                               related=["east"], extra="onset: sudden\nrecovery: A fixture recovery sentence."),
    "east": fixture_condition("East fixture", [("sting", "common"), ("throb", "occasional")],
                              extra="risk_factors: [Fixture risk one, Fixture risk two]"),
    "south": fixture_condition("South fixture", [("throb", "occasional")]),
    "west": fixture_condition("West fixture", [("buzz", "common"), ("ache", "occasional")], topic="others"),
}


def by_title(conditions) -> list[Condition]:
    return sorted(conditions, key=lambda c: (c.title.casefold(), c.id))


def load(content: Path) -> Prepared:
    prepared = prepare(content, content.parent, today=TODAY)
    assert not prepared.problems.errors
    return prepared


@pytest.fixture(scope="module")
def real() -> tuple[Path, Prepared]:
    return ROOT, load(ROOT / "content")


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Prepared]:
    root = tmp_path_factory.mktemp("compare-fixture")
    content = fixture_content(root / "content", FIXTURE_CONDITIONS)
    write(content, {
        "symptoms.yml": FIXTURE_SYMPTOMS,
        "topics/others.md": "---\ntitle: Others\nsummary: A second fixture topic.\nreviewed: 2026-11-01\n---\nOthers.\n",
    })
    return build_or_fail(root / "site", content_dir=content), load(content)


@pytest.fixture(params=["real", "fixture"])
def site_and_content(request: pytest.FixtureRequest, built_site: Path) -> tuple[Path, Prepared]:
    if request.param == "real":
        return built_site, request.getfixturevalue("real")[1]
    return request.getfixturevalue("fixture_site")


# -- helpers ------------------------------------------------------------------------------------


def target(page_url: str, href: str) -> str:
    """The site path a relative link on ``page_url`` points to (without its fragment)."""
    return posixpath.normpath(posixpath.join(page_url, href.split("#", 1)[0])) + "/"


def resolves(site: Path, page_url: str, href: str) -> bool:
    return (site / target(page_url, href) / "index.html").is_file()


def visible_text(cell: Tag) -> str:
    """The text a sighted reader sees: without the screen-reader-only spans."""
    copy = BeautifulSoup(str(cell), "lxml")
    for hidden in copy.select(".ri-sr-only"):
        hidden.decompose()
    return copy.get_text(" ", strip=True)


def main(doc: BeautifulSoup) -> Tag:
    article = doc.select_one("article.md-content__inner")
    assert article is not None
    return article


# -- the comparison page ------------------------------------------------------------------------


def test_one_table_per_topic_with_exact_rows_columns_and_cells(site_and_content) -> None:
    site, prepared = site_and_content
    content = prepared.site
    doc = page(site, "compare/")
    topics = [t for t in content.topics.values() if content.conditions_of(t.id)]
    tables = doc.select("[data-ri-compare]")
    assert [t["data-ri-compare"] for t in tables] == [t.id for t in topics]
    seen_conditions, seen_symptoms = set(), set()
    for topic, wrapper in zip(topics, tables):
        members = by_title(content.conditions_of(topic.id))
        symptom_ids = {u.id for c in members for u in c.meta.symptoms}
        table = wrapper.select_one("table")
        heads = table.select("thead th[data-symptom]")
        assert {th["data-symptom"] for th in heads} == symptom_ids
        assert len(heads) == len(symptom_ids)
        for th in heads:
            assert th.get_text(strip=True) == content.symptoms[th["data-symptom"]].label
        header_texts = [th.get_text(strip=True) for th in table.select("thead th")]
        assert header_texts == ["Condition", *(content.symptoms[th["data-symptom"]].label for th in heads),
                                "How it starts", "Who is at risk", "Typical recovery"]

        rows = table.select("tbody tr")
        assert [row["data-condition"] for row in rows] == [c.id for c in members]
        for row, condition in zip(rows, members):
            name = row.find("th")
            assert name["scope"] == "row"
            assert name.get_text(strip=True) == condition.title
            cells = row.find_all("td")
            assert len(cells) == len(heads) + 3
            uses = {u.id: u for u in condition.meta.symptoms}
            for th, cell in zip(heads, cells):
                use = uses.get(th["data-symptom"])
                if use is None:
                    assert cell.get_text(strip=True) == "Not listed", (condition.id, th["data-symptom"])
                    assert visible_text(cell) == ""  # blank to the eye, never "No"
                    assert "data-frequency" not in cell.attrs
                else:
                    assert cell.get_text(strip=True) == FREQUENCY_WORD[use.frequency], (condition.id, use.id)
                    assert cell["data-frequency"] == use.frequency
                    assert cell["data-symptom"] == use.id
            meta = condition.meta
            onset, risks, recovery = cells[len(heads):]
            assert onset.get_text(strip=True) == (ONSET_WORD[meta.onset] if meta.onset else "Not listed")
            assert [li.get_text(strip=True) for li in risks.select("li")] == list(meta.risk_factors)
            if not meta.risk_factors:
                assert risks.get_text(strip=True) == "Not listed"
            assert recovery.get_text(strip=True) == (meta.recovery or "Not listed")
        seen_conditions |= {c.id for c in members}
        seen_symptoms |= symptom_ids
    assert seen_conditions == set(content.conditions)
    assert seen_symptoms == {u.id for c in content.conditions.values() for u in c.meta.symptoms}


def test_columns_most_listed_first(site_and_content) -> None:
    site, prepared = site_and_content
    content = prepared.site
    for wrapper in page(site, "compare/").select("[data-ri-compare]"):
        members = content.conditions_of(wrapper["data-ri-compare"])
        counts: dict[str, int] = {}
        for condition in members:
            for use in condition.meta.symptoms:
                counts[use.id] = counts.get(use.id, 0) + 1
        expected = sorted(counts, key=lambda s: (-counts[s], content.symptoms[s].label.casefold(), s))
        assert [th["data-symptom"] for th in wrapper.select("thead th[data-symptom]")] == expected


def test_table_is_accessible_markup(built_site: Path) -> None:
    doc = page(built_site, "compare/")
    wrappers = doc.select("[data-ri-compare]")
    assert wrappers
    for wrapper in wrappers:
        region = wrapper.select_one(".ri-compare-wrap")
        assert region["role"] == "region" and region["tabindex"] == "0"
        caption = wrapper.select_one("table > caption")
        assert caption is not None and caption.get_text(strip=True)
        assert region["aria-labelledby"] == caption["id"]
        assert all(th.get("scope") == "col" for th in wrapper.select("thead th"))
        assert all(th.get("scope") == "row" for th in wrapper.select("tbody th"))
        assert len(wrapper.select("tbody th")) == len(wrapper.select("tbody tr"))
    # Without JavaScript there is nothing to click that does nothing: the script builds the filter.
    assert doc.select("article fieldset, article input, article button.ri-sort") == []


def test_links_in_the_table_resolve(site_and_content) -> None:
    site, prepared = site_and_content
    doc = page(site, "compare/")
    for wrapper in doc.select("[data-ri-compare]"):
        for th in wrapper.select("thead th[data-symptom]"):
            href = th.find("a")["href"]
            assert target("compare/", href) == f"symptoms/{th['data-symptom']}/"
            assert resolves(site, "compare/", href), href
        for row in wrapper.select("tbody tr"):
            href = row.find("th").find("a")["href"]
            assert target("compare/", href) == f"conditions/{row['data-condition']}/"
            assert resolves(site, "compare/", href), href


def test_page_says_not_a_diagnosis_once_and_when_to_see_a_clinician(built_site: Path) -> None:
    article = main(page(built_site, "compare/"))
    # The site's one disclaimer (tests/test_first_screen.py checks every page); no second notice.
    mentions = [text for text in article.find_all(string=True) if "not a diagnosis" in text.lower()]
    assert len(mentions) == 1 and mentions[0].find_parent(class_="ri-disclaimer") is not None
    assert "blank cell means our source does not list" in article.get_text(" ", strip=True)
    heading = article.find("h2", id="when-to-see-a-clinician")
    assert heading is not None
    callout = heading.find_next_sibling("div")
    assert "ri-see-a-clinician" in callout["class"] and callout.select("li")
    # The clinician section comes after the last table.
    order = [tag for tag in article.find_all(True) if tag is heading or tag.has_attr("data-ri-compare")]
    assert order[-1] is heading


def test_when_to_see_a_clinician_comes_from_each_topics_conditions(site_and_content) -> None:
    site, content = site_and_content
    callouts = main(page(site, "compare/")).select("div.ri-see-a-clinician[data-topic]")
    topics = [t for t in content.site.topics.values() if content.site.conditions_of(t.id)]
    assert [c["data-topic"] for c in callouts] == [t.id for t in topics]
    for callout, topic in zip(callouts, topics):
        conditions = sorted(content.site.conditions_of(topic.id), key=lambda c: (c.title.casefold(), c.id))
        expected = list(dict.fromkeys(item for c in conditions for item in c.meta.see_a_clinician))
        assert [li.get_text() for li in callout.select("li")] == expected
        assert callout.select_one(".admonition-title").get_text().startswith(topic.title)


def test_compare_script_is_shipped_from_our_origin(built_site: Path) -> None:
    scripts = [s["src"] for s in page(built_site, "compare/").select("script[src]")]
    ours = [src for src in scripts if src.endswith("assets/compare.js")]
    assert len(ours) == 1 and "//" not in ours[0]
    assert (built_site / target("compare/", ours[0]).rstrip("/")).is_file()


# -- symptom pages ------------------------------------------------------------------------------


def test_symptom_pages_list_conditions_by_frequency_with_notes(site_and_content) -> None:
    site, prepared = site_and_content
    content = prepared.site
    for symptom in content.symptoms.values():
        url = f"symptoms/{symptom.id}/"
        article = main(page(site, url))
        assert article.find("h1").get_text(strip=True) == symptom.label
        assert article.select_one(".ri-summary").get_text(strip=True) == symptom.meta.description
        also = article.select_one(".ri-also-called")
        if symptom.meta.also_called:
            assert also.get_text(strip=True) == "Also called: " + ", ".join(symptom.meta.also_called)
        else:
            assert also is None
        listing = [(c, u) for c in by_title(content.conditions.values()) for u in c.meta.symptoms if u.id == symptom.id]
        headings = [h.get_text(strip=True).rstrip("¶") for h in article.select("h3")]
        expected_headings = [h for f, h in (("common", "Commonly listed"), ("occasional", "Occasionally listed"))
                             if any(u.frequency == f for _, u in listing)]
        assert headings == expected_headings, url
        for frequency in ("common", "occasional"):
            items = article.select(f"ul.ri-symptom-conditions--{frequency} > li")
            expected = [(c, u) for c, u in listing if u.frequency == frequency]
            assert len(items) == len(expected), (url, frequency)
            for li, (condition, use) in zip(items, expected):
                link = li.find("a")
                assert link.get_text(strip=True) == condition.title
                assert target(url, link["href"]) == f"conditions/{condition.id}/"
                assert resolves(site, url, link["href"])
                text = li.get_text("", strip=True)
                assert text == (f"{condition.title}: {use.note}" if use.note else condition.title)


def test_real_symptom_pages_show_other_names(built_site: Path, real) -> None:
    _, prepared = real
    named = [s for s in prepared.site.symptoms.values() if s.meta.also_called]
    assert named, "the real vocabulary gives other names (sciatica, radiculopathy) for some symptom"
    for symptom in named:
        text = main(page(built_site, f"symptoms/{symptom.id}/")).get_text(" ", strip=True)
        assert all(name in text for name in symptom.meta.also_called)


# -- condition pages ----------------------------------------------------------------------------


def section_items(article: Tag, title: str) -> list[Tag] | None:
    heading = next((h for h in article.find_all("h2") if h.get_text(strip=True).rstrip("¶") == title), None)
    if heading is None:
        return None
    return heading.find_next_sibling("ul").find_all("li", recursive=False)


def test_condition_pages_link_every_symptom_related_and_similar(site_and_content) -> None:
    site, prepared = site_and_content
    content = prepared.site
    conditions = list(content.conditions.values())
    for condition in conditions:
        url = f"conditions/{condition.id}/"
        article = main(page(site, url))
        links = [target(url, a["href"]) for a in article.select("ul.ri-symptom-list > li > a")]
        assert links == [f"symptoms/{u.id}/" for u in condition.meta.symptoms]
        assert all((site / link / "index.html").is_file() for link in links)

        related = by_title(c for c in conditions if c.id in condition.meta.related or condition.id in c.meta.related)
        items = section_items(article, "Related conditions")
        if related:
            assert [target(url, li.find("a")["href"]) for li in items] == [f"conditions/{c.id}/" for c in related]
        else:
            assert items is None

        mine = [u.id for u in condition.meta.symptoms]
        scored = []
        for other in conditions:
            if other.id != condition.id and other.meta.topic == condition.meta.topic:
                shared = [s for s in mine if s in {u.id for u in other.meta.symptoms}]
                if shared:
                    scored.append(((-len(shared), other.title.casefold(), other.id), other, shared))
        similar = [(other, shared) for _, other, shared in sorted(scored, key=lambda s: s[0])][:5]
        items = section_items(article, "Conditions with similar symptoms")
        if similar:
            assert len(items) == len(similar)
            for li, (other, shared) in zip(items, similar):
                assert target(url, li.find("a")["href"]) == f"conditions/{other.id}/"
                labels = ", ".join(content.symptoms[s].label for s in shared)
                count = f"{len(shared)} symptom{'s' if len(shared) != 1 else ''}"
                assert li.get_text("", strip=True) == f"{other.title}: shares {count} ({labels})"
        else:
            assert items is None


def test_fixture_has_the_overlaps_the_checks_need(fixture_site) -> None:
    """Guard: the fixture really exercises similar lists, related links and two tables."""
    site, _ = fixture_site
    north = main(page(site, "conditions/north/"))
    assert len(section_items(north, "Conditions with similar symptoms")) == 2
    assert len(section_items(main(page(site, "conditions/east/")), "Related conditions")) == 1
    assert len(page(site, "compare/").select("[data-ri-compare]")) == 2
