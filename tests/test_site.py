"""The real site, built into a temporary folder and read with a real HTML parser."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from conftest import FIXED_EPOCH, ROOT, copy_content, page, run_build
from running_injuries.content.model import default_review_due
from running_injuries.pipeline import prepare

TODAY = dt.date(2026, 11, 26)
PREPARED = prepare(ROOT / "content", ROOT, today=TODAY)
CONDITIONS = sorted(PREPARED.site.conditions.values(), key=lambda c: c.id)
SECTION_ORDER = ["Symptoms", "Who is at risk", "Recovery", "When to see a clinician", "Related conditions",
                 "Conditions with similar symptoms", "References"]


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def h2_texts(html) -> list[str]:
    return [h.get_text(" ", strip=True).rstrip("¶").strip() for h in html.select("article h2")]


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.id)
def test_condition_page_sections_in_order(built_site: Path, condition) -> None:
    html = page(built_site, f"conditions/{condition.id}/")
    article = html.select_one("article")
    assert article.select_one("h1").get_text(strip=True) == condition.meta.title
    if condition.meta.also_called:
        assert article.select_one(".ri-also-called").get_text() == "Also called: " + ", ".join(condition.meta.also_called)
    assert article.select_one(".ri-summary").get_text(strip=True) == condition.meta.summary
    headings = h2_texts(html)
    body_headings = [line[3:].strip() for line in condition.body.splitlines() if line.startswith("## ")]
    assert headings[: len(body_headings)] == body_headings, "the body comes first, in the editor's order"
    generated = [h for h in headings[len(body_headings):] if h in SECTION_ORDER]
    assert generated == sorted(generated, key=SECTION_ORDER.index)
    assert "Symptoms" in generated and "When to see a clinician" in generated
    assert ("Who is at risk" in generated) == bool(condition.meta.risk_factors)
    assert ("Recovery" in generated) == bool(condition.meta.recovery)


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.id)
def test_symptom_list_matches_content(built_site: Path, condition) -> None:
    items = page(built_site, f"conditions/{condition.id}/").select("ul.ri-symptom-list > li")
    assert len(items) == len(condition.meta.symptoms)
    for item, use in zip(items, condition.meta.symptoms):
        link = item.select_one("a")
        assert link.get_text() == PREPARED.site.symptoms[use.id].label
        assert link["href"] == f"../../symptoms/{use.id}/"
        assert (built_site / "symptoms" / use.id / "index.html").is_file()
        assert f"({use.frequency.capitalize()})" in item.get_text()
        if use.note:
            assert use.note in item.get_text()


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.id)
def test_when_to_see_a_clinician_stands_out(built_site: Path, condition) -> None:
    box = page(built_site, f"conditions/{condition.id}/").select_one("div.admonition.danger.ri-see-a-clinician")
    assert box is not None
    assert [li.get_text() for li in box.select("ul > li")] == list(condition.meta.see_a_clinician)


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.id)
def test_related_links_both_ways(built_site: Path, condition) -> None:
    expected = set(condition.meta.related) | {c.id for c in CONDITIONS if condition.id in c.meta.related}
    links = page(built_site, f"conditions/{condition.id}/").select("ul.ri-related a")
    assert {a["href"].strip("./").split("/")[-1] or a["href"] for a in links} == expected
    for link in links:
        assert (built_site / "conditions" / condition.id / link["href"] / "index.html").resolve().is_file()


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.id)
def test_review_dates_at_the_bottom(built_site: Path, condition) -> None:
    article = page(built_site, f"conditions/{condition.id}/").select_one("article")
    dates = article.select_one("p.ri-review-dates")
    due = condition.meta.review_due or default_review_due(condition.meta.reviewed)
    text = dates.get_text(" ", strip=True)
    assert text.startswith(f"Reviewed {long_date(condition.meta.reviewed)}")
    assert text.endswith(f"· Next review due {long_date(due)}")
    assert [t["datetime"] for t in dates.select("time")] == [condition.meta.reviewed.isoformat(), due.isoformat()]
    # Nothing from the condition comes after the review dates.
    assert not dates.find_all_next(["h2", "ul", "ol"], limit=1) or dates.find_all_next("h2") == []


def test_topic_hub_has_cards_for_its_conditions(built_site: Path) -> None:
    for topic in PREPARED.site.topics.values():
        html = page(built_site, f"{topic.id}/")
        cards = html.select("ul.ri-cards a.ri-card__link")
        expected = sorted(PREPARED.site.conditions_of(topic.id), key=lambda c: c.title.casefold())
        assert [a.get_text() for a in cards] == [c.title for c in expected]
        for card, condition in zip(cards, expected):
            assert card["href"] == f"../conditions/{condition.id}/"


def test_about_page_states_editorial_policy(built_site: Path) -> None:
    text = page(built_site, "about/").select_one("article").get_text(" ", strip=True).lower()
    for phrase in ("source", "review", "clinician"):
        assert phrase in text


def test_nav_lists_topics_not_conditions(built_site: Path) -> None:
    nav = page(built_site, "").select_one("nav.md-nav--primary")
    labels = [a.get_text(" ", strip=True) for a in nav.select("a.md-nav__link")]
    for topic in PREPARED.site.topics.values():
        assert topic.title in labels
    for condition in CONDITIONS:
        assert condition.title not in labels


def test_no_web_fonts_and_no_other_origin_in_markup(built_site: Path) -> None:
    for index in built_site.rglob("*.html"):
        text = index.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
    html = page(built_site, f"conditions/{CONDITIONS[0].id}/")
    for tag, attr in (("link", "href"), ("script", "src"), ("img", "src")):
        for element in html.find_all(tag):
            value = element.get(attr, "")
            if tag == "link" and element.get("rel") and set(element["rel"]) & {"canonical", "alternate"}:
                continue
            assert not value.startswith(("http://", "https://", "//")), (tag, value)


def test_bad_content_fails_the_build_with_every_problem_and_no_traceback(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content")
    strain = content / "conditions" / "back-muscle-strain.md"
    strain.write_text(strain.read_text().replace("  - id: dull-ache", "  - id: dull-ach"), encoding="utf-8")
    (content / "conditions" / "Bad Name.md").write_text("no front matter\n", encoding="utf-8")
    result = run_build(tmp_path / "site", content_dir=content)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    assert "back-muscle-strain.md:" in output and "symptoms[0].id: unknown symptom 'dull-ach' (did you mean 'dull-ache'?)" in output
    assert "Bad Name.md:1: the file name 'Bad Name.md' is not a valid id" in output
    assert "Bad Name.md:1: no front-matter" in output
    assert not (tmp_path / "site" / "index.html").exists()


@pytest.mark.parametrize("topic_id, owner", [("about", "docs/about.md"), ("api", "the clinics' embeds and API")])
def test_a_topic_at_a_taken_address_stops_the_build(tmp_path: Path, topic_id: str, owner: str) -> None:
    """A topic ``about`` would silently replace docs/about.md: the build names both instead."""
    content = copy_content(tmp_path / "content")
    topic = next((content / "topics").glob("*.md"))
    (content / "topics" / f"{topic_id}.md").write_text(topic.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_build(tmp_path / "site", content_dir=content)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert (f"content/topics/{topic_id}.md:1: the address /{topic_id}/ of '{topic_id}' is taken by {owner}: "
            "give one of them another name") in output
    assert "Traceback" not in output and "DeprecationWarning" not in output


def test_make_build_keeps_the_old_site_when_the_build_fails(tmp_path: Path) -> None:
    """`make build` builds into a temporary folder and replaces the site only on success."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "previous.txt").write_text("the last good build", encoding="utf-8")
    content = copy_content(tmp_path / "content")
    (content / "conditions" / "empty.md").write_text("", encoding="utf-8")
    env = {**os.environ, "RUNNING_INJURIES_CONTENT": str(content), "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    failed = subprocess.run(["make", "build", f"SITE_DIR={site}"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert failed.returncode != 0
    assert "content/conditions/empty.md:1: the file is empty" in failed.stdout + failed.stderr
    assert (site / "previous.txt").is_file() and not (site / "index.html").exists()
    assert not (tmp_path / "site.tmp").exists()

    (content / "conditions" / "empty.md").unlink()
    built = subprocess.run(["make", "build", f"SITE_DIR={site}"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (site / "index.html").is_file() and not (site / "previous.txt").exists()


def test_build_summary_lists_conditions_citing_no_source(tmp_path: Path) -> None:
    result = run_build(tmp_path / "site")
    assert result.returncode == 0, result.stderr
    uncited = sorted(c.id for c in CONDITIONS if not PREPARED.cited[c.path].references)
    line = f"Conditions citing no source ({len(uncited)}): {', '.join(uncited)}"
    assert (line in result.stderr) == bool(uncited)
    assert f"{len(CONDITIONS)} conditions" in result.stderr


def test_every_page_points_to_the_atom_feed(built_site: Path) -> None:
    for index in sorted(built_site.rglob("index.html")):
        rel = index.relative_to(built_site).parent.as_posix()
        if rel.startswith("embed"):
            continue
        links = page(built_site, "" if rel == "." else rel).select('link[rel~="alternate"][type="application/atom+xml"]')
        assert len(links) == 1, rel
        assert links[0]["href"].endswith("/feed.xml") and (built_site / "feed.xml").is_file()
