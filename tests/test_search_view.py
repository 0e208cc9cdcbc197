"""The site search indexes a short view of condition pages and the comparison page, and the
pages themselves keep all their content (see ``running_injuries.pages.search_view``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, page
from running_injuries.pipeline import prepare


@pytest.fixture(scope="module")
def prepared():
    return prepare(ROOT / "content", ROOT)


@pytest.fixture(scope="module")
def index(built_site: Path) -> list[dict[str, str]]:
    return json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def _body_sentences(body: str) -> list[str]:
    """Plain prose lines of a body (no headings, lists or citations), to look for in the index."""
    return [line.strip() for line in body.splitlines()
            if line.strip() and line[0].isalpha() and "[@" not in line and len(line.split()) > 6]


def test_each_condition_is_one_entry_with_its_names_summary_symptoms_and_risk(prepared, index) -> None:
    site = prepared.site
    for condition in site.conditions.values():
        entries = [e for e in index if e["location"].startswith(f"conditions/{condition.id}/")]
        assert len(entries) == 1, (condition.id, [e["location"] for e in entries])
        entry = entries[0]
        assert entry["location"] == f"conditions/{condition.id}/"
        assert entry["title"] == condition.title
        meta = condition.meta
        for text in [*meta.also_called, " ".join(meta.summary.split()), *meta.risk_factors]:
            assert text in entry["text"], (condition.id, text)
        for use in meta.symptoms:
            symptom = site.symptoms[use.id]
            assert symptom.label in entry["text"], (condition.id, symptom.label)
            for other_name in symptom.meta.also_called:
                assert other_name in entry["text"], (condition.id, other_name)
        for sentence in _body_sentences(condition.body):
            assert sentence not in entry["text"], "the body's prose is not indexed"


def test_sciatica_finds_the_conditions_whose_symptoms_are_called_so(prepared, index) -> None:
    # "Sciatica" is another name of a symptom, in symptoms.yml: search must still find its conditions.
    called = {sid for sid, s in prepared.site.symptoms.items() if "Sciatica" in s.meta.also_called}
    assert called, "the real content names sciatica as another name of a symptom"
    expected = {f"conditions/{c.id}/" for c in prepared.site.conditions.values()
                if any(use.id in called for use in c.meta.symptoms)}
    found = {e["location"] for e in index if e["location"].startswith("conditions/") and "Sciatica" in e["text"]}
    assert expected and found == expected


def test_compare_page_is_indexed_by_its_topic_headings_not_its_table(built_site: Path, prepared, index) -> None:
    entries = [e for e in index if e["location"].startswith("compare/")]
    topics = [t for t in prepared.site.topics.values() if prepared.site.conditions_of(t.id)]
    assert [e["location"] for e in entries] == ["compare/", *(f"compare/#{t.id}" for t in topics)]
    assert [e["title"] for e in entries[1:]] == [t.title for t in topics]
    html = page(built_site, "compare/")
    for topic in topics:
        assert html.find(id=topic.id) is not None, "each result links to a heading that exists"
    assert all("ri-compare" not in e["text"] and "<table" not in e["text"] for e in entries)


def test_pages_keep_all_their_content(built_site: Path, prepared) -> None:
    for condition in prepared.site.conditions.values():
        html = page(built_site, f"conditions/{condition.id}/")
        article = html.select_one("article")
        headings = [h.get_text(" ", strip=True).rstrip("¶").strip() for h in article.select("h2")]
        assert "Symptoms" in headings and "When to see a clinician" in headings, headings
        text = " ".join(article.get_text(" ").split())
        for sentence in _body_sentences(condition.body)[:3]:
            assert " ".join(sentence.replace("*", "").split()) in text, (condition.id, sentence)
    assert page(built_site, "compare/").select("table.ri-compare-table"), "the table is on the page"


def test_other_pages_keep_their_full_text_in_the_index(prepared, index) -> None:
    topic = next(iter(prepared.site.topics.values()))
    sentence = _body_sentences(topic.body)[0]
    assert any(sentence in e["text"] for e in index if e["location"].startswith(f"{topic.id}/"))


@pytest.mark.browser
def test_searching_for_another_name_of_a_symptom_finds_the_condition(built_site, site_server, browser, prepared) -> None:
    expected = sorted(c.title for c in prepared.site.conditions.values()
                      if any("Sciatica" in prepared.site.symptoms[u.id].meta.also_called for u in c.meta.symptoms))
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(site_server.url(""), wait_until="load")
        tab.locator("input.md-search__input").focus()
        tab.keyboard.type("sciatica")
        results = tab.locator(".md-search-result__item")
        results.first.wait_for(state="visible", timeout=10_000)
        titles = tab.locator(".md-search-result__item h1").all_inner_texts()
        for title in expected:
            assert title in titles, (title, titles)
    finally:
        context.close()
