"""Findable: every page's description, canonical URL and Open Graph tags; the sitemap; and the
JSON-LD of condition pages read back with a JSON-LD extractor and checked against the content."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import extruct
import pytest

from conftest import FIXED_EPOCH, ROOT, page
from running_injuries.pipeline import Prepared
from site_pages import built_pages, page_kinds, prepared_content, public_pages

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def site_url() -> str:
    from mkdocs.config import load_config

    url = load_config(str(ROOT / "mkdocs.yml")).site_url
    assert url and url.endswith("/")
    return url


@pytest.fixture(scope="module")
def prepared() -> Prepared:
    return prepared_content()


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_public_page_has_description_canonical_and_open_graph(built_site: Path, site_url: str, prepared):
    urls = public_pages(built_site)
    for kind, url in page_kinds(built_site).items():
        assert url in urls or kind in ("embed", "card"), f"the {kind} page /{url} is not a public page"
    content = prepared.site
    for url in urls:
        tree = page(built_site, url)
        descriptions = tree.select('meta[name="description"]')
        assert len(descriptions) == 1, f"/{url}: {len(descriptions)} meta descriptions"
        description = descriptions[0].get("content", "").strip()
        assert len(description) >= 20, f"/{url}: meta description {description!r}"
        canonical = tree.select('link[rel="canonical"]')
        assert [c["href"] for c in canonical] == [site_url + url], f"/{url}: canonical {canonical}"
        og = {m["property"]: m.get("content", "") for m in tree.select("meta[property^='og:']")}
        assert og.get("og:title", "").strip(), f"/{url}: no og:title"
        assert og.get("og:description") == description, f"/{url}: og:description differs from the description"
        assert og.get("og:url", site_url + url) == site_url + url
        title = tree.title.get_text(strip=True)
        assert title, f"/{url}: no <title>"
        assert not tree.select('meta[name="robots"][content*="noindex"]'), f"/{url}: public page marked noindex"

        # Content pages: the description is the summary the editors wrote.
        parts = url.strip("/").split("/")
        if parts[0] == "conditions" and len(parts) == 2:
            assert description == words(content.conditions[parts[1]].meta.summary), url
        elif parts[0] == "symptoms" and len(parts) == 2:
            assert description == words(content.symptoms[parts[1]].meta.description), url
        elif len(parts) == 1 and parts[0] in content.topics:
            assert description == words(content.topics[parts[0]].meta.summary), url
    described = [page(built_site, u).select_one('meta[name="description"]')["content"] for u in urls]
    repeated = {d for d in described if described.count(d) > 1}
    assert not repeated, f"pages share a meta description: {repeated}"


def test_sitemap_lists_every_public_page_and_nothing_else(built_site: Path, site_url: str):
    tree = ET.parse(built_site / "sitemap.xml")
    locs = [loc.text.strip() for loc in tree.getroot().findall("s:url/s:loc", SITEMAP_NS)]
    assert len(locs) == len(set(locs)), "a page is listed twice"
    assert sorted(locs) == sorted(site_url + u for u in public_pages(built_site))
    assert not [loc for loc in locs if "/embed/" in loc]
    built_on = dt.datetime.fromtimestamp(int(FIXED_EPOCH), tz=dt.timezone.utc).date().isoformat()
    lastmods = {m.text.strip() for m in tree.getroot().findall("s:url/s:lastmod", SITEMAP_NS)}
    assert lastmods <= {built_on}, f"sitemap dates should come from SOURCE_DATE_EPOCH: {lastmods}"


def test_pages_left_out_of_the_sitemap_ask_not_to_be_indexed(built_site: Path):
    public = set(public_pages(built_site))
    hidden = [url for url in built_pages(built_site) if url not in public]
    assert hidden or not (built_site / "embed").is_dir()
    for url in hidden:
        robots = page(built_site, url).select('meta[name="robots"]')
        assert robots and "noindex" in robots[0]["content"], f"/{url} is not in the sitemap but may be indexed"


# -- JSON-LD --------------------------------------------------------------------------------------

def json_ld(built_site: Path, url: str, site_url: str) -> list[dict]:
    html = (built_site / url / "index.html").read_text(encoding="utf-8")
    return extruct.extract(html, base_url=site_url + url, syntaxes=["json-ld"], uniform=False)["json-ld"]


def names(items: list[dict], type_: str) -> list[str]:
    assert all(item.get("@type") == type_ for item in items), items
    return [item["name"] for item in items]


def test_condition_pages_carry_medical_json_ld_that_matches_the_content(built_site: Path, site_url: str, prepared):
    content = prepared.site
    assert content.conditions
    for condition in content.conditions.values():
        url = f"conditions/{condition.id}/"
        meta = condition.meta
        found = json_ld(built_site, url, site_url)
        pages = [d for d in found if d.get("@type") == "MedicalWebPage"]
        assert len(pages) == 1, f"/{url}: {len(pages)} MedicalWebPage items in {found}"
        web_page = pages[0]
        assert web_page["@context"] in ("https://schema.org", "https://schema.org/")
        assert web_page["url"] == site_url + url
        assert web_page["name"] == meta.title
        assert web_page["lastReviewed"] == meta.reviewed.isoformat()
        if meta.reviewed_by:
            assert web_page["reviewedBy"]["name"] == meta.reviewed_by
        else:
            assert "reviewedBy" not in web_page

        about = web_page["about"]
        assert about["@type"] == "MedicalCondition"
        assert about["name"] == meta.title
        assert about["description"] == meta.summary
        assert about.get("alternateName", []) == list(meta.also_called)
        assert names(about["signOrSymptom"], "MedicalSymptom") == [content.symptoms[s.id].label for s in meta.symptoms]
        assert names(about.get("riskFactor", []), "MedicalRiskFactor") == list(meta.risk_factors)
        # The content model has no anatomy field, so nothing is claimed about it.
        assert "associatedAnatomy" not in about

        # citation: the page's own references, in the order of its reference list, with their links.
        tree = page(built_site, url)
        listed = tree.select("ol.references > li")
        cited = [r.reference.id for r in prepared.cited[condition.path].references]
        assert [li["id"] for li in listed] == [f"ref-{key}" for key in cited]
        citations = web_page.get("citation", [])
        assert len(citations) == len(listed), f"/{url}: {len(citations)} citations, {len(listed)} references"
        for item, li in zip(citations, listed):
            assert item["@type"] == "ScholarlyArticle"
            reference_text = words(li.select_one(".reference").get_text())
            assert reference_text.startswith(words(item["name"])), (item["name"], reference_text)
            links = [a["href"] for a in li.select("a.reference-link")]
            # sameAs is a set of addresses: its order need not follow the reference list's links.
            assert sorted(item.get("sameAs", [])) == sorted(links)


def test_only_condition_pages_claim_to_be_medical_pages(built_site: Path, site_url: str):
    for url in public_pages(built_site):
        types = {d.get("@type") for d in json_ld(built_site, url, site_url)}
        if url.startswith("conditions/"):
            assert "MedicalWebPage" in types
        else:
            assert "MedicalWebPage" not in types, f"/{url}"


def test_robots_txt_allows_crawling_and_names_the_sitemap(built_site: Path, site_url: str):
    lines = [line.strip() for line in (built_site / "robots.txt").read_text(encoding="utf-8").splitlines()]
    assert "User-agent: *" in lines
    assert not [line for line in lines if line.startswith("Disallow:") and line != "Disallow:"]
    assert f"Sitemap: {site_url}sitemap.xml" in lines
