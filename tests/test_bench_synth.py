"""The benchmark's synthetic content is valid, builds, and is the same on every run.

The benchmark itself (``make bench``) is never a test: these tests check only its generator's
results, at a small N.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ENGINE_COMMAND, ROOT, build_or_fail, page
from running_injuries.pipeline import prepare

N = 23  # two sizes of topic pool, and more than the ten conditions needed to use every symptom


def _load(name: str):
    if str(ROOT / "bench") not in sys.path:
        sys.path.append(str(ROOT / "bench"))  # run.py imports synth as a script does
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


synth = _load("synth")


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth.write_content(tmp_path_factory.mktemp("bench") / "content", N)


def test_synthetic_content_has_no_problem_at_all(content: Path) -> None:
    prepared = prepare(content, content.parent)
    assert [str(p) for p in prepared.problems] == []
    assert len(prepared.site.conditions) == N
    assert len(prepared.site.symptoms) == synth.SYMPTOM_COUNT
    assert len(prepared.site.topics) == synth.topic_count(N) == 1
    # Every symptom is listed, every source cited, and conditions share symptoms and link each other.
    listed = {use.id for c in prepared.site.conditions.values() for use in c.meta.symptoms}
    assert listed == set(prepared.site.symptoms)
    cited = {ref.reference.id for text in prepared.cited.values() for ref in text.references}
    assert cited == {r["id"] for r in synth.references(N)}
    assert all(prepared.links.similar[cid] for cid in prepared.site.conditions)
    assert sum(len(c.meta.related) for c in prepared.site.conditions.values()) >= N // 2


def test_bodies_are_about_500_words_with_citations_and_say_they_are_fixtures(content: Path) -> None:
    for path in sorted((content / "conditions").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        words = len(re.sub(r"\[@[^\]]*\]", "", body).split())
        assert 380 <= words <= 650, (path.name, words)
        assert len(re.findall(r"\[@", body)) >= 5, path.name
        assert synth.FIXTURE_NOTE in body
    references = (content / "references.json").read_text(encoding="utf-8")
    assert references.count("(benchmark fixture)") == synth.reference_count(N)


def test_output_is_deterministic(content: Path, tmp_path: Path) -> None:
    again = synth.write_content(tmp_path / "content", N)
    first = {p.relative_to(content): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in sorted(again.rglob("*")) if p.is_file()}
    assert first == second


def test_never_writes_into_the_real_content_folder() -> None:
    with pytest.raises(ValueError, match="never writes into content/"):
        synth.write_content(ROOT / "content", 1)


def test_synthetic_content_builds_strictly(content: Path, tmp_path: Path) -> None:
    site = build_or_fail(tmp_path / "site", content_dir=content)
    for condition in synth.conditions(N):
        html = page(site, f"conditions/{condition.id}/")
        assert html.find("h1").get_text(strip=True).startswith(condition.title)
        markers = html.select("main a[href^='#']")
        assert any(re.fullmatch(r"\d+", a.get_text(strip=True)) for a in markers), condition.id
    topic = page(site, f"{synth.topic_id(0)}/")
    links = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in topic.select("main a[href*='conditions/']")}
    assert {c.id for c in synth.conditions(N)} <= links


def test_floor_site_builds_with_our_markdown_extensions(tmp_path: Path) -> None:
    run = _load("run")
    floor = run.write_floor(tmp_path / "floor", 5)
    config = (floor / "mkdocs.yml").read_text(encoding="utf-8")
    assert run.markdown_extensions_block() in config
    assert "hooks" not in config
    result = subprocess.run([*ENGINE_COMMAND, "build", "--strict", "--config-file", str(floor / "mkdocs.yml"),
                             "--site-dir", str(tmp_path / "site")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    pages = sorted((tmp_path / "site" / "conditions").glob("*/index.html"))
    assert len(pages) == 5
    html = BeautifulSoup(pages[0].read_text(encoding="utf-8"), "lxml")
    assert html.find("h1").get_text(strip=True).startswith("Benchmark condition 0000")
    assert "[@" not in html.get_text()


def test_engine_alone_site_is_our_pages_without_our_hooks(content: Path, tmp_path: Path) -> None:
    """The benchmark's (c): our configuration and generated pages, built by MkDocs with no hook."""
    run = _load("run")
    engine = run.write_engine_alone(tmp_path / "engine", content)
    result = subprocess.run([*ENGINE_COMMAND, "build", "--strict", "--config-file", str(engine / "mkdocs.yml"),
                             "--site-dir", str(tmp_path / "site")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert len(list((site / "conditions").glob("*/index.html"))) == N
    assert (site / "compare" / "index.html").is_file() and (site / "about" / "index.html").is_file()
    assert not (site / "embed").exists() and not (site / "api").exists()  # the publish step is ours
    html = page(site, f"conditions/{synth.conditions(N)[0].id}/")
    assert html.select_one('link[href$="print.css"]') is not None  # our theme overrides are in use
    assert html.select_one('meta[http-equiv="Content-Security-Policy"]') is None  # our hooks are not
    topics = [a.get_text(strip=True) for a in html.select("nav.md-nav--primary a.md-nav__link")]
    assert "Compare symptoms" in topics
