"""``make check``: every content problem, without building the site.

    python -m running_injuries.editors.check [--strict] [--github] [--content DIR]

Runs ``pipeline.prepare``, the same checks as the build (one implementation), and prints every
problem as ``path:line: field: message``, the form editors' tools and terminals link to.
``--github`` adds a GitHub Actions annotation for each, so pull requests show them on the changed
lines. Exits 1 when there is an error, and with ``--strict`` also when there is a warning (an
overdue review, a page that reads above grade 9, ...), 0 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import TextIO

from ..pipeline import Prepared, prepare, process_pool


def content_root(content_dir: Path, cwd: Path) -> Path:
    """The folder problem paths are relative to: the working folder when the content is inside it
    (so paths are clickable and match the repository for GitHub), else the content's parent."""
    return cwd if content_dir.is_relative_to(cwd) else content_dir.parent


def plural(count: int, word: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def run(content_dir: Path, *, strict: bool = False, github: bool = False,
        out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Check ``content_dir``, print its problems to ``out`` and a summary to ``err``; the exit code."""
    content_dir = content_dir.resolve()
    with process_pool() or contextlib.nullcontext() as pool:  # the reading grades, on the second core
        prepared = prepare(content_dir, content_root(content_dir, Path.cwd().resolve()), executor=pool)
    problems = list(prepared.problems)
    for problem in problems:
        print(problem, file=out)
        if github:
            print(problem.github_annotation(), file=out)
    errors, warnings = len(prepared.problems.errors), len(prepared.problems.warnings)
    checked = content_counts(prepared)
    if errors or (strict and warnings):
        reason = "" if errors else " (--strict: warnings count as failures)"
        print(f"Content check failed: {plural(errors, 'error')}, {plural(warnings, 'warning')}{reason}. "
              f"Checked {checked} as of {prepared.today.isoformat()}.", file=err)
        return 1
    print(f"Content is fine: {plural(warnings, 'warning')}. Checked {checked} as of "
          f"{prepared.today.isoformat()}.", file=err)
    return 0


def content_counts(prepared: Prepared) -> str:
    """``4 conditions, 1 topic, 10 symptoms, 1 reference``: what a check or build covered."""
    site = prepared.site
    return (f"{plural(len(site.conditions), 'condition')}, {plural(len(site.topics), 'topic')}, "
            f"{plural(len(site.symptoms), 'symptom')}, {plural(len(prepared.bibliography), 'reference')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m running_injuries.editors.check",
                                     description="Check all content without building the site.")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too (used on main)")
    parser.add_argument("--github", action="store_true", help="also print GitHub Actions annotations")
    parser.add_argument("--content", type=Path,
                        default=Path(os.environ.get("RUNNING_INJURIES_CONTENT") or "content"),
                        help="the content folder (default: content, or $RUNNING_INJURIES_CONTENT)")
    args = parser.parse_args(argv)
    return run(args.content, strict=args.strict, github=args.github)


if __name__ == "__main__":
    sys.exit(main())
