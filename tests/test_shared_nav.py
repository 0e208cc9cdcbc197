"""``mkdocs_shared_nav``: pages outside the nav share one rendering of the navigation, and on
every page its links still lead where the home page's do."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from conftest import page
from mkdocs.utils import get_relative_url
from site_pages import built_pages

import mkdocs_shared_nav


def fake_nav(*urls: str) -> SimpleNamespace:
    """A Navigation-like object whose pages have these URLs (one in a section)."""
    pages = [SimpleNamespace(url=url, file=SimpleNamespace(src_uri=f"{url or 'index'}.md"), children=None)
             for url in urls]
    section = SimpleNamespace(url=None, children=pages[1:2], title="A section")
    return SimpleNamespace(pages=pages, items=[pages[0], section, *pages[2:]], homepage=pages[0])


def fake_page(url: str) -> SimpleNamespace:
    return SimpleNamespace(url=url, file=SimpleNamespace(src_uri=f"{url.rstrip('/')}.md"))


CONFIG = SimpleNamespace(extra={}, theme={"logo": "assets/logo.svg"})


def test_siblings_outside_the_nav_share_a_slot_and_nav_pages_render_their_own() -> None:
    shared = mkdocs_shared_nav.SharedNav(fake_nav("", "back-pain/", "compare/"), CONFIG)
    first, second = shared.slot(fake_page("conditions/a/")), shared.slot(fake_page("conditions/b/"))
    assert first is not None and second is not None
    assert first.html is None
    assert first.keep("<nav>shared</nav>") == "<nav>shared</nav>"
    assert second.html == "<nav>shared</nav>"
    # Another folder of the same depth writes the same relative links, but gets its own slot.
    assert shared.slot(fake_page("symptoms/ache/")).html is None
    assert shared.slot(fake_page("back-pain/")) is None  # in the nav (inside a section): its item is active
    assert shared.slot(fake_page("compare/")) is None


def test_a_page_that_the_nav_links_into_renders_its_own() -> None:
    # A link into conditions/a/ is written differently from conditions/a/ than from conditions/b/.
    shared = mkdocs_shared_nav.SharedNav(fake_nav("", "conditions/a/sub/"), CONFIG)
    assert shared.slot(fake_page("conditions/a/")) is None
    assert shared.slot(fake_page("conditions/b/")) is not None
    # The logo's folder counts as well: a link to assets/logo.svg is written "./logo.svg" from
    # assets/, but "../logo.svg" from each of assets/x/ and assets/y/.
    assert shared.slot(fake_page("assets/")) is None
    assert shared.slot(fake_page("assets/x/")) is not None


def test_urls_of_pages_as_files_share_by_their_folder() -> None:
    shared = mkdocs_shared_nav.SharedNav(fake_nav("index.html", "back-pain.html"), CONFIG)
    slot = shared.slot(fake_page("conditions/a.html"))
    assert slot is not None
    slot.keep("<nav/>")
    assert shared.slot(fake_page("conditions/b.html")).html == "<nav/>"
    assert shared.slot(fake_page("about.html")) is None  # at the top: no folder to share


def test_a_nav_link_above_the_site_turns_sharing_off() -> None:
    shared = mkdocs_shared_nav.SharedNav(fake_nav("", "../elsewhere/"), CONFIG)
    assert shared.slot(fake_page("conditions/a/")) is None


def nav_links(site: Path, url: str) -> list[tuple[str, str, bool]]:
    """(text, href, marked active) of each link in the page's primary navigation (the logo's
    too), but the links to the page's own headings (the active page's table of contents)."""
    nav = page(site, url).select_one("nav.md-nav--primary")
    assert nav is not None, f"/{url} has no primary navigation"
    return [(link.get_text(" ", strip=True), link["href"], "md-nav__link--active" in link.get("class", []))
            for link in nav.select("a[href]") if not link["href"].startswith("#")]


def test_every_page_navigation_leads_where_the_home_page_does(built_site: Path) -> None:
    # The home page renders its own navigation (it is in the nav); its links are relative to the top.
    home = [(text, "" if href == "." else href) for text, href, _ in nav_links(built_site, "")]
    assert len(home) >= 4
    pages = [url for url in built_pages(built_site) if not url.startswith("embed/")]  # embeds have no nav
    assert sum(url.startswith(("conditions/", "symptoms/")) for url in pages) >= 4
    for url in pages:
        links = nav_links(built_site, url)
        # MkDocs' own relative URL from this page, for each link: exactly what Material writes.
        assert [(text, href) for text, href, _ in links] == [(text, get_relative_url(path, url)) for text, path in home], url
        in_nav = any(path == url for _, path in home)
        assert any(active for *_, active in links) == in_nav, f"/{url}: an item is active if and only if it is in the nav"
