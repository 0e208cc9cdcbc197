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
def test_a_step_that_fails_in_its_process_runs_again_here_and_raises_its_own_error() -> None:
    ran_in: list[int] = []

    def step() -> None:
        ran_in.append(os.getpid())
        raise ValueError("the step broke")

    job = background.start(step, fork=True)
    with pytest.raises(ValueError, match="the step broke"):
        job.wait()
    assert ran_in == [os.getpid()]  # the child's run is not seen here; the second run is


@needs_fork
def test_a_step_whose_process_dies_runs_again_here() -> None:
    parent = os.getpid()

    def step() -> str:
        if os.getpid() != parent:
            os._exit(3)  # killed, say by the out-of-memory killer
        return "done here"

    assert background.start(step, fork=True).wait() == "done here"


def test_a_step_runs_here_when_no_process_can_be_started(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_process(target):  # noqa: ANN001, ANN202 - as when fork fails with EAGAIN
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(background, "_fork", no_process)
    job = background.start(lambda: "done", fork=True)
    assert not job.forked and job.wait() == "done"
    monkeypatch.setattr(background, "can_fork", lambda: True)
    assert background.stream(lambda: iter(())) is None


@needs_fork
def test_objects_stay_frozen_until_the_last_process_is_done() -> None:
    import gc

    first = background.start(lambda: "first", fork=True)
    second = background.start(lambda: "second", fork=True)
    assert gc.get_freeze_count() > 0
    assert first.wait() == "first"
    assert gc.get_freeze_count() > 0  # the second still shares them
    assert second.wait() == "second"
    assert gc.get_freeze_count() == 0


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


# -- Claims: two processes share one list of tasks -------------------------------------------------


@needs_fork
def test_claims_give_each_number_to_one_process_only() -> None:
    import time

    claims = background.Claims(400)

    def step() -> list[int]:
        taken = []
        for number in claims:
            taken.append(number)
            time.sleep(0.0005)  # as slow as the parent: both take a share
        return taken

    job = background.start(step, fork=True)
    here = []
    for number in claims:
        here.append(number)
        time.sleep(0.0005)
    there = job.wait()
    claims.close()
    assert sorted(here + there) == list(range(400))  # every number, each once
    assert here and there


def test_claims_without_a_second_process_give_every_number_in_order() -> None:
    claims = background.Claims(5)
    assert list(claims) == [0, 1, 2, 3, 4] and list(claims) == []
    claims.close()


@needs_fork
def test_a_process_killed_while_it_claims_does_not_block_the_others() -> None:
    """The lock is the system's: it goes with the process that held it."""
    import fcntl
    import signal
    import time

    claims = background.Claims(3)
    locked, tell = os.pipe()

    def hold_the_lock_for_ever() -> None:
        fcntl.lockf(claims._next._file.fileno(), fcntl.LOCK_EX)
        os.write(tell, b"x")
        time.sleep(60)

    job = background.start(hold_the_lock_for_ever, fork=True)
    assert os.read(locked, 1) == b"x"  # the child holds the lock
    os.close(locked)
    os.close(tell)
    job.cancel()  # kills it
    signal.alarm(10)  # a test that hangs fails instead
    try:
        assert list(claims) == [0, 1, 2]
    finally:
        signal.alarm(0)
        claims.close()


# -- Ends: one process from the front, another from the back ---------------------------------------


@needs_fork
def test_ends_give_each_number_once_and_meet_in_the_middle() -> None:
    import time

    ends = background.Ends(300)
    started, tell = os.pipe()

    def from_the_back() -> list[int]:
        taken = []
        for number in ends.back():
            taken.append(number)
            if len(taken) == 1:
                os.write(tell, b"x")  # the front starts once the back has begun, however slow the fork
            time.sleep(0.0005)
        return taken

    job = background.start(from_the_back, fork=True)
    assert os.read(started, 1) == b"x"
    os.close(started)
    os.close(tell)
    here = []
    for number in range(300):  # the front goes through every number in order, as MkDocs' loop
        if ends.front(number):
            here.append(number)
        time.sleep(0.0005)
    there = job.wait()
    ends.close()
    assert here and there
    assert here == list(range(len(here)))  # a run from the front ...
    assert there == list(range(299, len(here) - 1, -1))  # ... and one from the back, meeting


def test_ends_without_a_second_process() -> None:
    ends = background.Ends(4)
    assert [ends.front(0), ends.front(1)] == [True, True]
    assert list(ends.back()) == [3, 2]
    assert [ends.front(2), ends.front(3)] == [False, False]  # the back has them
    assert list(ends.back()) == []
    ends.close()


def test_at_shutdown_the_build_leaves_its_objects_out_of_the_last_collections() -> None:
    import gc

    import mkdocs_hooks

    assert gc.get_freeze_count() == 0
    try:
        mkdocs_hooks.on_shutdown()
        assert gc.get_freeze_count() > 0  # the interpreter's exit does not visit them again
    finally:
        gc.unfreeze()
