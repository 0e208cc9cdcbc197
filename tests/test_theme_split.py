"""``mkdocs_theme_split``: generated pages that the publish step's process wraps in the theme give
the same site, and the same messages, as a build in one process; a page that process did not
finish is built by the build itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXED_EPOCH, ROOT
from running_injuries import background
from test_reproducible import first_difference, tree

pytestmark = pytest.mark.skipif(not background.can_fork(), reason="no second process here")

# MkDocs' build as `mkdocs build` runs it (not quiet), with the build's own loop slowed down so that
# the other process takes a good share of the pages, and a fault put in for some modes: "warn",
# the page the other process takes first (the loop's last) logs a warning as its file is written;
# "die", the other process dies (as if killed) while it builds its second page. Prints the pages
# that process sent back as built, and the loop's last page.
BUILD = """
import json, logging, os, sys, time
import mkdocs_theme_split
from mkdocs import utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.commands.build import build
from mkdocs.config import load_config

parent, mode = os.getpid(), sys.argv[3]
split = mkdocs_theme_split.ThemeSplit
real_init, real_elsewhere, real_finish = split.__init__, split.elsewhere, split.finish
real_build_page, real_write_file = mkdocs_build._build_page, utils.write_file
built_there, started_there, last = [], [], []

def init(self, *args):
    real_init(self, *args)
    last.append(self._pages[-1].file.src_uri)

def elsewhere(self, page):
    if os.getpid() == parent:
        time.sleep(0.02)
    return real_elsewhere(self, page)

def finish(self, done):
    built_there.extend(done)
    return real_finish(self, done)

def build_page(page, *args, **kwargs):
    if os.getpid() != parent:
        started_there.append(page.file.src_uri)
        if mode == "die" and len(started_there) == 2:
            os._exit(1)
    return real_build_page(page, *args, **kwargs)

def write_file(content, path):
    if mode == "warn" and path.endswith(last[0].replace(".md", "/index.html")):
        logging.getLogger("mkdocs.test").warning(f"A warning while building {last[0]}")
    return real_write_file(content, path)

split.__init__, split.elsewhere, split.finish, mkdocs_build._build_page = init, elsewhere, finish, build_page
utils.write_file = write_file
handler = logging.StreamHandler()  # as `mkdocs build` prints: every line from INFO up
handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
logging.getLogger("mkdocs").addHandler(handler)
logging.getLogger("mkdocs").setLevel(logging.INFO)
config = load_config(sys.argv[1], site_dir=sys.argv[2], strict=False)
config.plugins.on_startup(command="build", dirty=False)
build(config)
print(json.dumps([built_there, last[0] if last else None]))
"""


def build(site: Path, mode: str = "two", *, processes: int = 2) -> tuple[list[str], str, str | None]:
    """The pages the other process built, what the build logged, and the loop's last generated page."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "PYTHONPATH": str(ROOT / "hooks"), "NO_MKDOCS_2_WARNING": "1"}
    for name in ("RUNNING_INJURIES_CONTENT", "RUNNING_INJURIES_PROCESSES"):
        env.pop(name, None)
    if processes == 1:
        env["RUNNING_INJURIES_PROCESSES"] = "1"
    result = subprocess.run([sys.executable, "-c", BUILD, str(ROOT / "mkdocs.yml"), str(site), mode],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    built_there, last = json.loads(result.stdout.splitlines()[-1])
    return built_there, result.stderr, last


def assert_same(expected: dict[str, bytes], got: dict[str, bytes]) -> None:
    assert sorted(got) == sorted(expected)
    differing = [f"{name}:\n{first_difference(data, got[name])}" for name, data in expected.items() if got[name] != data]
    assert not differing, "\n".join(differing)


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], str]:
    """The site and the log of a build in one process."""
    site = tmp_path_factory.mktemp("alone")
    built_there, log, last = build(site, processes=1)
    assert built_there == [] and last is None  # no split
    return tree(site), log


def test_the_site_is_the_same_in_one_process_or_two(tmp_path: Path, alone: tuple[dict[str, bytes], str]) -> None:
    built_there, log, _ = build(tmp_path / "two")
    # The test would pass without the split if the other process built nothing.
    assert len(built_there) >= 5, built_there
    assert all(uri.startswith(("conditions/", "symptoms/", "compare", "references", "editorial")) or
               "/" not in uri for uri in built_there)
    assert_same(alone[0], tree(tmp_path / "two"))
    assert "INFO - Documentation built in" in log
    assert "Page skipped" not in log  # MkDocs' line for the pages the build left to the other process
    assert [line for line in log.splitlines() if "WARNING" in line] == []


def test_a_message_from_the_other_process_is_logged_once_by_the_build(tmp_path: Path,
                                                                     alone: tuple[dict[str, bytes], str]) -> None:
    built_there, log, first = build(tmp_path / "warn", "warn")
    assert built_there and first not in built_there  # built again by the build, which logged it
    assert log.count(f"A warning while building {first}") == 1, log
    assert_same(alone[0], tree(tmp_path / "warn"))


def test_a_process_that_dies_while_it_builds_pages_leaves_the_same_site(tmp_path: Path,
                                                                      alone: tuple[dict[str, bytes], str]) -> None:
    built_there, log, _ = build(tmp_path / "die", "die")
    assert built_there == []  # it sent nothing back: the build built them all
    assert_same(alone[0], tree(tmp_path / "die"))
    assert "Page skipped" not in log

