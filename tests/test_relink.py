"""``relink``: the links of sanitized HTML moved by one regular expression give exactly what the
sanitizer's own rewriting (nh3 ``url_relative``) gives, which ``relink`` falls back to."""

from __future__ import annotations

import random

import pytest

from running_injuries.publish import publisher as publish
from running_injuries.publish import relink as relink_module
from running_injuries.publish.publisher import absolute_links, moved_links
from running_injuries.pages.sanitize import sanitize_html, sanitize_relinking

BASE = "https://example.org/conditions/x/"


def moved_by_sanitizer(html: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """moved_links as it was: every URL through nh3's callback."""
    with monkeypatch.context() as patch:
        patch.setattr(publish, "relink", lambda page, rewrite, fallback: sanitize_relinking(page, fallback))
        return moved_links(html, "conditions/x/", "embed/x/")


def check_same(html: str, monkeypatch: pytest.MonkeyPatch, base: str = BASE) -> None:
    assert absolute_links(html, base) == sanitize_relinking(html, ("rewrite_with_base", base))
    assert moved_links(html, "conditions/x/", "embed/x/") == moved_by_sanitizer(html, monkeypatch)


@pytest.mark.parametrize("markup", [
    '<p>See <a href="../y/">y</a>, <a href="../../symptoms/z/">z</a> and <a href="#cite-k-1">1</a>.</p>',
    '<p><a title="a > b" class="c" href="../y/?q=1#f">x</a><img alt="<a href=x>" src="../../assets/i.png"></p>',
    '<p>text that says href="../y/" and &lt;a href="../y/"&gt; is text</p><abbr title="t">T</abbr>',
    '<p><a href="https://other.example/a">out</a> <a href="mailto:a@b.org">mail</a> <a href="">here</a></p>',
    '<p><a href="../y/"><img alt="" src="../y/i.png"></a><a\nhref="../w/">w</a></p>',
    '<p><a href="caf\u00e9/">accent</a> <a href="a b/">space</a> <a href="//host/x">host</a></p>',  # fallback
    '<p><a href="#cite-a:b/c.d-1">key with a colon</a> <a href="../y/#it\'s">quote</a></p>',
])
def test_pages(markup: str, monkeypatch: pytest.MonkeyPatch) -> None:
    check_same(sanitize_html(markup), monkeypatch)


def test_fast_path_is_taken_for_ordinary_links(monkeypatch: pytest.MonkeyPatch) -> None:
    # Absolute links (a reference's DOI, a mail address) stay as they are and keep the fast path.
    html = sanitize_html('<p><a href="../y/">y</a> <a href="#n">n</a> <a href="https://doi.org/10.1/x">doi</a>'
                         ' <a href="mailto:a@b.org">mail</a></p>')
    monkeypatch.setattr(relink_module, "sanitize_relinking", lambda *args: pytest.fail("fell back to nh3"))
    calls: list[str] = []
    relink_module.relink(html, lambda url: calls.append(url) or url, lambda url: url)
    assert calls == ["../y/", "#n"]


def test_real_condition_page_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from running_injuries.knowledge.citations import render_reference_list
    from running_injuries.pipeline import prepare

    root = Path(__file__).resolve().parent.parent
    prepared = prepare(root / "content", root)
    cited = next(c for c in prepared.cited.values() if c.references)
    html = sanitize_html(f'<p>See <a href="../../symptoms/x/">x</a>.</p>{render_reference_list(cited)}')
    assert "https://doi.org/" in html
    check_same(html, monkeypatch)
    monkeypatch.setattr(relink_module, "sanitize_relinking", lambda *args: pytest.fail("fell back to nh3"))
    relinked = relink_module.relink(html, lambda url: "/moved" + url, lambda url: url)
    assert 'href="/moved../../symptoms/x/"' in relinked and 'href="https://doi.org/' in relinked


@pytest.mark.parametrize("base", [
    "https://Example.ORG/conditions/x/", "https://example.org:443/conditions/x/",
    "https://ex\u00e4mple.org/conditions/x/", "https://example.org/my site/x/", "http://127.0.0.1:8000/c/x/",
])
def test_any_site_url_is_written_as_nh3_writes_it(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    html = sanitize_html('<p><a href="../y/">y</a> <a href="#n">n</a> <a href="">here</a></p>')
    check_same(html, monkeypatch, base)


def test_random_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(20261126)
    pieces = [*"abc./?#:@=&;%'!~-_", "..", "../", "./", "//", "x/", "\u00e9", " ", "%2e", "%41", "http:",
              "mailto:", "https://", "HTTPS://Doi.ORG/", "https://e.org/"]
    for _ in range(1500):
        url = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        check_same(sanitize_html(f'<p><a href="{url}">x</a><img alt="q" src="{url}"></p>'), monkeypatch)
