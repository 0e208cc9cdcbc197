"""``pipeline.prepare``: one pass that loads, checks, cites and grades all content."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from running_injuries import pipeline
from running_injuries.knowledge.readability import reading

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)


def test_every_page_is_graded_as_loaded() -> None:
    prepared = pipeline.prepare(ROOT / "content", ROOT, today=TODAY)
    pages = [*prepared.site.topics.values(), *prepared.site.conditions.values()]
    assert len(pages) == len(prepared.reading) == 5  # the topic and the four conditions
    for page in pages:
        assert prepared.reading[page.path] == reading(page.body, page.body_line)
        assert prepared.reading[page.path].words > 100


def test_generated_pages_come_in_a_stable_order() -> None:
    from running_injuries.pages.render import Renderer

    prepared = pipeline.prepare(ROOT / "content", ROOT, today=TODAY)
    uris = [page.src_uri for page in Renderer(prepared).pages()]
    assert uris == [page.src_uri for page in Renderer(prepared).pages()]
    conditions = [uri for uri in uris if uri.startswith("conditions/")]
    assert len(conditions) == 4 and conditions == sorted(conditions)
    assert uris[0] == "back-pain.md" and uris[-4:] == conditions  # the sitemap's order


def test_grades_from_a_process_pool_are_those_worked_out_here() -> None:
    from concurrent.futures import ProcessPoolExecutor

    here = pipeline.prepare(ROOT / "content", ROOT, today=TODAY)
    with ProcessPoolExecutor(max_workers=1) as pool:
        pooled = pipeline.prepare(ROOT / "content", ROOT, today=TODAY, executor=pool)
    assert pooled.reading == here.reading and len(pooled.reading) == 5
    assert list(pooled.problems) == list(here.problems)


def test_the_process_pool_forks_only_where_no_other_thread_runs(monkeypatch) -> None:
    import os
    import threading

    import pytest

    monkeypatch.setenv("RUNNING_INJURIES_WORKERS", "0")
    assert pipeline.process_pool() is None
    monkeypatch.delenv("RUNNING_INJURIES_WORKERS")
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: no process pool")
    other_threads = threading.active_count() > 1  # pytest may run none; a browser test's leaves some
    pool = pipeline.process_pool()
    try:
        assert pool._mp_context.get_start_method() == ("spawn" if other_threads else "fork")
        assert pool.submit(sum, [1, 2]).result() == 3
    finally:
        pool.shutdown()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pool = pipeline.process_pool()
        assert pool._mp_context.get_start_method() == "spawn"  # as under mkdocs serve
        assert pool.submit(sum, [3, 4]).result() == 7
        pool.shutdown()
    finally:
        stop.set()
        thread.join()


def test_the_pool_process_ends_when_the_build_process_is_killed() -> None:
    """A build killed outright (SIGKILL, or SIGTERM, which runs no clean-up) cannot stop its pool:
    the pool's process ends by itself once the build's process is gone (it waited for tasks forever)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import pytest

    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: no process pool")
    build = subprocess.Popen(
        [sys.executable, "-c", "import os, time\nfrom running_injuries.pipeline import process_pool\n"
         "pool = process_pool()\nprint(pool.submit(os.getpid).result(), flush=True)\ntime.sleep(60)"],
        env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")}, stdout=subprocess.PIPE, text=True)
    worker = int(build.stdout.readline())
    os.kill(worker, 0)  # it runs
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(worker, signal.SIGKILL)
    raise AssertionError("the pool's process outlived the build's by 10 s")
