"""``render.url_from``: relative URLs between site paths, as ``posixpath.relpath`` gives them."""

from __future__ import annotations

import itertools
import posixpath

import pytest

from running_injuries.pages.render import url_from


def relpath_url(page_url: str, target: str) -> str:
    """The reference: what url_from returned when it called posixpath.relpath."""
    base = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"
    rel = posixpath.relpath(target or ".", base.rstrip("/") or ".")
    return rel + "/" if target.endswith("/") and rel != "." else ("./" if rel == "." else rel)


@pytest.mark.parametrize(("page", "target", "expected"), [
    ("conditions/x/", "symptoms/y/", "../../symptoms/y/"),
    ("conditions/x/", "conditions/z/", "../z/"),
    ("conditions/x/", "conditions/x/", "./"),
    ("conditions/x/", "", "../.."),  # the root as relpath gives it; callers add the slash
    ("", "compare/", "compare/"),
    ("index.html", "assets/site.css", "assets/site.css"),
    ("embed/x/card/", "assets/embed.css", "../../../assets/embed.css"),
    ("editorial/", "conditions/./x/../y/", "../conditions/y/"),
])
def test_examples(page: str, target: str, expected: str) -> None:
    assert url_from(page)(target) == expected


def test_same_as_relpath_for_every_pair_of_site_paths() -> None:
    segments = ["conditions", "x", "y", "symptoms", "assets", "site.css", "index.html"]
    paths = {""}
    for length in (1, 2, 3):
        for combo in itertools.product(segments, repeat=length):
            paths |= {"/".join(combo), "/".join(combo) + "/"}
    pages = sorted(p for p in paths if p.count("/") <= 2)
    for page in pages:
        url = url_from(page)
        assert [url(t) for t in sorted(paths)] == [relpath_url(page, t) for t in sorted(paths)], page
