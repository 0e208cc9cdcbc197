"""``mkdocs_render_cache``: ``mkdocs serve``'s rebuilds reuse the pages whose Markdown did not
change, and still show every edit and every warning."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXED_EPOCH, ROOT, copy_content
from test_reproducible import first_difference, tree

# Builds in one process, as `mkdocs serve` runs them: the first before the server's threads
# start, the rebuilds beside them. Before each rebuild, a line is added to one content file.
# Prints, for each build, the pages it reused and the warnings it logged.
SERVE = """
import json, logging, sys, threading
import mkdocs_render_cache
from mkdocs.commands.build import build
from mkdocs.config import load_config

config_file, site, edited = sys.argv[1:4]
warnings = []
class Warnings(logging.Handler):
    def emit(self, record):
        if record.levelno >= logging.WARNING:
            warnings.append(record.getMessage())
logging.getLogger("mkdocs").addHandler(Warnings())

reused = []
finish = mkdocs_render_cache.RenderCache.finish
def counting(self):
    reused.append(self.reused)
    finish(self)
mkdocs_render_cache.RenderCache.finish = counting

report = []
for number in range(3):
    if number == 1:
        threading.Thread(target=threading.Event().wait, daemon=True).start()  # the server
    if number:
        with open(edited, "a", encoding="utf-8") as handle:
            handle.write(f"\\nEdit number {number} reached the page.\\n")
    config = load_config(config_file, site_dir=f"{site}-{number}", strict=False)
    config.plugins.on_startup(command="serve", dirty=False)
    warnings.clear()
    build(config)
    report.append({"reused": reused[-1], "warnings": list(warnings)})
print(json.dumps(report))
"""

ONE = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(sys.argv[1], site_dir=sys.argv[2], strict=False)
config.plugins.on_startup(command="serve", dirty=False)
build(config)
"""


def run(script: str, *args: str, content: Path) -> str:
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "PYTHONPATH": str(ROOT / "hooks"),
           "NO_MKDOCS_2_WARNING": "1", "RUNNING_INJURIES_CONTENT": str(content)}
    env.pop("RUNNING_INJURIES_PROCESSES", None)
    result = subprocess.run([sys.executable, "-c", script, str(ROOT / "mkdocs.yml"), *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_rebuilds_reuse_unchanged_pages_and_show_every_edit_and_warning(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content")
    conditions = sorted((content / "conditions").glob("*.md"))
    edited, warned = conditions[0], conditions[-1]
    # One warning while rendering (that page is never reused), one from the anchor check after it.
    warned.write_text(warned.read_text(encoding="utf-8") + "\n\nSee [a missing page](missing-page.md) and "
                      "[a missing anchor](#no-such-anchor).\n", encoding="utf-8")
    report = json.loads(run(SERVE, str(tmp_path / "site"), str(edited), content=content).splitlines()[-1])

    pages = len([p for p in tree(tmp_path / "site-2") if p.endswith("index.html") and not p.startswith("embed/")])
    assert report[0]["reused"] == 0
    # The last rebuild renders again only what the edit changed, and the page that warns.
    assert report[2]["reused"] >= pages // 2, report
    for build in report:
        assert sum("missing-page.md" in w for w in build["warnings"]) == 1, build
        assert sum("#no-such-anchor" in w for w in build["warnings"]) == 1, build

    # Never stale: the last rebuild is the site a fresh build of the same content makes.
    run(ONE, str(tmp_path / "fresh"), content=content)
    rebuilt, fresh = tree(tmp_path / "site-2"), tree(tmp_path / "fresh")
    assert "Edit number 2 reached the page." in rebuilt[f"conditions/{edited.stem}/index.html"].decode()
    assert sorted(rebuilt) == sorted(fresh)
    differing = [f"{name}:\n{first_difference(fresh[name], rebuilt[name])}" for name in fresh if fresh[name] != rebuilt[name]]
    assert not differing, "\n".join(differing)
