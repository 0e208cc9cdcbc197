"""The pictures of where it hurts (templates/illustration.html.j2): on every condition page and the
topic hub of the real build, with a text alternative and a caption, the highlight its front-matter
asks for, under 6 KB gzip; and every highlight and region the model allows, rendered and kept
whole by the sanitizer."""

from __future__ import annotations

import gzip
import itertools
import re
from pathlib import Path
from typing import get_args

import pytest
from bs4 import BeautifulSoup

from conftest import page
from running_injuries.content.model import ILLUSTRATION_REGIONS, Illustration, IllustrationHighlight
from running_injuries.pages.render import template
from running_injuries.pages.sanitize import sanitize_html, sanitize_relinking
from site_pages import prepared_content

GZIP_BUDGET = 6 * 1024  # bytes of figure markup a page may cost, gzip -9
# What each highlight must draw, as classes of the SVG (the drawing's own vocabulary): all of them.
HIGHLIGHTED = {
    "muscle-strain": [".ri-fig__muscle.ri-fig__hl", ".ri-fig__ligament.ri-fig__hl"],
    "disc-bulge": [".ri-fig__disc--bulge.ri-fig__hl", ".ri-fig__nerve .ri-fig__hl"],
    "disc-wear": [".ri-fig__disc--worn.ri-fig__hl"],
    "stress-fracture": [".ri-fig__bone .ri-fig__hl", ".ri-fig__crack"],
}


def drawn(picture) -> set[str]:
    """The highlights a picture draws (any of their parts)."""
    return {name for name, selectors in HIGHLIGHTED.items() if any(picture.select(s) for s in selectors)}


def draws_all_of(picture, highlight: str) -> bool:
    return all(len(picture.select(s)) == 1 for s in HIGHLIGHTED[highlight])


_FIGURE_MARKUP = re.compile(r'<figure class="ri-figure.*?</figure>|<svg class="ri-card__picture.*?</svg>', re.S)


def figure_markup(html: str) -> str:
    """Every picture's markup of a built page: figures and the cards' small pictures."""
    return "".join(_FIGURE_MARKUP.findall(html))


def variants() -> list[Illustration]:
    """Every picture the model allows: each highlight with each of its regions, and with none."""
    return [Illustration(highlight=highlight, region=region)
            for highlight in get_args(IllustrationHighlight)
            for region in (None, *ILLUSTRATION_REGIONS[highlight])]


def render_figure(illustration: Illustration, title: str = "Fixture condition") -> BeautifulSoup:
    markup = template("illustration.html.j2").module.figure(illustration, "ri-figure", title)
    return BeautifulSoup(str(markup), "lxml")


def assert_text_alternative(figure, *, scope) -> tuple[str, str]:
    """The figure's svg is an image named by its <title> and described by its <desc>, both in the
    figure and not empty; its caption is not empty. Returns the title and description."""
    svg = figure.select_one("svg")
    assert svg["role"] == "img"
    title = scope.find(id=svg["aria-labelledby"])
    desc = scope.find(id=svg["aria-describedby"])
    assert title is not None and title.name == "title" and title.parent is svg
    assert desc is not None and desc.name == "desc" and desc.parent is svg
    assert title.get_text(strip=True) and desc.get_text(strip=True)
    assert figure.select_one("figcaption").get_text(strip=True)
    return title.get_text(" ", strip=True), desc.get_text(" ", strip=True)


# -- the real build ---------------------------------------------------------------------------------

def test_every_condition_has_a_picture() -> None:
    conditions = prepared_content().site.conditions
    assert conditions and all(c.meta.illustration for c in conditions.values()), \
        [cid for cid, c in conditions.items() if not c.meta.illustration]


def test_condition_pages_show_their_picture(built_site: Path) -> None:
    for cid, condition in prepared_content().site.conditions.items():
        wanted = condition.meta.illustration
        html = page(built_site, f"conditions/{cid}/")
        article = html.select_one("article")
        (figure,) = article.select("figure.ri-figure")
        title, desc = assert_text_alternative(figure, scope=html)
        assert condition.title in title
        assert f"ri-figure--{wanted.highlight}" in figure["class"]
        assert draws_all_of(figure, wanted.highlight), f"{cid}: {wanted.highlight} is not drawn once"
        assert drawn(figure) == {wanted.highlight}, f"{cid} draws {drawn(figure)}"
        caption = figure.select_one("figcaption").get_text(" ", strip=True)
        if wanted.region:  # the place the sources name, in words, for everyone
            place = " and ".join(wanted.region.split("-"))
            assert place in desc and place in caption, (desc, caption)
        elif wanted.highlight != "muscle-strain":  # drawn along the whole lower back
            assert "example" in caption, caption
        # After the summary, before the body's first section.
        summary, first_h2 = article.select_one(".ri-summary"), article.select_one("h2")
        order = list(article.descendants)
        assert order.index(summary) < order.index(figure) < order.index(first_h2)


def test_hub_shows_the_overview_and_each_cards_picture(built_site: Path) -> None:
    content = prepared_content().site
    for topic_id in content.topics:
        html = page(built_site, f"{topic_id}/")
        (overview,) = html.select("figure.ri-figure")
        assert "ri-figure--overview" in overview["class"]
        assert_text_alternative(overview, scope=html)
        assert not overview.select(".ri-fig__hl") and not drawn(overview), "the overview highlights nothing"
        labels = {t.get_text(" ", strip=True) for t in overview.select(".ri-fig__labels text")}
        assert {"Bone (vertebra)", "Disc", "Nerve root", "Ligament"} <= labels, labels
        conditions = content.conditions_of(topic_id)
        cards = html.select("li.ri-card")
        assert len(cards) == len(conditions)
        for card in cards:
            cid = card.select_one("a.ri-card__link")["href"].rstrip("/").rsplit("/", 1)[-1]
            picture = card.select_one("svg.ri-card__picture")
            assert picture is not None and picture["aria-hidden"] == "true", cid
            highlight = content.conditions[cid].meta.illustration.highlight
            assert draws_all_of(picture, highlight) and drawn(picture) == {highlight}, cid
            assert not picture.select("text, title"), "the card's own text names it"


def test_ids_are_unique_and_nothing_is_styled_inline(built_site: Path) -> None:
    urls = [f"conditions/{cid}/" for cid in prepared_content().site.conditions] + ["back-pain/"]
    for url in urls:
        html = page(built_site, url)
        ids = [tag["id"] for tag in html.select("[id]")]
        assert len(ids) == len(set(ids)), url
        for picture in html.select("figure.ri-figure, svg.ri-card__picture"):
            assert not picture.select("[style], style, script, use, image, foreignObject"), url


def test_pictures_cost_under_6_kb_gzip_per_page(built_site: Path) -> None:
    pages = sorted(built_site.glob("**/index.html"))
    measured = {}
    for path in pages:
        markup = figure_markup(path.read_text(encoding="utf-8"))
        if markup:
            measured[path.parent.relative_to(built_site).as_posix()] = len(gzip.compress(markup.encode(), 9))
    assert {f"conditions/{cid}" for cid in prepared_content().site.conditions} <= set(measured)
    assert "back-pain" in measured
    too_big = {url: size for url, size in measured.items() if size >= GZIP_BUDGET}
    assert not too_big, too_big


def test_the_embed_carries_the_same_picture(built_site: Path) -> None:
    for cid in prepared_content().site.conditions:
        on_page = figure_markup((built_site / f"conditions/{cid}/index.html").read_text(encoding="utf-8"))
        in_embed = figure_markup((built_site / f"embed/{cid}/index.html").read_text(encoding="utf-8"))
        # The same elements, attributes and text as a browser reads them (the embed's copy went
        # through the sanitizer again, which writes <path></path> for <path/>).
        assert on_page and str(BeautifulSoup(in_embed, "lxml")) == str(BeautifulSoup(on_page, "lxml"))


# -- every variant the model allows -----------------------------------------------------------------

@pytest.mark.parametrize("illustration", variants(), ids=lambda i: f"{i.highlight}-{i.region}")
def test_every_variant_renders_with_its_place_in_words(illustration: Illustration) -> None:
    html = render_figure(illustration)
    figure = html.select_one("figure")
    _, desc = assert_text_alternative(figure, scope=html)
    assert draws_all_of(figure, illustration.highlight) and drawn(figure) == {illustration.highlight}
    caption = figure.select_one("figcaption").get_text(" ", strip=True)
    if illustration.region:
        place = " and ".join(illustration.region.split("-"))
        assert place in desc and place in caption
        assert "example" not in caption
    elif illustration.highlight != "muscle-strain":
        assert "example" in caption


@pytest.mark.parametrize("illustration", variants(), ids=lambda i: f"{i.highlight}-{i.region}")
def test_the_sanitizer_keeps_every_variant_whole(illustration: Illustration) -> None:
    """Embeds and the API clean a page's HTML again (``sanitize_relinking``): the pictures survive."""
    markup = str(template("illustration.html.j2").module.figure(illustration, "ri-figure", "Fixture"))
    thumbnail = str(template("illustration.html.j2").module.thumbnail(illustration))
    for original in (markup, thumbnail):
        cleaned = sanitize_relinking(original, lambda url: url)

        def tags(html: str) -> list[tuple[str, tuple[tuple[str, str], ...], str]]:
            soup = BeautifulSoup(html, "html.parser")
            return [(t.name, tuple(sorted((k, " ".join(v) if isinstance(v, list) else v) for k, v in t.attrs.items())),
                     t.string or "") for t in soup.find_all(True)]

        assert tags(cleaned) == tags(original)


def test_editors_cannot_write_svg() -> None:
    """SVG is allowed in our templates' pictures only: in the editors' text, not even a paint that
    would load from another site survives."""
    written = '<p>x</p><svg viewBox="0 0 1 1"><rect fill="url(https://tracker.example/p.svg#a)" width="1"/></svg>'
    cleaned = sanitize_html(written)
    assert "<svg" not in cleaned and "<rect" not in cleaned and "tracker.example" not in cleaned
    assert "<p>x</p>" in cleaned


def test_overview_is_kept_whole_by_the_sanitizer() -> None:
    markup = str(template("illustration.html.j2").module.overview("ri-figure"))
    cleaned = sanitize_relinking(markup, lambda url: url)
    count = lambda html: sorted(t.name for t in BeautifulSoup(html, "html.parser").find_all(True))  # noqa: E731
    assert count(cleaned) == count(markup) and "viewBox" in cleaned


def test_rendering_is_deterministic() -> None:
    for illustration, _ in itertools.product(variants(), range(2)):
        assert str(render_figure(illustration)) == str(render_figure(illustration))
