"""What clinics use beside the pages: embeds, cards, oEmbed, the JSON API and its schema, the feed.

All read from real builds (the real site, and a fixture site whose front-matter tries to inject
markup), with a real HTML parser, a real XML parser and a real JSON Schema validator.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import xml.etree.ElementTree as ET
from concurrent.futures import ProcessPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from conftest import ROOT, build_or_fail, fixture_condition, fixture_content, page, soup
from running_injuries.pipeline import prepare
from running_injuries.publish.publisher import _Files, absolute_links, dump_json, moved_links, start_publishing
from test_reproducible import tree
from running_injuries.pages.render import Renderer

from running_injuries.publish.sections import split_sections

PREPARED = prepare(ROOT / "content", ROOT, today=dt.date(2026, 11, 26))
CONDITIONS = sorted(PREPARED.site.conditions.values(), key=lambda c: c.id)
SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default site_url (SITE_URL is not set in tests)
SITE_NAME = "Running Injuries"
CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
       "base-uri 'none'; form-action 'none'")
ATOM = "{http://www.w3.org/2005/Atom}"


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def validator(site: Path, definition: str | None = None) -> Draft202012Validator:
    """The published schema, or one of its documents (``$defs``) as the root."""
    schema = load_json(site / "api/v1/schema.json")
    Draft202012Validator.check_schema(schema)
    if definition is not None:
        schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(schema)


def words(element) -> str:
    return " ".join(element.get_text(" ").split())


# --------------------------------------------------------------------------------------------
# Every condition has its documents


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.id)
def test_every_condition_has_embed_card_oembed_and_api(built_site: Path, condition) -> None:
    for path in (f"embed/{condition.id}/index.html", f"embed/{condition.id}/card/index.html",
                 f"oembed/{condition.id}.json", f"api/v1/conditions/{condition.id}.json"):
        assert (built_site / path).is_file(), path


def test_index_lists_every_condition(built_site: Path) -> None:
    index = load_json(built_site / "api/v1/conditions.json")
    assert [c["id"] for c in index["conditions"]] == [c.id for c in CONDITIONS]
    for entry, condition in zip(index["conditions"], CONDITIONS):
        meta = condition.meta
        assert entry == {
            "id": condition.id, "title": meta.title, "also_called": list(meta.also_called),
            "topic": meta.topic, "summary": meta.summary, "url": f"{SITE_URL}conditions/{condition.id}/",
            "api_url": f"{SITE_URL}api/v1/conditions/{condition.id}.json",
            "reviewed": meta.reviewed.isoformat(), "review_due": meta.next_review.isoformat(),
        }


def test_api_documents_validate_against_the_published_schema(built_site: Path) -> None:
    index = load_json(built_site / "api/v1/conditions.json")
    validator(built_site, "ConditionIndex").validate(index)
    validator(built_site).validate(index)
    for condition in CONDITIONS:
        document = load_json(built_site / f"api/v1/conditions/{condition.id}.json")
        validator(built_site, "ConditionDocument").validate(document)
        validator(built_site).validate(document)


def test_schema_rejects_what_the_documents_must_not_be(built_site: Path) -> None:
    document = load_json(built_site / f"api/v1/conditions/{CONDITIONS[0].id}.json")
    schema = validator(built_site, "ConditionDocument")
    for broken in ({**document, "unexpected": 1}, {k: v for k, v in document.items() if k != "reviewed"},
                   {**document, "symptoms": [{**document["symptoms"][0], "frequency": "always"}]},
                   {**document, "id": "Not A Slug"}):
        with pytest.raises(ValidationError):
            schema.validate(broken)
    with pytest.raises(ValidationError):
        validator(built_site, "ConditionIndex").validate(document)


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.id)
def test_condition_document_holds_the_structured_fields(built_site: Path, condition) -> None:
    meta = condition.meta
    document = load_json(built_site / f"api/v1/conditions/{condition.id}.json")
    assert document["title"] == meta.title
    assert document["summary"] == meta.summary
    assert document["also_called"] == list(meta.also_called)
    assert document["risk_factors"] == list(meta.risk_factors)
    assert document["recovery"] == meta.recovery
    assert document["onset"] == meta.onset
    assert document["see_a_clinician"] == list(meta.see_a_clinician)
    assert document["reviewed"] == meta.reviewed.isoformat()
    assert document["review_due"] == meta.next_review.isoformat()
    assert document["reviewed_by"] == meta.reviewed_by
    assert document["url"] == f"{SITE_URL}conditions/{condition.id}/"
    assert [(s["id"], s["label"], s["frequency"], s["note"]) for s in document["symptoms"]] == [
        (u.id, PREPARED.site.symptoms[u.id].label, u.frequency, u.note) for u in meta.symptoms]
    for symptom in document["symptoms"]:
        assert (built_site / urlsplit(symptom["url"]).path.lstrip("/") / "index.html").is_file()
    attribution = document["attribution"]
    assert attribution["licence"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert attribution["url"] == document["url"] and attribution["site_name"] == SITE_NAME
    assert SITE_NAME in attribution["text"] and long_date(meta.reviewed) in attribution["text"]


def test_related_conditions_are_listed_both_ways(built_site: Path) -> None:
    related = {c.id: [r["id"] for r in load_json(built_site / f"api/v1/conditions/{c.id}.json")["related"]]
               for c in CONDITIONS}
    assert any(related.values()), "the real content names related conditions"
    for condition in CONDITIONS:
        for other in condition.meta.related:
            assert other in related[condition.id] and condition.id in related[other]
        for other in related[condition.id]:
            assert condition.id in related[other]


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.id)
def test_references_carry_their_identifiers(built_site: Path, condition) -> None:
    document = load_json(built_site / f"api/v1/conditions/{condition.id}.json")
    cited = PREPARED.cited[condition.path].references
    assert [(r["number"], r["id"], r["text"]) for r in document["references"]] == [
        (c.number, c.reference.id, c.reference.text) for c in cited]
    for reference in document["references"]:
        source = PREPARED.bibliography.reference(reference["id"])
        assert reference["identifiers"] == {"doi": source.doi, "pmid": source.pmid, "pmcid": source.pmcid}
        links = BeautifulSoup(reference["html"], "lxml").select("a[href]")
        assert sorted(a["href"] for a in links) == sorted(v for v in reference["links"].values() if v)
        if source.pmid:
            assert reference["links"]["pubmed"] == f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/"


def test_taunton_reference_in_the_api(built_site: Path) -> None:
    document = load_json(built_site / "api/v1/conditions/herniated-disc.json")
    taunton = next(r for r in document["references"] if r["id"] == "taunton2002")
    assert taunton["text"].endswith("Br J Sports Med. 2002 Apr;36(2):95-101.")
    assert taunton["links"]["doi"] == "https://doi.org/10.1136/bjsm.36.2.95"


def _page_sections(html: BeautifulSoup) -> dict[str, str]:
    """The text of each h2 section of a built page, by heading id, up to the review dates."""
    sections: dict[str, str] = {}
    for heading in html.select("article h2[id]"):
        parts = []
        for sibling in heading.next_siblings:
            if getattr(sibling, "name", None) == "h2" or "ri-review-dates" in (getattr(sibling, "get", lambda *_: [])("class") or []):
                break
            parts.append(sibling.get_text(" ") if hasattr(sibling, "get_text") else str(sibling))
        sections[heading["id"]] = " ".join(" ".join(parts).split())
    return sections


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.id)
def test_sections_are_the_page_html_with_absolute_links(built_site: Path, condition) -> None:
    document = load_json(built_site / f"api/v1/conditions/{condition.id}.json")
    page_html = page(built_site, f"conditions/{condition.id}/")
    expected = _page_sections(page_html)
    assert [s["id"] for s in document["sections"]] == list(expected)
    page_links = {urljoin(document["url"], a["href"]) for a in page_html.select("article a[href]")}
    for section in document["sections"]:
        heading = page_html.select_one(f"article h2[id='{section['id']}']")
        assert section["heading"] == words(heading).rstrip("¶").strip()
        fragment = BeautifulSoup(section["html"], "lxml")
        assert words(fragment) == expected[section["id"]]
        for link in fragment.select("[href], [src]"):
            url = link.get("href") or link.get("src")
            assert urlsplit(url).scheme in ("http", "https", "mailto"), url
            assert url in page_links, f"{url} is not a link of the page"
    lead = BeautifulSoup(document["lead_html"], "lxml")
    assert words(lead.select_one(".ri-summary")) == condition.meta.summary
    assert not lead.select("h1, h2")


def test_json_is_stable_readable_and_utf8(built_site: Path) -> None:
    files = [built_site / "api/v1/conditions.json", built_site / "api/v1/schema.json",
             *sorted((built_site / "api/v1/conditions").glob("*.json")), *sorted((built_site / "oembed").glob("*.json"))]
    assert len(files) == 2 + 2 * len(CONDITIONS)
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, indent=2) + "\n", path


@pytest.mark.parametrize("data", [
    {"text": "control \x00\x01\x1f\x7f\b\f\n\r\t, quotes \" \\ /, </script>, \u2028\u2029 é 😀"},
    {"b": {}, "a": [], "n": None, "t": True, "f": False, "i": -(2**63), "x": 1.5, "y": 0.1, "z": 1e16},
    {"z": [{"y": 1, "x": [2, [], {}]}], "a": "b"},
    {"beyond 64 bits": 2**64},  # orjson refuses it: the standard library writes it
    [], {}, "plain", 3,
], ids=["strings", "scalars", "nested", "big-int", "empty-list", "empty-object", "string", "number"])
def test_dump_json_writes_what_the_standard_library_writes(data) -> None:
    assert dump_json(data) == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def test_files_are_written_as_utf8_text_unchanged_and_replace_what_was_there(tmp_path: Path) -> None:
    files = _Files(tmp_path / "site")
    files.write("a/b/c.json", "first, longer text\n" * 100)
    files.write("a/b/c.json", "Crème\r\nbrûlée\n")  # shorter: nothing of the first is left
    files.write("a/d.html", "")
    assert (tmp_path / "site/a/b/c.json").read_bytes() == "Crème\r\nbrûlée\n".encode("utf-8")
    assert (tmp_path / "site/a/d.html").read_bytes() == b""
    # The mode a text-mode open() gives a new file: 0o666 less the umask.
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "site/a/d.html").stat().st_mode & 0o777 == 0o666 & ~umask


# --------------------------------------------------------------------------------------------
# oEmbed


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.id)
def test_oembed_response(built_site: Path, condition) -> None:
    data = load_json(built_site / f"oembed/{condition.id}.json")
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert data["title"] == condition.meta.title
    assert data["provider_name"] == SITE_NAME and data["provider_url"] == SITE_URL
    assert isinstance(data["cache_age"], int) and data["cache_age"] > 0
    iframes = BeautifulSoup(data["html"], "lxml").select("iframe")
    assert len(iframes) == 1 and not BeautifulSoup(data["html"], "lxml").select("script")
    iframe = iframes[0]
    assert iframe["src"] == f"{SITE_URL}embed/{condition.id}/"
    assert (built_site / urlsplit(iframe["src"]).path.lstrip("/") / "index.html").is_file()
    assert int(iframe["width"]) == data["width"] > 0 and int(iframe["height"]) == data["height"] > 0
    assert condition.meta.title in iframe["title"]


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.id)
def test_condition_page_links_its_oembed_and_embed_snippet(built_site: Path, condition) -> None:
    html = page(built_site, f"conditions/{condition.id}/")
    discovery = html.select_one('link[rel="alternate"][type="application/json+oembed"]')
    assert discovery["href"] == f"{SITE_URL}oembed/{condition.id}.json"
    assert (built_site / urlsplit(discovery["href"]).path.lstrip("/")).is_file()
    snippet = BeautifulSoup(html.select_one(".ri-embed-box pre code").get_text(), "lxml")
    assert snippet.select_one("div")["data-running-injuries"] == condition.id
    script = snippet.select_one("script")
    assert script["src"] == f"{SITE_URL}embed.js" and script.has_attr("async")


def test_for_clinics_gives_full_addresses_that_work_on_a_clinics_site(built_site: Path) -> None:
    """What clinics copy from /for-clinics/ must work on their own sites: the snippet, the embeds'
    addresses, the API, oEmbed and the feed carry this site's address, as the condition pages'
    embed boxes do (docs/for-clinics.md writes ``{{ site_url }}``)."""
    html = page(built_site, "for-clinics/")
    assert "site_url" not in html.get_text()
    snippet = BeautifulSoup(html.select_one("pre code").get_text(), "lxml")
    assert snippet.select_one("script")["src"] == f"{SITE_URL}embed.js"
    addresses = [code.get_text() for code in html.select("li code, p code") if "/" in code.get_text()]
    assert {"embed/<id>/", "embed/<id>/card/", "api/v1/conditions.json", "api/v1/schema.json",
            "oembed/<id>.json", "feed.xml"} <= {a.removeprefix(SITE_URL) for a in addresses}
    assert all(a.startswith(SITE_URL) for a in addresses), addresses
    for address in addresses:
        path = address.removeprefix(SITE_URL).replace("<id>", CONDITIONS[0].id)
        assert (built_site / path / ("index.html" if path.endswith("/") else "")).is_file(), address


# --------------------------------------------------------------------------------------------
# Embed pages


def _check_embed_frame(html: BeautifulSoup, condition, variant: str) -> None:
    meta = condition.meta
    canonical = f"{SITE_URL}conditions/{condition.id}/"
    root = html.select_one("html")
    assert root["data-embed-id"] == condition.id and root["data-embed-variant"] == variant
    assert [link["href"] for link in html.select('link[rel="canonical"]')] == [canonical]
    assert html.select_one('meta[name="robots"]')["content"] == "noindex"
    assert html.select_one('meta[http-equiv="Content-Security-Policy"]')["content"] == CSP
    assert html.select_one('meta[name="viewport"]')["content"].startswith("width=device-width")
    # No site chrome: none of Material's header, navigation, search or footer.
    assert not html.select("header, nav, .md-header, .md-sidebar, .md-search, .md-footer, form")
    # Own CSS and script only, from this site, by relative URL.
    assert [link["href"].rsplit("/", 1)[-1] for link in html.select('link[rel="stylesheet"]')] == ["embed.css"]
    scripts = html.select("script")
    assert [s["src"].rsplit("/", 1)[-1] for s in scripts] == ["embed-frame.js"]
    assert all(not s.get_text().strip() for s in scripts), "no inline script"
    assert not html.select("[style], style")
    for element in html.select("link[href], script[src], img[src]"):
        url = element.get("href") or element.get("src")
        assert element.name == "link" and element["rel"] == ["canonical"] or not urlsplit(url).netloc, url
    footer = html.select_one("footer.ri-embed__footer")
    attribution = footer.select_one(".ri-attribution a")
    assert attribution.get_text() == SITE_NAME and attribution["href"] == canonical
    dates = words(footer.select_one(".ri-review-dates"))
    assert dates.startswith(f"Reviewed {long_date(meta.reviewed)}")
    assert dates.endswith(f"Next review due {long_date(meta.next_review)}")
    assert "not a diagnosis" in words(footer.select_one(".ri-disclaimer"))


def _resolved(base: str, html: BeautifulSoup, selector: str) -> list[str]:
    return [urljoin(base, a["href"]) for a in html.select(selector) if not a["href"].startswith("#")]


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.id)
def test_full_embed_is_the_page_content_without_chrome(built_site: Path, condition) -> None:
    embed = page(built_site, f"embed/{condition.id}/")
    _check_embed_frame(embed, condition, "full")
    content = embed.select_one("main .ri-embed__content")
    article = page(built_site, f"conditions/{condition.id}/").select_one("article")
    for extra in article.select(".ri-embed-box, .ri-disclaimer, .ri-page-actions, .ri-print-footer, .md-content__button"):
        extra.decompose()  # what the theme adds around the content
    assert words(content) == words(article)
    # Relative links resolve to the same addresses as on the page, and every one exists.
    site = "http://site.test/"
    from_embed = _resolved(f"{site}embed/{condition.id}/", content, "a[href]")
    from_page = _resolved(f"{site}conditions/{condition.id}/", article, "a[href]")
    assert from_embed == from_page and from_embed
    for url in from_embed:
        if url.startswith(site):
            path = urlsplit(url).path.lstrip("/")
            assert (built_site / path / "index.html").is_file() or (built_site / path).is_file(), url


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.id)
def test_card(built_site: Path, condition) -> None:
    meta = condition.meta
    card = page(built_site, f"embed/{condition.id}/card/")
    _check_embed_frame(card, condition, "card")
    body = card.select_one("main .ri-card")
    assert words(body.select_one("h1")) == meta.title
    assert words(body.select_one(".ri-summary")) == meta.summary
    items = body.select(".ri-symptom-list > li")
    assert len(items) == len(meta.symptoms)
    for item, use in zip(items, meta.symptoms):
        text = words(item)
        assert text.startswith(f"{PREPARED.site.symptoms[use.id].label} ({use.frequency.capitalize()})")
        assert (use.note or "") in text
    assert [words(li) for li in body.select(".ri-see-a-clinician li")] == list(meta.see_a_clinician)
    more = body.select_one("a.ri-card__more")
    assert words(more) == "Read the full page" and more["href"] == f"{SITE_URL}conditions/{condition.id}/"


def test_embed_assets_are_published(built_site: Path) -> None:
    assets = ROOT / "hooks/running_injuries/assets"
    for source, target in (("embed.js", "embed.js"), ("embed-frame.js", "assets/embed-frame.js"),
                           ("embed.css", "assets/embed.css")):
        assert (built_site / target).read_bytes() == (assets / source).read_bytes()
    embed = page(built_site, f"embed/{CONDITIONS[0].id}/")
    for element in embed.select('link[rel="stylesheet"], script[src]'):
        url = urljoin(f"{SITE_URL}embed/{CONDITIONS[0].id}/", element.get("href") or element["src"])
        assert (built_site / urlsplit(url).path.lstrip("/")).is_file(), url


def test_sitemap_lists_no_embed_or_api(built_site: Path) -> None:
    sitemap = ET.parse(built_site / "sitemap.xml").getroot()
    locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"{SITE_URL}conditions/{CONDITIONS[0].id}/" in locations
    assert not [loc for loc in locations if "/embed/" in loc or "/api/" in loc or "/oembed/" in loc]


# --------------------------------------------------------------------------------------------
# The feed


def test_feed_has_an_entry_per_condition_dated_by_review(built_site: Path) -> None:
    feed = ET.parse(built_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = {e.findtext(f"{ATOM}id"): e for e in feed.findall(f"{ATOM}entry")}
    assert sorted(entries) == sorted(f"{SITE_URL}conditions/{c.id}/" for c in CONDITIONS)
    for condition in CONDITIONS:
        entry = entries[f"{SITE_URL}conditions/{condition.id}/"]
        assert entry.findtext(f"{ATOM}title") == condition.meta.title
        assert entry.findtext(f"{ATOM}updated") == f"{condition.meta.reviewed.isoformat()}T00:00:00Z"
        assert entry.find(f"{ATOM}link[@rel='alternate'][@type='text/html']").get("href") == entry.findtext(f"{ATOM}id")
    latest = max(c.meta.reviewed for c in CONDITIONS)
    assert feed.findtext(f"{ATOM}updated") == f"{latest.isoformat()}T00:00:00Z"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE_URL}feed.xml"
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == SITE_NAME


# --------------------------------------------------------------------------------------------
# Nothing in front-matter becomes markup

ATTACK = '<script>alert(1)</script> "quoted"'
TITLE = f"Fixture {ATTACK}"


@pytest.fixture(scope="module")
def attack_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A test fixture site whose front-matter strings carry markup and quotes."""
    root = tmp_path_factory.mktemp("attack")
    extra = "\n".join([
        f"also_called: ['Alias {ATTACK}']",
        f"risk_factors: ['Risk {ATTACK}']",
        f"recovery: 'Recovery {ATTACK}'",
        f"reviewed_by: 'Reviewer {ATTACK}'",
    ])
    content = fixture_content(root / "content", {
        "fixture-attack": fixture_condition(TITLE, [("ache", "common"), ("sting", "occasional")],
                                             related=["fixture-plain"], extra=extra),
        "fixture-plain": fixture_condition("Fixture plain", [("ache", "occasional"), ("throb", "common")]),
    })
    return build_or_fail(root / "site", content_dir=content)


def _no_injected_script(path: Path) -> BeautifulSoup:
    text = path.read_text(encoding="utf-8")
    html = soup(path)
    assert not [s for s in html.select("script") if "alert" in s.get_text() or "alert" in str(s.get("src"))]
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    return html


def test_front_matter_markup_is_escaped_in_embed_and_card(attack_site: Path) -> None:
    embed = _no_injected_script(attack_site / "embed/fixture-attack/index.html")
    assert words(embed.select_one(".ri-embed__content h1")) == TITLE
    assert embed.select_one("title").get_text() == f"{TITLE} | {SITE_NAME}"
    assert embed.select_one('meta[name="description"]')["content"] == f"{TITLE} is a test fixture."
    assert f"Reviewer {ATTACK}" in words(embed.select_one(".ri-embed__footer .ri-review-dates"))
    card = _no_injected_script(attack_site / "embed/fixture-attack/card/index.html")
    assert words(card.select_one(".ri-card h1")) == TITLE
    assert words(card.select_one(".ri-also-called")) == f"Also called: Alias {ATTACK}"


def test_front_matter_markup_is_escaped_in_api_and_oembed(attack_site: Path) -> None:
    document = load_json(attack_site / "api/v1/conditions/fixture-attack.json")
    validator(attack_site, "ConditionDocument").validate(document)
    assert document["title"] == TITLE
    assert document["summary"] == f"{TITLE} is a test fixture."
    assert document["also_called"] == [f"Alias {ATTACK}"]
    assert document["risk_factors"] == [f"Risk {ATTACK}"]
    assert document["recovery"] == f"Recovery {ATTACK}"
    assert document["reviewed_by"] == f"Reviewer {ATTACK}"
    html_fields = [document["lead_html"], *(s["html"] for s in document["sections"])]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in field for field in html_fields)
    for field in html_fields:
        assert "<script" not in field
        assert not BeautifulSoup(field, "lxml").select("script")
    plain = load_json(attack_site / "api/v1/conditions/fixture-plain.json")
    assert [(r["id"], r["title"]) for r in plain["related"]] == [("fixture-attack", TITLE)]

    index = load_json(attack_site / "api/v1/conditions.json")
    validator(attack_site, "ConditionIndex").validate(index)
    assert {c["id"]: c["title"] for c in index["conditions"]}["fixture-attack"] == TITLE

    oembed = load_json(attack_site / "oembed/fixture-attack.json")
    assert oembed["title"] == TITLE
    assert "<script" not in oembed["html"]
    fragment = BeautifulSoup(oembed["html"], "lxml")
    assert not fragment.select("script") and len(fragment.select("iframe")) == 1
    assert fragment.select_one("iframe")["title"] == f"{TITLE} | {SITE_NAME}"


def test_front_matter_markup_is_escaped_in_the_feed(attack_site: Path) -> None:
    feed = ET.parse(attack_site / "feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert TITLE in titles
    assert "<script>" not in (attack_site / "feed.xml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------
# A condition without a rendered page


def test_a_condition_without_a_rendered_page_is_a_warning_and_has_no_embed(tmp_path: Path) -> None:
    generated = {page.src_uri: page for page in Renderer(PREPARED).pages()}
    html = {f"conditions/{c.id}.md": f'<h1 id="{c.id}">{c.title}</h1><p>Lead.</p><h2 id="a">A</h2><p>One.</p>'
            for c in CONDITIONS[1:]}  # the first condition has no page: a warning, and no embed
    warnings = start_publishing(PREPARED, html, generated, tmp_path, site_url=SITE_URL, site_name=SITE_NAME)()
    assert warnings == [f"No rendered page for condition '{CONDITIONS[0].id}': its embed and API document were not written"]
    assert not (tmp_path / "embed" / CONDITIONS[0].id / "index.html").exists()
    assert (tmp_path / "embed" / CONDITIONS[0].id / "card" / "index.html").exists()
    assert (tmp_path / "embed" / CONDITIONS[1].id / "index.html").exists()


def test_a_worker_process_writes_what_the_build_writes_alone(tmp_path: Path) -> None:
    """The build writes the conditions' files in a process pool (the second core): the same files."""
    generated = {page.src_uri: page for page in Renderer(PREPARED).pages()}
    html = {f"conditions/{c.id}.md": f'<h1 id="{c.id}">{c.title}</h1><p>Lead.</p><h2 id="a">A</h2><p>One.</p>'
            for c in CONDITIONS}
    alone = start_publishing(PREPARED, html, generated, tmp_path / "alone", site_url=SITE_URL, site_name=SITE_NAME)()
    with ProcessPoolExecutor(max_workers=1) as pool:
        finish = start_publishing(PREPARED, html, generated, tmp_path / "pool", site_url=SITE_URL,
                                  site_name=SITE_NAME, executor=pool)
        assert finish() == alone == []
    assert tree(tmp_path / "pool") == tree(tmp_path / "alone")
    assert len(tree(tmp_path / "alone")) > 4 * len(CONDITIONS)


# --------------------------------------------------------------------------------------------
# Splitting sections (the pure core)


def test_split_sections_cuts_at_top_level_h2_only() -> None:
    html = ('<h1 id="t">Title</h1>\n<p class="ri-summary">Lead &amp; more</p>\n'
            '<h2 id="a">First<a class="headerlink" href="#a">¶</a></h2>\n<p>One</p>'
            '<div><h2 id="inner">Nested</h2><p>Two</p></div>\n'
            '<h2 id="b">Second <em>part</em></h2>\n<ul><li>Three<br>3</li></ul>\n'
            '<p class="ri-review-dates">Reviewed</p>')
    split = split_sections(html)
    assert split.lead == '<p class="ri-summary">Lead &amp; more</p>'
    assert [(s.id, s.heading) for s in split.sections] == [("a", "First"), ("b", "Second part")]
    assert split.sections[0].html == '<p>One</p><div><h2 id="inner">Nested</h2><p>Two</p></div>'
    assert split.sections[1].html == "<ul><li>Three<br>3</li></ul>"


def test_split_sections_reads_tags_as_a_browser_would() -> None:
    """Tags in comments, scripts and quoted values are not tags; void and self-closing elements
    open no level; a review-dates line before the last heading does not end the page."""
    html = ('<h1>T</h1><p class="ri-review-dates">Early</p><!-- <div> --><script>"<div>"</script>'
            '<p title="<div>">L<br></br><img src="x"/><span/></p>'
            '<h2 id="a">A &amp; <a class="headerlink" href="#a"><span>¶</span></a>B</h2><p>One</p>'
            '<section><h2 id="deep">D</h2></section><H2 ID="b">C</H2><p>Two</p>')
    split = split_sections(html)
    assert split.lead.startswith('<p class="ri-review-dates">Early</p>') and split.lead.endswith("<span/></p>")
    assert [(s.id, s.heading) for s in split.sections] == [("a", "A & B"), ("b", "C")]
    assert split.sections[0].html == '<p>One</p><section><h2 id="deep">D</h2></section>'
    assert split.sections[1].html == "<p>Two</p>"
    # A script's text runs to its own end tag: "</style><h2>" inside it is text.
    assert split_sections('<p>L</p><script>"</style><h2 id=x>X</h2>"</script>').sections == ()


class _HeadingParser(HTMLParser):
    """The standard library's reading of a heading: its text, outside the permalink anchor."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_headerlink = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_headerlink or (tag == "a" and "headerlink" in (dict(attrs).get("class") or "").split()):
            self.in_headerlink += 1

    def handle_endtag(self, tag: str) -> None:
        self.in_headerlink -= 1 if self.in_headerlink else 0

    def handle_data(self, data: str) -> None:
        if not self.in_headerlink:
            self.text.append(data)


@pytest.mark.parametrize("inner", [
    'What it is<a class="headerlink" href="#what-it-is" title="Permanent link">¶</a>',
    '  Sprains &amp; strains\n &lt;b&gt; &#169;<a class="headerlink" href="#s" title="Permanent link">&para;</a>',
    'Plain, no link',
    '<em>Not</em> plain<a class="headerlink" href="#n" title="Permanent link">¶</a>',
    'A <abbr title="x &gt; y">B</abbr> &amp; <a class="headerlink" href="#a"><span>¶</span></a>C',
])
def test_a_heading_reads_as_the_parser_reads_it(inner: str) -> None:
    """A section's heading is its text without Markdown's permalink sign, as html.parser reads it."""
    from running_injuries.publish.sections import _heading_text

    parser = _HeadingParser()
    parser.feed(inner)
    parser.close()
    assert _heading_text(inner) == " ".join("".join(parser.text).split())


def test_split_sections_without_headings() -> None:
    split = split_sections("<p>Only a lead</p>")
    assert split.lead == "<p>Only a lead</p>" and split.sections == ()


def test_moved_links_reach_the_same_targets_from_the_embed() -> None:
    html = ('<p><a href="../other/">sibling</a> <a href="../../symptoms/ache/#x">symptom</a> '
            '<a href="#ref-a">marker</a> <a href="../../">home</a> <a href="https://doi.org/10.1/x">doi</a>'
            '<img src="../../assets/a.png" alt=""><a href="javascript:alert(1)">bad</a></p>')
    page_url = "https://example.org/conditions/this/"
    moved = BeautifulSoup(moved_links(absolute_links(html, page_url), page_url, "https://example.org/", "embed/this/"), "lxml")
    assert [a.get("href") for a in moved.select("a")] == [
        "../../conditions/other/", "../../symptoms/ache/#x", "#ref-a", "../../", "https://doi.org/10.1/x", None]
    assert moved.select_one("img")["src"] == "../../assets/a.png"
    absolute = BeautifulSoup(absolute_links(html, "https://example.org/conditions/this/"), "lxml")
    assert [a.get("href") for a in absolute.select("a")][:4] == [
        "https://example.org/conditions/other/", "https://example.org/symptoms/ache/#x",
        "https://example.org/conditions/this/#ref-a", "https://example.org/"]


@pytest.mark.parametrize(("path", "taken"), [
    ("embed.js", True), ("feed.xml", True), ("assets/embed.css", True), ("assets/embed-frame.js", True),
    ("embed/x/index.html", True), ("api/v1/conditions.json", True), ("oembed/x.json", True),
    ("assets/site.css", False), ("embedding/index.html", False), ("about/index.html", False), ("feed.xml.bak", False),
])
def test_reserved_addresses(path: str, taken: bool) -> None:
    from running_injuries.publish.publisher import reserved

    assert reserved(path) is taken
