"""Build the real site with MkDocs and with ProperDocs, and fail if the two sites differ.

Usage: ``python tools/compare_engines.py`` (``make compare-engines``; CI runs it after the tests).

Each engine builds ``mkdocs.yml`` strictly into a temporary folder, in a fresh process, with the
same ``SOURCE_DATE_EPOCH`` (the environment's, else the tests' fixed date) and the same content
(``RUNNING_INJURIES_CONTENT`` when set, else ``content/``). Then every path under one site must be
under the other, and every file must have the same bytes. Exit status 0 when they are the same;
1 with every difference listed (a few lines of each differing text file) otherwise, or when a
build fails.
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("mkdocs", "properdocs")
FIXED_EPOCH = "1795651200"  # 2026-11-26 00:00 UTC, as in tests/conftest.py
SHOWN_FILES = 5  # differing files whose lines are shown
SHOWN_LINES = 12  # diff lines shown of each


@dataclass
class Differences:
    only_first: list[str] = field(default_factory=list)
    only_second: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.only_first or self.only_second or self.differing)


def listing(site: Path) -> dict[str, Path]:
    """Every file and folder under ``site`` by its relative POSIX path (folders end in ``/``)."""
    found = {}
    for path in site.rglob("*"):
        name = path.relative_to(site).as_posix()
        found[name + "/" if path.is_dir() and not path.is_symlink() else name] = path
    return found


def compare(first: Path, second: Path) -> Differences:
    """What differs between two site folders: paths in one only, and files whose bytes differ."""
    a, b = listing(first), listing(second)
    differences = Differences(only_first=sorted(a.keys() - b.keys()), only_second=sorted(b.keys() - a.keys()))
    for name in sorted(a.keys() & b.keys()):
        if not name.endswith("/") and a[name].read_bytes() != b[name].read_bytes():
            differences.differing.append(name)
    return differences


def report(differences: Differences, first: Path, second: Path, names: tuple[str, str]) -> str:
    """The differences as text, with the first lines of the differing text files."""
    lines = []
    for name, only in zip(names, (differences.only_first, differences.only_second)):
        if only:
            lines.append(f"{len(only)} path(s) only in the {name} site:")
            lines += [f"  {path}" for path in only]
    if differences.differing:
        lines.append(f"{len(differences.differing)} file(s) whose bytes differ:")
        lines += [f"  {path}" for path in differences.differing]
        for path in differences.differing[:SHOWN_FILES]:
            try:
                old = (first / path).read_text(encoding="utf-8").splitlines()
                new = (second / path).read_text(encoding="utf-8").splitlines()
            except UnicodeDecodeError:
                lines.append(f"{path}: binary, {(first / path).stat().st_size} and {(second / path).stat().st_size} bytes")
                continue
            diff = list(difflib.unified_diff(old, new, f"{names[0]}/{path}", f"{names[1]}/{path}", n=0, lineterm=""))
            lines += [line[:300] for line in diff[:SHOWN_LINES]]
            if len(diff) > SHOWN_LINES:
                lines.append(f"  ... {len(diff) - SHOWN_LINES} more diff lines")
    return "\n".join(lines)


def build(engine: str, site_dir: Path) -> None:
    """``<engine> build --strict`` of the real configuration into ``site_dir``; exits on failure."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks"), "NO_MKDOCS_2_WARNING": "1"}
    env.setdefault("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    command = [sys.executable, "-m", engine, "build", "--strict",
               "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(site_dir)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"compare_engines: `{engine} build --strict` failed:\n{result.stdout}{result.stderr}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="build into this folder (one subfolder per engine) and keep it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="compare-engines-") as temporary:
        work = args.keep or Path(temporary)
        sites = [work / engine for engine in ENGINES]
        for engine, site in zip(ENGINES, sites):
            build(engine, site)
        differences = compare(*sites)
        files = sum(1 for name in listing(sites[0]) if not name.endswith("/"))
        if differences:
            print(f"compare_engines: FAIL: the {ENGINES[0]} and {ENGINES[1]} builds differ\n"
                  + report(differences, *sites, ENGINES), file=sys.stderr)
            return 1
    print(f"compare_engines: the {ENGINES[0]} and {ENGINES[1]} builds are the same: {files} files, byte for byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
