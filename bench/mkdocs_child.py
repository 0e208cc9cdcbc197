"""``mkdocs`` as the benchmark runs it: the real CLI, in a fresh process, optionally under cProfile.

Usage: ``python bench/mkdocs_child.py build|serve [mkdocs options]``. With ``BENCH_PROFILE=<file>``
in the environment the whole command runs under cProfile and the stats go to that file.

While the publish step (``running_injuries.publish``: embeds, API, feed) has not landed yet, the
adapter's ``on_post_build`` cannot import it; the benchmark then stands in a no-op for it, says
so, and reports the embed numbers as n/a, rather than failing every build.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types


def _stand_in_for_publish() -> None:
    if importlib.util.find_spec("running_injuries.publish") is not None:
        return
    import running_injuries

    module = types.ModuleType("running_injuries.publish")
    module.publish = lambda *args, **kwargs: None  # type: ignore[attr-defined]
    sys.modules["running_injuries.publish"] = module
    running_injuries.publish = module  # type: ignore[attr-defined]
    print("bench: running_injuries.publish is missing; embeds and API are not built", file=sys.stderr)


def main() -> None:
    from mkdocs.__main__ import cli

    _stand_in_for_publish()
    args = sys.argv[1:]
    profile = os.environ.get("BENCH_PROFILE")
    if not profile:
        cli.main(args=args, prog_name="mkdocs")
        return
    import cProfile

    profiler = cProfile.Profile()
    try:
        profiler.runcall(cli.main, args=args, prog_name="mkdocs", standalone_mode=False)
    finally:
        profiler.dump_stats(profile)


if __name__ == "__main__":
    main()
