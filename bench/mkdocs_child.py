"""``mkdocs`` as the benchmark runs it: the real CLI, in a fresh process (``properdocs`` with
``ENGINE=properdocs``).

Usage: ``python bench/mkdocs_child.py build|serve [mkdocs options]``. Two optional measurements,
chosen by the environment:

- ``BENCH_STAGES=<file.json>``: the CPU seconds spent in each stage of the build (``STAGES``),
  from timers wrapped around those functions before MkDocs loads the hooks; no profiler, so the
  numbers are close to an ordinary build's.
- ``BENCH_PROFILE=<file>``: the whole command under cProfile, stats written to that file.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import sys
import time
from typing import Any, Callable

# (label, module, attribute paths, comma-separated). Labels starting with "  " are parts of the stage
# above them.
STAGES: list[tuple[str, str, str]] = [
    ("prepare: load, check, cite, links", "running_injuries.pipeline", "prepare"),
    ("  load (read, YAML, schema)", "running_injuries.pipeline", "load_site"),
    ("  check (cross-file validation)", "running_injuries.pipeline", "validate_site"),
    ("  citations (find, number, format)", "running_injuries.pipeline", "cite"),
    ("  reading grade", "running_injuries.pipeline", "reading"),
    ("  links (symptom index, similar)", "running_injuries.pipeline", "build_links"),
    ("render generated Markdown", "running_injuries.pages.render", "Renderer.pages"),
    ("MkDocs: Markdown to HTML, every page", "markdown.core", "Markdown.convert"),
    ("sanitize (nh3), pages and references", "running_injuries.pages.sanitize", "sanitize_html"),
    ("search view", "running_injuries.pages.search_view", "search_view"),
    ("search plugin: index pages", "material.plugins.search.plugin", "SearchIndex.add_entry_from_context"),
    ("MkDocs: theme and write, every page", "mkdocs.commands.build", "_build_page"),
    ("  page extras (head, JSON-LD, footer)", "running_injuries.pages.extras", "PageExtras.head"),
    ("  page extras (after the content)", "running_injuries.pages.extras", "PageExtras.after"),
    ("  Content-Security-Policy meta", "running_injuries.pages.csp", "with_csp_meta"),
    ("publish: embeds, cards, oEmbed, API, feed", "running_injuries.publish.publisher", "start_publishing"),
    ("  split sections for the API", "running_injuries.publish.publisher", "split_sections"),
    ("  move links for embeds and API (nh3)", "running_injuries.publish.publisher", "moved_links, absolute_links"),
    ("  JSON documents", "running_injuries.publish.publisher", "dump_json"),
    ("  write files", "running_injuries.publish.publisher", "_Files.write"),
    ("search plugin: write index", "material.plugins.search.plugin", "SearchPlugin.on_post_build"),
    ("whole build", "mkdocs.commands.build", "build"),
]


def _timed(function: Callable[..., Any], totals: dict[str, float], label: str) -> Callable[..., Any]:
    depth = 0

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal depth
        if depth:  # recursion: count the outermost call only
            return function(*args, **kwargs)
        depth += 1
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            totals[label] = totals.get(label, 0.0) + time.process_time() - start
            depth -= 1

    return wrapper


def _install_stage_timers(totals: dict[str, float]) -> list[str]:
    """Wrap each stage's function in place; the labels whose function was not found."""
    missing = []
    for label, module_name, attributes in STAGES:
        for attribute in attributes.split(","):
            try:
                owner: Any = importlib.import_module(module_name)
                *path, name = attribute.strip().split(".")
                for part in path:
                    owner = getattr(owner, part)
                function = getattr(owner, name)
            except (ImportError, AttributeError):
                missing.append(label)
                break
            setattr(owner, name, _timed(function, totals, label))
    return missing


def main() -> None:
    # The engine's own command: MkDocs', or ProperDocs' (ENGINE=properdocs), whose module installs
    # its alias of every `mkdocs.*` module to its own on import, so the stage timers find it too.
    engine = os.environ.get("ENGINE") or "mkdocs"
    if engine not in ("mkdocs", "properdocs"):
        sys.exit(f"ENGINE={engine}: use mkdocs or properdocs")
    cli = importlib.import_module(f"{engine}.__main__").cli

    args = sys.argv[1:]
    stages_file = os.environ.get("BENCH_STAGES")
    profile = os.environ.get("BENCH_PROFILE")
    if stages_file:
        totals: dict[str, float] = {}
        missing = _install_stage_timers(totals)
        try:
            cli.main(args=args, prog_name=engine, standalone_mode=False)
        finally:
            with open(stages_file, "w", encoding="utf-8") as out:
                json.dump({"stages": [[label, totals.get(label)] for label, _, _ in STAGES],
                           "missing": missing}, out)
        return
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        try:
            profiler.runcall(cli.main, args=args, prog_name=engine, standalone_mode=False)
        finally:
            profiler.dump_stats(profile)
        return
    cli.main(args=args, prog_name=engine)


if __name__ == "__main__":
    main()
