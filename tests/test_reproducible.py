"""Reproducible: two builds of the same sources with the same SOURCE_DATE_EPOCH are byte-identical,
every file included (sitemap and its gzip, search index, JSON API, feed, embeds)."""

from __future__ import annotations

import difflib
from pathlib import Path

from conftest import build_or_fail


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def first_difference(a: bytes, b: bytes) -> str:
    try:
        left, right = a.decode("utf-8").splitlines(), b.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        return f"binary, first difference at byte {at} (sizes {len(a)} and {len(b)})"
    diff = list(difflib.unified_diff(left, right, lineterm="", n=0))
    return "\n".join(line[:200] for line in diff[2:8])


def test_two_builds_are_byte_identical(built_site: Path, tmp_path: Path):
    # Another output folder and another hash seed: neither may show in the output.
    again = build_or_fail(tmp_path / "again", extra_env={"PYTHONHASHSEED": "4242"})
    first, second = tree(built_site), tree(again)
    assert len(first) > 50, "the build wrote fewer files than expected"
    for expected in ("sitemap.xml", "sitemap.xml.gz", "search/search_index.json"):
        assert expected in first, f"{expected} missing from the build"
    if (built_site / "embed").is_dir():
        assert any(name.startswith("embed/") for name in first)
        assert any(name.endswith(".json") and not name.startswith("search/") for name in first)
    only_first = sorted(set(first) - set(second))
    only_second = sorted(set(second) - set(first))
    differing = sorted(name for name in set(first) & set(second) if first[name] != second[name])
    report = [f"only in the first build: {name}" for name in only_first]
    report += [f"only in the second build: {name}" for name in only_second]
    report += [f"{name} differs:\n{first_difference(first[name], second[name])}" for name in differing]
    assert not report, "builds differ:\n" + "\n".join(report)
