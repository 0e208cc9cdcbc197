"""``mkdocs_render_split``: pages rendered in a second process give the same site, and the same
messages in the same order, as a build in one process."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXED_EPOCH, ROOT, copy_content
from test_reproducible import first_difference, tree

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")

# MkDocs' own build, as `mkdocs build` runs it, counting the pages whose render the build took
# from the second process. Messages go to stderr without colour or level prefix.
BUILD = """
import json, sys
import mkdocs_render_split
from mkdocs.commands.build import build
from mkdocs.config import load_config

taken = []
kept = mkdocs_render_split.RenderSplit.kept
def counting(self, page):
    rendered, value = kept(self, page)
    if rendered:
        taken.append(page.file.src_uri)
    return rendered, value
mkdocs_render_split.RenderSplit.kept = counting

config = load_config(sys.argv[1], site_dir=sys.argv[2], strict=False)
config.plugins.on_startup(command="build", dirty=False)
build(config)
print(json.dumps(taken))
"""


def build(site: Path, content: Path | None = None, *, processes: int = 2) -> tuple[list[str], list[str]]:
    """The pages taken from the second process, and the warnings, of one build into ``site``."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "PYTHONPATH": str(ROOT / "hooks"),
           "NO_MKDOCS_2_WARNING": "1"}
    env.pop("RUNNING_INJURIES_CONTENT", None)
    env.pop("RUNNING_INJURIES_PROCESSES", None)
    if content is not None:
        env["RUNNING_INJURIES_CONTENT"] = str(content)
    if processes == 1:
        env["RUNNING_INJURIES_PROCESSES"] = "1"
    result = subprocess.run([sys.executable, "-c", BUILD, str(ROOT / "mkdocs.yml"), str(site)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Doc file")]
    return json.loads(result.stdout.splitlines()[-1]), warnings


def generated_pages(site: Path) -> list[str]:
    return [p for p in tree(site) if p.startswith(("conditions/", "symptoms/")) and p.endswith("index.html")]


def test_the_site_is_the_same_in_one_process_or_two(tmp_path: Path) -> None:
    taken, warnings = build(tmp_path / "two")
    alone, _ = build(tmp_path / "one", processes=1)
    assert alone == [] and warnings == []
    # Every other generated page: the test would pass without the split if none were taken.
    assert len(taken) >= len(generated_pages(tmp_path / "two")) // 2 - 1 > 0, taken
    two, one = tree(tmp_path / "two"), tree(tmp_path / "one")
    assert sorted(two) == sorted(one)
    differing = [f"{name}:\n{first_difference(one[name], two[name])}" for name in one if one[name] != two[name]]
    assert not differing, "\n".join(differing)


def test_messages_of_pages_rendered_in_the_second_process_are_logged_once_in_order(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content")
    conditions = sorted((content / "conditions").glob("*.md"))
    assert len(conditions) >= 4
    for index, path in enumerate(conditions):
        extra = "\n\nA link to [a missing anchor](#no-such-anchor).\n"
        if index < 2:  # a warning while rendering: that page is rendered again by the build
            extra += "And to [a missing page](missing-page.md).\n"
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    taken, warnings = build(tmp_path / "two", content)
    _, alone = build(tmp_path / "one", content, processes=1)
    assert warnings == alone
    for path in conditions:
        anchor = [w for w in warnings if f"conditions/{path.name}" in w and "#no-such-anchor" in w]
        assert len(anchor) == 1, warnings
    assert sum("missing-page.md" in w for w in warnings) == 2
    # The anchor check, after the loop, read the links of pages rendered in the second process.
    assert any(uri.startswith("conditions/") for uri in taken), taken
    assert not any(f"conditions/{path.name}" in taken for path in conditions[:2]), taken
