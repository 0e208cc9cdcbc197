"""Review governance: review dates and the overdue notice under a fixed build date, the reading
grade, the editorial report (terminal and /editorial/), and the links that let readers and editors
act on a page ("Edit this page", "Report a problem with this page")."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import FIXED_EPOCH, ROOT, build_or_fail, fixture_condition, fixture_content, page, soup, textstat_grade
from running_injuries.pipeline import prepare
from running_injuries.knowledge.readability import MIN_WORDS, prose_text, reading, sentences_of
from running_injuries.editors.report import rows, table, without_unlisted_pages

TODAY = dt.datetime.fromtimestamp(int(FIXED_EPOCH), tz=dt.timezone.utc).date()
REAL = prepare(ROOT / "content", ROOT, today=TODAY)
REPOSITORY = "https://github.com/running-injuries/running-injuries"
BEFORE_DUE_EPOCH = "1672444800"  # 2022-12-31, the day before the fixture's overdue review falls due


def fixture_with_overdue_review(root: Path) -> Path:
    """Test-fixture content: one condition reviewed long ago (due 2023-01-01), one recently."""
    late = fixture_condition("Late review", [("ache", "common"), ("sting", "occasional")]).replace(
        "reviewed: 2026-11-01", "reviewed: 2020-01-01")
    fresh = fixture_condition("Fresh review", [("ache", "common"), ("throb", "common")])
    return fixture_content(root / "content", {"late-review": late, "fresh-review": fresh})


@pytest.fixture(scope="module")
def overdue_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("overdue")
    content = fixture_with_overdue_review(root)
    # Not --strict: an overdue review is a warning, and warnings fail a strict build.
    return build_or_fail(root / "site", content_dir=content, strict=False)


def run_module(module: str, *args: str, cwd: Path, epoch: str = FIXED_EPOCH) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks"), "SOURCE_DATE_EPOCH": epoch}
    env.pop("RUNNING_INJURIES_CONTENT", None)
    return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


# -- review dates -----------------------------------------------------------------------------------

def test_overdue_page_shows_a_notice_to_readers(overdue_site: Path) -> None:
    late = page(overdue_site, "conditions/late-review/")
    notice = late.select_one("article .ri-review-overdue")
    assert notice is not None
    assert notice.get_text(" ", strip=True).startswith("This page is due for review.")
    assert notice.select_one("time")["datetime"] == "2023-01-01"
    dates = late.select_one("article p.ri-review-dates")
    assert dates.get_text(" ", strip=True) == "Reviewed 1 January 2020 · Next review due 1 January 2023"
    # The notice comes before the content; the dates close it.
    article_text = late.select_one("article").get_text(" ", strip=True)
    assert article_text.index("due for review") < article_text.index("Late review is invented for tests")


def test_page_not_yet_due_shows_no_notice(overdue_site: Path) -> None:
    fresh = page(overdue_site, "conditions/fresh-review/")
    assert fresh.select_one(".ri-review-overdue") is None
    assert fresh.select_one("article p.ri-review-dates").get_text(" ", strip=True) == \
        "Reviewed 1 November 2026 · Next review due 1 November 2029"
    assert page(overdue_site, "aches/").select_one(".ri-review-overdue") is None


def test_the_build_date_decides(tmp_path: Path) -> None:
    """Before the due date (set by SOURCE_DATE_EPOCH) the same content builds strictly, with no notice."""
    content = fixture_with_overdue_review(tmp_path)
    site = build_or_fail(tmp_path / "site", content_dir=content, epoch=BEFORE_DUE_EPOCH, strict=True)
    assert page(site, "conditions/late-review/").select_one(".ri-review-overdue") is None


def test_overdue_review_warns_and_fails_a_strict_check(tmp_path: Path) -> None:
    fixture_with_overdue_review(tmp_path)
    days = (TODAY - dt.date(2023, 1, 1)).days
    warning = (f"content/conditions/late-review.md:12: warning: reviewed: review overdue by {days} days "
               "(was due 2023-01-01)")
    lenient = run_module("running_injuries.editors.check", "--content", "content", cwd=tmp_path)
    assert lenient.returncode == 0
    assert lenient.stdout.splitlines() == [warning]
    strict = run_module("running_injuries.editors.check", "--content", "content", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert strict.stdout.splitlines() == [warning]
    early = run_module("running_injuries.editors.check", "--content", "content", "--strict", cwd=tmp_path,
                       epoch=BEFORE_DUE_EPOCH)
    assert early.returncode == 0 and early.stdout == ""


def test_review_due_field_overrides_the_three_years(tmp_path: Path) -> None:
    soon = fixture_condition("Soon", [("ache", "common"), ("sting", "common"), ("throb", "common")],
                             extra="review_due: 2026-06-01").replace("reviewed: 2026-11-01", "reviewed: 2026-01-01")
    fixture_content(tmp_path / "content", {"soon": soon})
    result = run_module("running_injuries.editors.check", "--content", "content", cwd=tmp_path)
    days = (TODAY - dt.date(2026, 6, 1)).days
    assert result.stdout.splitlines() == [
        f"content/conditions/soon.md:15: warning: review_due: review overdue by {days} days (was due 2026-06-01)"]


# -- reading grade ---------------------------------------------------------------------------------

def test_real_pages_read_at_grade_nine_or_below() -> None:
    assert set(REAL.reading) == {p.path for p in [*REAL.site.topics.values(), *REAL.site.conditions.values()]}
    for path, result in REAL.reading.items():
        assert result.words >= MIN_WORDS, path
        assert 0 < result.grade <= 9, (path, result.grade)


@pytest.mark.parametrize("path", sorted(REAL.reading))
def test_grade_is_textstats_flesch_kincaid(path: str) -> None:
    page = {p.path: p for p in [*REAL.site.topics.values(), *REAL.site.conditions.values()]}[path]
    assert REAL.reading[path].grade == round(textstat_grade(prose_text(sentences_of(page.body, page.body_line))), 1)


def test_markup_code_and_citations_are_not_scored() -> None:
    body = (
        "## A heading with no full stop\n"
        "\n"
        "The [knee](https://example.org/knee) hurts **a lot** [@fixture-a; @fixture-b].\n"
        "Rest helps `code here` a bit.<br>\n"
        "![an image](x.png)\n"
        "<!-- a comment\nover two lines -->\n"
        "```\nfenced code. is. not. prose.\n```\n"
        "- A list item with no stop\n"
        "- Another item:\n"
        "\n"
        "| table | row |\n"
        "!!! note \"Admonition title\"\n"
        "    Indented text counts.\n"
    )
    result = reading(body, first_line=20)
    assert [(s.line, s.text) for s in sentences_of(body, first_line=20)] == [
        (22, "The knee hurts a lot."),
        (23, "Rest helps a bit."),
        (30, "A list item with no stop."),
        (31, "Another item."),
        (35, "Indented text counts."),
    ]
    assert result.words == 20


def test_a_hard_page_is_a_warning_naming_its_grade_and_longest_sentences() -> None:
    long_sentence = ("Individuals encountering impenetrable administrative formulations understandably "
                     "experience considerable comprehension difficulties")
    body = "\n".join([f"{long_sentence}, number {n}." for n in range(1, 10)] + ["Short.", "Tiny one here."])
    result = reading(body, first_line=7)
    assert result.words >= MIN_WORDS and result.too_hard
    assert [s.line for s in result.longest] == [7, 8, 9]
    # A short body gets a grade for the report but no warning: a few lines are too few to score.
    short = reading(f"{long_sentence}.", first_line=1)
    assert short.grade > 9 and not short.too_hard


# -- make report and /editorial/ ------------------------------------------------------------------

def test_report_rows_cover_every_page() -> None:
    report = rows(REAL)
    assert sorted(r.path for r in report) == sorted(REAL.reading)
    for row in report:
        assert row.grade == REAL.reading[row.path].grade
        assert row.citations == len(REAL.cited[row.path].references)
        assert row.days_overdue == (TODAY - row.review_due).days
    assert [r.review_due for r in report] == sorted(r.review_due for r in report)


def test_make_report_prints_the_table(tmp_path: Path) -> None:
    fixture_with_overdue_review(tmp_path)
    result = run_module("running_injuries.editors.report", "--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Page", "Reviewed", "Review", "due", "Overdue", "/", "due", "Citations", "Grade"]
    late = next(line for line in lines if line.startswith("content/conditions/late-review.md"))
    days = (TODAY - dt.date(2023, 1, 1)).days
    assert late.split()[1:3] == ["2020-01-01", "2023-01-01"]
    assert f"! {days:,} days overdue" in late
    fresh = next(line for line in lines if line.startswith("content/conditions/fresh-review.md"))
    assert f"in {(dt.date(2029, 11, 1) - TODAY).days:,} days" in fresh
    assert any(line.startswith("content/topics/aches.md") and line.split()[-2] == "1" for line in lines)
    assert "3 pages as of 2026-11-26: 1 overdue for review, 0 above reading grade 9, 2 conditions citing no source." in lines


def test_make_report_on_the_repository() -> None:
    result = subprocess.run(["make", "--silent", "--no-print-directory", "report"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(table(rows(REAL)).splitlines()[0])
    for path in REAL.reading:
        assert path in result.stdout


def test_editorial_page_lists_every_page(built_site: Path) -> None:
    html = page(built_site, "editorial/")
    body = html.select("table.ri-editorial tbody tr")
    report = rows(REAL)
    assert len(body) == len(report)
    for tr, row in zip(body, report):
        cells = [td.get_text(" ", strip=True) for td in tr.select("td")]
        assert tr.select_one("th a").get_text(strip=True) == row.title
        assert tr.select_one("th a")["href"] == f"../{row.url}"
        assert cells == [row.path, row.reviewed.isoformat(), row.review_due.isoformat(), row.due_words,
                         str(row.citations), f"{row.grade:.1f}"]


def test_editorial_page_is_hidden_from_search_engines_and_menus(built_site: Path) -> None:
    html = page(built_site, "editorial/")
    assert html.select_one('meta[name="robots"]')["content"] == "noindex"
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/editorial/" not in sitemap
    assert "/conditions/herniated-disc/" in sitemap, "the rest of the sitemap stays"
    assert gzip.decompress((built_site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap
    for url in ["", "back-pain/", "conditions/herniated-disc/", "about/"]:
        links = [a.get("href", "") for a in page(built_site, url).select("nav a, header a, footer a")]
        assert not any("editorial" in href for href in links), url
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not any(doc["location"].startswith("editorial/") for doc in index["docs"])


def test_editorial_page_marks_overdue_rows(overdue_site: Path) -> None:
    rows_html = page(overdue_site, "editorial/").select("table.ri-editorial tbody tr")
    assert rows_html[0].select_one("th").get_text(strip=True) == "Late review"
    assert "ri-editorial--overdue" in rows_html[0].get("class", [])
    assert rows_html[0].select_one("strong").get_text().endswith("days overdue")
    assert all("ri-editorial--overdue" not in tr.get("class", []) for tr in rows_html[1:])


def test_sitemap_filter_keeps_everything_else() -> None:
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
               "    <url>\n         <loc>https://example.org/a/</loc>\n         <lastmod>2026-11-26</lastmod>\n    </url>\n"
               "    <url>\n         <loc>https://example.org/editorial/</loc>\n         <lastmod>2026-11-26</lastmod>\n    </url>\n"
               "    <url>\n         <loc>https://example.org/b/editorial/</loc>\n    </url>\n"
               "</urlset>")
    assert without_unlisted_pages(sitemap, "https://example.org/") == sitemap.replace(
        "    <url>\n         <loc>https://example.org/editorial/</loc>\n         <lastmod>2026-11-26</lastmod>\n    </url>\n", "")


# -- links on each page ------------------------------------------------------------------------------

SOURCES = {
    **{f"conditions/{c}/": f"content/conditions/{c}.md" for c in REAL.site.conditions},
    **{f"{t}/": f"content/topics/{t}.md" for t in REAL.site.topics},
    **{f"symptoms/{s}/": "content/symptoms.yml" for s in REAL.site.symptoms},
    "about/": "docs/about.md",
    "": "docs/index.md",
}


@pytest.mark.parametrize("url", sorted(SOURCES))
def test_edit_this_page_goes_to_the_content_source(built_site: Path, url: str) -> None:
    html = page(built_site, url)
    expected = f"{REPOSITORY}/edit/main/{SOURCES[url]}"
    (ours,) = [a for a in html.select(".ri-page-actions a") if a.get_text(strip=True) == "Edit this page"]
    assert ours["href"] == expected
    assert [a["href"] for a in html.select("a.md-content__button")] == [expected], "the theme's edit button too"
    assert (ROOT / SOURCES[url]).is_file()


@pytest.mark.parametrize("url", sorted(SOURCES))
def test_report_a_problem_opens_a_prefilled_issue_naming_the_page(built_site: Path, url: str) -> None:
    html = page(built_site, url)
    (link,) = [a for a in html.select(".ri-page-actions a") if a.get_text(strip=True) == "Report a problem with this page"]
    parts = urlsplit(link["href"])
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{REPOSITORY}/issues/new"
    query = parse_qs(parts.query)
    (title,) = query["title"]
    assert title.startswith("Problem with page: ")
    if url not in ("", "about/"):  # a generated page is named by its heading, a hand-written one by its nav title
        assert title == "Problem with page: " + html.select_one("article h1").get_text(strip=True).rstrip("¶")
    canonical = html.select_one('link[rel="canonical"]')["href"]
    assert f"Page: {canonical}\n" in query["body"][0]
    assert f"Source file: {SOURCES[url]}\n" in query["body"][0]
    assert query["labels"] == ["content"]


def test_condition_page_links_point_at_the_condition_file(built_site: Path) -> None:
    for condition_id in REAL.site.conditions:
        html = soup(built_site / "conditions" / condition_id / "index.html")
        hrefs = [a["href"] for a in html.select(".ri-page-actions a")]
        assert hrefs[1] == f"{REPOSITORY}/edit/main/content/conditions/{condition_id}.md"
        assert "issues/new" in hrefs[0] and condition_id in parse_qs(urlsplit(hrefs[0]).query)["body"][0]
