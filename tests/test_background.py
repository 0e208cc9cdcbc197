"""``background``: a step run in a forked process gives its result, or fails the build loudly."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from running_injuries import background

# fork=True below: other tests (the browser's) may have left threads, which can_fork() refuses.
needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")


@needs_fork
def test_forked_step_writes_files_and_returns_its_result(tmp_path: Path) -> None:
    data = {"page": "<p>known before the fork</p>"}  # the child sees the parent's memory as it was

    def step() -> list[str]:
        (tmp_path / "out.html").write_text(data["page"], encoding="utf-8")
        return [f"written by {os.getpid()}"]

    job = background.start(step, fork=True)
    assert job.forked
    result = job.wait()
    assert (tmp_path / "out.html").read_text(encoding="utf-8") == "<p>known before the fork</p>"
    assert result != [f"written by {os.getpid()}"] and result[0].startswith("written by ")


@needs_fork
def test_forked_step_failure_is_raised_with_its_traceback() -> None:
    def step() -> None:
        raise ValueError("the step broke")

    job = background.start(step, fork=True)
    with pytest.raises(background.BackgroundError, match=r"ValueError: the step broke[\s\S]*exit code 1"):
        job.wait()


@needs_fork
def test_a_step_that_dies_without_a_result_is_an_error() -> None:
    job = background.start(lambda: os._exit(3), fork=True)
    with pytest.raises(background.BackgroundError, match="stopped without a result"):
        job.wait()


def test_without_fork_the_step_runs_when_waited_for(tmp_path: Path) -> None:
    ran: list[int] = []
    job = background.start(lambda: ran.append(os.getpid()) or "done", fork=False)
    assert not job.forked and ran == []
    assert job.wait() == "done" and ran == [os.getpid()]


@needs_fork
def test_cancel_stops_a_running_step() -> None:
    import time

    job = background.start(lambda: time.sleep(30), fork=True)
    job.cancel()
    assert not job._process.is_alive()


def test_no_fork_while_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not background.can_fork()
        assert not background.start(lambda: None).forked
    finally:
        stop.set()
        thread.join()


def test_one_process_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNNING_INJURIES_PROCESSES", "1")
    assert not background.can_fork()


@needs_fork
def test_stream_sends_each_item_in_order_while_it_goes_on() -> None:
    parent = os.getpid()
    stream = background.Stream(lambda: ((n, os.getpid()) for n in range(5)))
    items = list(stream)
    assert [n for n, _ in items] == [0, 1, 2, 3, 4]
    assert {pid for _, pid in items} != {parent}


@needs_fork
def test_stream_failure_comes_after_the_items_sent_before_it() -> None:
    def items():
        yield "first"
        raise ValueError("the step broke")

    received = []
    with pytest.raises(background.BackgroundError, match=r"ValueError: the step broke"):
        for item in background.Stream(items):
            received.append(item)
    assert received == ["first"]


@needs_fork
def test_stream_cancel_stops_a_step_that_has_not_finished() -> None:
    import itertools

    stream = background.Stream(lambda: itertools.count())  # never ends
    assert next(iter(stream)) == 0
    stream.cancel()
    assert not stream._process.is_alive()


def test_no_stream_where_a_step_cannot_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNNING_INJURIES_PROCESSES", "1")
    assert background.stream(lambda: iter(())) is None
