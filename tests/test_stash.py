"""HTML kept out of Markdown's way (``running_injuries.pages.stash``) comes back exactly as Markdown would
have passed it through, and the stash can never be a way to inject markup."""

from __future__ import annotations

import os
import re
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from conftest import ROOT, build_or_fail, fixture_condition, fixture_content, run_build
from running_injuries.pipeline import prepare
from running_injuries.pages.render import Renderer, _ENV
from running_injuries.pages import stash as stash_module
from running_injuries.pages.stash import Stash, anchor_ids, restore

FAKE = "ristash00000000b0z"  # what an editor might write: never one of ours (those carry a nonce)


def _markdown_of_mkdocs_yml() -> markdown.Markdown:
    """Python-Markdown with the extensions and settings of our mkdocs.yml."""
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def _body(text: str) -> str:
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def test_put_and_restore() -> None:
    stash = Stash("b")
    first, second = stash.put(Markup("<p>one</p>")), stash.put(Markup("<ul><li>two</li></ul>"))
    assert re.fullmatch(r"ristash[0-9a-f]{8}b0z", first) and second == first.replace("b0z", "b1z")
    # A block's placeholder comes back from Markdown as a paragraph: the block takes its place,
    # with the blank line Markdown writes after a raw HTML block (none at the very end).
    markdown_out = f"<p>{first}</p>\n<h2>x</h2>\n<p>{second}</p>"
    assert restore(markdown_out, stash.items) == "<p>one</p>\n\n<h2>x</h2>\n<ul><li>two</li></ul>"
    assert restore(f"<p>Inline {first} word</p>", stash.items) == "<p>Inline <p>one</p> word</p>"
    unknown = first.replace("b0z", "b7z")
    assert restore(f"<p>{unknown}</p>", stash.items) == f"<p>{unknown}</p>", "unknown: left as a stray word"
    assert restore(FAKE, stash.items) == FAKE
    citations = Stash("c")
    marker = citations.put(Markup("<sup>1</sup>"))
    assert restore(f"<p>{marker}</p>", citations.items) == "<p><sup>1</sup></p>", "inline: in its paragraph"
    with pytest.raises(ValueError):
        Stash("block")


def test_the_filter_escapes_text_and_keeps_markup() -> None:
    stash = Stash("b")
    template = _ENV.from_string("{{ text | stash }}\n\n{% filter stash %}\n<p>{{ text }}</p>\n{% endfilter %}\n{{ safe | stash }}")
    out = template.render(text='<script>alert("x")</script>', safe=Markup("<em>kept</em>"), stash=stash)
    restored = restore(out, stash.items)
    assert "<script>" not in restored
    # Each placeholder stands between blank lines: a paragraph of its own, as a raw HTML block.
    assert [block for block in restored.split("\n") if block] == [
        '&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;', '<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</p>',
        '<em>kept</em>']
    assert len(stash.items) == 3 and all(f"\n\n{token}\n\n" in out for token in stash.items), repr(out)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory):
    """Every generated page of the real content, and of a fixture whose body holds raw HTML,
    citations in a list and a table, and code that looks like a placeholder."""
    body = ("## What it is\n\nSome text [@fixture-a].\n\n- A list item [@fixture-a]\n\n"
            "<div class=\"raw\">\n\nEditor's raw HTML\n\n</div>\n\n| a | b |\n|---|---|\n| 1 [@fixture-a] | 2 |\n\n"
            f"`{FAKE}` in code, and as a word: {FAKE}\n")
    folder = fixture_content(tmp_path_factory.mktemp("stash") / "content", {
        "fixture-one": fixture_condition("Fixture one", [("ache", "common"), ("sting", "occasional")],
                                         related=["fixture-two"], body=body),
        "fixture-two": fixture_condition("Fixture two", [("ache", "common"), ("throb", "common")]),
        # "Ache" is common in some conditions and occasional in this one: one list after the other.
        "fixture-three": fixture_condition("Fixture three", [("ache", "occasional"), ("throb", "common")]),
    })
    found = []
    for content in (ROOT / "content", folder):
        prepared = prepare(content, content.parent)
        assert not prepared.problems.errors, [str(p) for p in prepared.problems.errors]
        found += Renderer(prepared).pages()
    return found


def test_pages_convert_exactly_as_without_the_stash(pages) -> None:
    md = _markdown_of_mkdocs_yml()
    stashed = [page for page in pages if page.stash]
    assert {page.kind for page in stashed} >= {"condition", "topic", "symptom", "compare", "references", "editorial"}
    for page in stashed:
        md.reset()
        kept = {**page.markers, **page.stash}  # the citation markers and our templates' blocks
        direct = md.convert(restore(_body(page.markdown), kept))
        md.reset()
        kept_out = restore(md.convert(_body(page.markdown)), kept)
        assert kept_out == direct, page.src_uri
        assert f"ristash{stash_module._NONCE}" not in kept_out, page.src_uri  # ours are all back
    fixture = next(page for page in pages if page.id == "fixture-one")
    assert FAKE in fixture.markdown, "the editor's look-alike word is left alone"


def test_no_placeholder_reaches_the_built_site(built_site: Path) -> None:
    for path in built_site.rglob("*"):
        if path.suffix in (".html", ".json", ".xml"):
            assert "ristash" not in path.read_text(encoding="utf-8"), path.relative_to(built_site)


def test_anchor_ids_of_stashed_html() -> None:
    stash = Stash("b")
    stash.put(Markup('<li id="ref-a:b/c%d&lt;e&gt;f"><a href="#x" data-id="not-an-anchor">x</a></li>'))
    stash.put(Markup('<p class="x" id="second">id="not-this" in text</p>'))
    assert anchor_ids(stash.items) == {"ref-a:b/c%d<e>f", "second"}


def test_links_to_ids_in_stashed_html_are_checked_like_any_other(tmp_path: Path) -> None:
    """The references list, the review dates and the reference list of the whole site are stashed:
    a link to one of their ids is valid, and a link to an id that is nowhere still warns."""
    body = ("## What it is\n\nA source [@fixture-a].\n\n"
            "See [the list](#ref-fixture-a), [every source](../references.md#ref-fixture-a), "
            "[the editorial table](../editorial.md#ri-editorial-caption) and "
            "[nothing](../references.md#ref-no-such-source).\n")
    content = fixture_content(tmp_path / "content", {
        "fixture-one": fixture_condition("Fixture one", [("ache", "common"), ("sting", "occasional"), ("throb", "common")],
                                         body=body),
    })
    result = run_build(tmp_path / "site", content_dir=content, strict=False)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 1 and "#ref-no-such-source" in warnings[0], warnings


def test_a_citation_in_a_heading_is_an_error_with_its_line(tmp_path: Path) -> None:
    body = "Intro.\n\n## How common it is [@fixture-a]\n\nIt is common.\n"
    content = fixture_content(tmp_path / "content", {
        "cited": fixture_condition("Cited", [("ache", "common"), ("sting", "occasional"), ("throb", "common")], body=body)})
    result = run_build(tmp_path / "site", content_dir=content)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    line = next(n for n, text in enumerate((content / "conditions" / "cited.md").read_text().splitlines(), 1)
                if text.startswith("## How common"))
    assert f"conditions/cited.md:{line}: citation: a citation in a heading" in result.stdout + result.stderr
