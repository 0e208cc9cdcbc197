"""One page of every kind the site builds, chosen from the real content, for the accessibility,
privacy and metadata tests; and every public page of a built site."""

from __future__ import annotations

from pathlib import Path

from running_injuries.pipeline import Prepared, prepare

ROOT = Path(__file__).resolve().parent.parent

# Built pages that are not public pages: embeds (for iframes), the editors' report, the 404 page.
NOT_PUBLIC = ("embed/", "editorial/")


def prepared_content() -> Prepared:
    """The real content, loaded and checked the way the build loads it."""
    prepared = prepare(ROOT / "content", ROOT)
    assert not prepared.problems.errors, [str(p) for p in prepared.problems.errors]
    return prepared


def page_kinds(site: Path) -> dict[str, str]:
    """``{kind: url}``: one page of each kind in ``site`` (embed and card when the build has them)."""
    prepared = prepared_content()
    content = prepared.site
    # A condition that cites sources, so that its page has citation markers and references.
    cited = [c.id for c in content.conditions.values() if prepared.cited[c.path].references]
    condition = sorted(cited or content.conditions)[0]
    kinds = {
        "home": "",
        "about": "about/",
        "for-clinics": "for-clinics/",
        "topic": f"{sorted(content.topics)[0]}/",
        "condition": f"conditions/{condition}/",
        "compare": "compare/",
        "symptom": f"symptoms/{sorted(content.symptoms)[0]}/",
        "references": "references/",
    }
    if (site / "embed").is_dir():
        kinds["embed"] = f"embed/{condition}/"
        kinds["card"] = f"embed/{condition}/card/"
    for kind, url in kinds.items():
        assert (site / url / "index.html").is_file(), f"the build has no {kind} page at /{url}"
    return kinds


def built_pages(site: Path) -> list[str]:
    """The URL of every ``index.html`` in ``site`` ("" for the home page, else ending in "/")."""
    urls = []
    for index in sorted(site.rglob("index.html")):
        url = index.parent.relative_to(site).as_posix()
        urls.append("" if url == "." else f"{url}/")
    return urls


def public_pages(site: Path) -> list[str]:
    """The URL of every public page in ``site``: each built page but embeds and the editors' report."""
    return [url for url in built_pages(site) if not url.startswith(NOT_PUBLIC)]
