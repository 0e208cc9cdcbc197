"""``mkdocs_markdown_reuse``: one Markdown converter for the build renders every page exactly as
MkDocs' converter per page does, and nothing one page defines reaches the next."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXED_EPOCH, ROOT, copy_content
from test_reproducible import first_difference, tree

# MkDocs' own build as `mkdocs build` runs it, counting the pages the build's converter rendered
# and the Markdown converters made; argv[3] "off" builds without the module, as MkDocs alone would.
BUILD = """
import json, sys
import markdown
import mkdocs_markdown_reuse
from mkdocs.commands.build import build
from mkdocs.config import load_config

rendered, made = [], []
real_render, real_init = mkdocs_markdown_reuse.Converter._render, markdown.Markdown.__init__
def render(self, page, config, files):
    rendered.append(page.file.src_uri)
    return real_render(self, page, config, files)
def init(self, *args, **kwargs):
    made.append(1)
    return real_init(self, *args, **kwargs)
mkdocs_markdown_reuse.Converter._render = render
markdown.Markdown.__init__ = init
if sys.argv[3] == "off":
    mkdocs_markdown_reuse.start = lambda config: None

config = load_config(sys.argv[1], site_dir=sys.argv[2], strict=False)
config.plugins.on_startup(command="build", dirty=False)
build(config)
print(json.dumps([rendered, len(made)]))
"""


def build(site: Path, content: Path, *, reuse: bool) -> tuple[list[str], int, list[str]]:
    """The pages the build's converter rendered, how many converters were made, and the warnings."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "PYTHONPATH": str(ROOT / "hooks"),
           "NO_MKDOCS_2_WARNING": "1", "RUNNING_INJURIES_CONTENT": str(content),
           "RUNNING_INJURIES_PROCESSES": "1"}  # one process: every page and converter is counted here
    result = subprocess.run([sys.executable, "-c", BUILD, str(ROOT / "mkdocs.yml"), str(site), "on" if reuse else "off"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    rendered, made = json.loads(result.stdout.splitlines()[-1])
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Doc file")]
    return rendered, made, warnings


def test_the_site_is_the_same_with_one_converter_as_with_one_a_page(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content")
    first, second, *_ = sorted((content / "conditions").glob("*.md"))
    # What a converter keeps between documents until it is reset: an abbreviation, a fenced block
    # (superfences stashes it), raw HTML, heading ids (toc), a link to a missing anchor (a warning).
    first.write_text(first.read_text(encoding="utf-8") + (
        "\n\n## Terms {#terms}\n\nThe MRI is a scan.\n\n*[MRI]: magnetic resonance imaging\n\n"
        "```text\nlines of a fenced block\n```\n\n<div>raw HTML</div>\n\nSee [the terms](#terms-missing).\n"),
        encoding="utf-8")
    second.write_text(second.read_text(encoding="utf-8") + (
        "\n\n## Terms {#terms}\n\nAn MRI again, with no abbreviation defined on this page.\n"), encoding="utf-8")

    rendered, made, warnings = build(tmp_path / "reuse", content, reuse=True)
    alone, made_alone, warnings_alone = build(tmp_path / "alone", content, reuse=False)

    pages = [p for p in tree(tmp_path / "alone") if p.endswith("index.html")]
    assert alone == [] and made_alone >= len(rendered) > 0
    assert len(rendered) >= len([p for p in pages if not p.startswith(("embed/", "api/"))])  # every page
    assert made <= made_alone - len(rendered) + 1  # one converter for all of them
    assert warnings == warnings_alone and any("#terms-missing" in w for w in warnings)
    one, reused = tree(tmp_path / "alone"), tree(tmp_path / "reuse")
    assert sorted(one) == sorted(reused)
    differing = [f"{name}:\n{first_difference(one[name], reused[name])}" for name in one if one[name] != reused[name]]
    assert not differing, "\n".join(differing)
    second_page = reused[f"conditions/{second.stem}/index.html"].decode("utf-8")
    assert "An MRI again" in second_page and "<abbr" not in second_page.split("An MRI again")[1].split("</p>")[0]
