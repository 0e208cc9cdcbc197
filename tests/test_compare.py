"""The comparison page, the symptom pages and the cross-links, read from built HTML and checked
against the loaded content: the real site, a small invented fixture with known overlaps, and the
benchmark's invented topic of 50 conditions."""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import FIXED_EPOCH, ROOT, build_or_fail, fixture_condition, fixture_content, fixture_symptoms, page, write
from running_injuries.content.model import Condition
from running_injuries.pipeline import Prepared, prepare
from synth_content import write_synthetic_content

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


@pytest.fixture(scope="module")
def bench_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Prepared]:
    """The benchmark's invented content at 50 conditions: one topic of 50, 30 symptoms."""
    root = tmp_path_factory.mktemp("compare-bench")
    content = write_synthetic_content(root / "content", 50)
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

GRID_MAX = 5  # compare.md.j2: topics of up to five conditions also get a grid
UNSAID = "Our sources do not say."


def topics_with_conditions(content) -> list:
    return [t for t in content.topics.values() if content.conditions_of(t.id)]


def symptom_order(content, members: list[Condition]) -> list[str]:
    """The topic's symptoms, most listed first, then by label: the order of every list on the page."""
    counts: dict[str, int] = {}
    for condition in members:
        for use in condition.meta.symptoms:
            counts[use.id] = counts.get(use.id, 0) + 1
    return sorted(counts, key=lambda s: (-counts[s], content.symptoms[s].label.casefold(), s))


def mark_of(tag: Tag) -> str:
    """The shape of the mark in ``tag`` (common, occasional or none), which is hidden from screen readers."""
    marks = tag.select(".ri-mark")
    assert len(marks) == 1, tag
    assert marks[0].get("aria-hidden") == "true" and marks[0].get_text() == ""
    shapes = [c.removeprefix("ri-mark--") for c in marks[0]["class"] if c.startswith("ri-mark--")]
    assert len(shapes) == 1, marks[0]
    return shapes[0]


def test_one_comparison_per_topic_with_its_symptoms_in_order(site_and_content) -> None:
    site, prepared = site_and_content
    content = prepared.site
    doc = page(site, "compare/")
    topics = topics_with_conditions(content)
    containers = doc.select("[data-ri-compare]")
    assert [c["data-ri-compare"] for c in containers] == [t.id for t in topics]
    seen_symptoms = set()
    for topic, container in zip(topics, containers):
        members = by_title(content.conditions_of(topic.id))
        order = symptom_order(content, members)
        # Without JavaScript: each symptom a link to its page (the script makes these the filter).
        items = container.select(".ri-compare-symptoms li[data-symptom]")
        assert [li["data-symptom"] for li in items] == order
        for li in items:
            assert li.get_text(strip=True) == content.symptoms[li["data-symptom"]].label
            assert target("compare/", li.find("a")["href"]) == f"symptoms/{li['data-symptom']}/"
        seen_symptoms |= set(order)
    assert seen_symptoms == {u.id for c in content.conditions.values() for u in c.meta.symptoms}


def test_one_card_per_condition_with_symptoms_by_frequency_and_facts(site_and_content) -> None:
    site, prepared = site_and_content
    content = prepared.site
    doc = page(site, "compare/")
    seen = set()
    for topic in topics_with_conditions(content):
        container = doc.select_one(f'[data-ri-compare="{topic.id}"]')
        members = by_title(content.conditions_of(topic.id))
        order = symptom_order(content, members)
        cards = container.select("ul.ri-ccards > li.ri-ccard")
        assert [card["data-condition"] for card in cards] == [c.id for c in members]
        for card, condition in zip(cards, members):
            meta = condition.meta
            title = card.find("h3")
            assert title.get_text(strip=True) == condition.title
            assert target("compare/", title.find("a")["href"]) == f"conditions/{condition.id}/"
            also = card.select_one(".ri-ccard__also")
            assert (also.get_text(strip=True) if also else None) == (
                "Also called: " + ", ".join(meta.also_called) if meta.also_called else None)
            assert card.select_one(".ri-ccard__summary").get_text(strip=True) == " ".join(meta.summary.split())

            uses = {u.id: u.frequency for u in meta.symptoms}
            for frequency in ("common", "occasional"):
                expected = [s for s in order if uses.get(s) == frequency]
                items = card.select(f"ul.ri-ccard__list--{frequency} > li")
                assert [(li["data-symptom"], li["data-frequency"]) for li in items] == [(s, frequency) for s in expected]
                assert [li.get_text(strip=True) for li in items] == [content.symptoms[s].label for s in expected]
                heading = card.select_one(f"ul.ri-ccard__list--{frequency}")
                if expected:
                    word = heading.find_previous_sibling("p", class_="ri-ccard__freq")
                    assert word.get_text(strip=True) == frequency.capitalize() and mark_of(word) == frequency
                else:
                    assert heading is None
            missing = [s for s in order if s not in uses]
            details = card.select_one("details.ri-ccard__none")
            if missing:
                summary = details.find("summary")
                assert summary.get_text(strip=True) == f"Not listed by our sources ({len(missing)})"
                assert mark_of(summary) == "none"
                items = details.select("li")
                assert [li["data-symptom"] for li in items] == missing
                assert all("data-frequency" not in li.attrs for li in items)
            else:
                assert details is None

            facts = card.select_one("dl.ri-ccard__facts")
            assert [dt.get_text(strip=True) for dt in facts.find_all("dt")] == \
                ["How it starts", "Who is at risk", "Typical recovery"]
            onset, risks, recovery = facts.find_all("dd")
            assert onset.get_text(strip=True) == (ONSET_WORD[meta.onset] if meta.onset else UNSAID)
            assert [li.get_text(strip=True) for li in risks.select("li")] == list(meta.risk_factors)
            if not meta.risk_factors:
                assert risks.get_text(strip=True) == UNSAID
            assert recovery.get_text(strip=True) == (meta.recovery or UNSAID)
        seen |= {card["data-condition"] for card in cards}
    assert seen == set(content.conditions)


def test_grid_has_a_row_per_symptom_and_a_column_per_condition(site_and_content) -> None:
    site, prepared = site_and_content
    content = prepared.site
    doc = page(site, "compare/")
    for topic in topics_with_conditions(content):
        container = doc.select_one(f'[data-ri-compare="{topic.id}"]')
        members = by_title(content.conditions_of(topic.id))
        table = container.select_one("table.ri-compare-table")
        if len(members) > GRID_MAX:
            assert table is None
            continue
        order = symptom_order(content, members)
        heads = table.select("thead th[data-condition]")
        assert [th["data-condition"] for th in heads] == [c.id for c in members]
        assert [th.get_text(strip=True) for th in table.select("thead th")] == \
            ["Symptom", *(c.title for c in members)]
        rows = table.select("tbody tr")
        assert [row["data-symptom"] for row in rows] == order
        for row in rows:
            symptom_id = row["data-symptom"]
            name = row.find("th")
            assert name["scope"] == "row" and name.get_text(strip=True) == content.symptoms[symptom_id].label
            cells = row.find_all("td")
            assert [cell["data-condition"] for cell in cells] == [c.id for c in members]
            for cell, condition in zip(cells, members):
                assert cell["data-symptom"] == symptom_id
                use = next((u for u in condition.meta.symptoms if u.id == symptom_id), None)
                if use is None:
                    # A dash to the eye, "Not listed" to a screen reader; never "No".
                    assert mark_of(cell) == "none"
                    assert visible_text(cell) == "" and cell.get_text(strip=True) == "Not listed"
                    assert "data-frequency" not in cell.attrs
                else:
                    assert mark_of(cell) == use.frequency
                    assert cell.get_text(strip=True) == FREQUENCY_WORD[use.frequency], (condition.id, use.id)
                    assert cell["data-frequency"] == use.frequency


def test_grid_and_cards_are_accessible_markup(built_site: Path) -> None:
    doc = page(built_site, "compare/")
    containers = doc.select("[data-ri-compare]")
    assert containers
    for container in containers:
        table = container.select_one("table.ri-compare-table")
        assert table is not None, "the real topic has few enough conditions for a grid"
        caption = table.select_one(":scope > caption")
        assert caption is not None and caption.get_text(strip=True)
        assert all(th.get("scope") == "col" for th in table.select("thead th"))
        assert all(th.get("scope") == "row" for th in table.select("tbody th"))
        assert len(table.select("tbody th")) == len(table.select("tbody tr"))
        # Nothing scrolls, so nothing needs to be a focusable scrolling region.
        assert not container.select("[tabindex]")
        # Each card is titled by a heading one level under its topic's.
        heading = doc.find(id=container["data-ri-compare"])
        assert heading.name == "h2"
        assert [h.name for h in container.select(".ri-ccard > :is(h1, h2, h3, h4, h5, h6)")] == \
            ["h3"] * len(container.select(".ri-ccard"))
    # Without JavaScript there is nothing to click that does nothing: the script builds the filter.
    assert doc.select("article fieldset, article input, article button") == []


def test_key_explains_each_mark_in_words(built_site: Path) -> None:
    for container in page(built_site, "compare/").select("[data-ri-compare]"):
        key = container.select(".ri-compare-key li")
        assert [mark_of(li) for li in key] == ["common", "occasional", "none"]
        words = [li.get_text(" ", strip=True) for li in key]
        assert words[0].startswith("Common") and words[1].startswith("Occasional")
        assert words[2].startswith("Not listed") and "our sources do not list it" in words[2]
        assert "may still happen" in words[2]


def test_links_on_the_comparison_resolve(site_and_content) -> None:
    site, prepared = site_and_content
    doc = page(site, "compare/")
    links = doc.select("[data-ri-compare] a[href]")
    assert links
    for link in links:
        assert target("compare/", link["href"]).startswith(("symptoms/", "conditions/")), link["href"]
        assert resolves(site, "compare/", link["href"]), link["href"]


def test_page_says_not_a_diagnosis_once_and_when_to_see_a_clinician(built_site: Path) -> None:
    article = main(page(built_site, "compare/"))
    # The site's one disclaimer (tests/test_first_screen.py checks every page); no second notice.
    mentions = [text for text in article.find_all(string=True) if "not a diagnosis" in text.lower()]
    assert len(mentions) == 1 and mentions[0].find_parent(class_="ri-disclaimer") is not None
    heading = article.find("h2", id="when-to-see-a-clinician")
    assert heading is not None
    callout = heading.find_next_sibling("div")
    assert "ri-see-a-clinician" in callout["class"] and callout.select("li")
    # The clinician section comes after the last comparison.
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


def test_compare_script_and_styles_are_shipped_from_our_origin(built_site: Path) -> None:
    doc = page(built_site, "compare/")
    for tag, attribute, name in (("script", "src", "assets/compare.js"), ("link", "href", "assets/compare.css")):
        ours = [t[attribute] for t in doc.select(f"{tag}[{attribute}]") if t[attribute].split("?")[0].endswith(name)]
        assert len(ours) == 1 and "//" not in ours[0], (name, ours)
        assert (built_site / target("compare/", ours[0].split("?")[0]).rstrip("/")).is_file()
    # No other page waits for them: a stylesheet in the head holds up the first paint.
    for index in sorted(built_site.rglob("*.html")):
        if index.parent != built_site / "compare":
            text = index.read_text(encoding="utf-8")
            assert "compare.css" not in text and "compare.js" not in text, index


def test_a_topic_of_fifty_conditions_gets_cards_and_no_grid(bench_site) -> None:
    site, prepared = bench_site
    content = prepared.site
    doc = page(site, "compare/")
    topics = topics_with_conditions(content)
    assert [len(content.conditions_of(t.id)) for t in topics] == [50]
    container = doc.select_one(f'[data-ri-compare="{topics[0].id}"]')
    assert container.select_one("table, .ri-compare-grid") is None
    cards = container.select("li.ri-ccard")
    assert [c["data-condition"] for c in cards] == [c.id for c in by_title(content.conditions_of(topics[0].id))]
    # Every card says what it lists and what it does not, for all 30 symptoms of the topic.
    symptoms = len(container.select(".ri-compare-symptoms li"))
    assert symptoms == 30
    for card in cards:
        assert len(card.select(".ri-ccard__symptoms li[data-symptom]")) == symptoms


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
