"""Run one step of the build in a second process while the build goes on, on the second core.

Used for two steps: the reading grades (``pipeline``), worked out while the content is loaded,
checked and cited; and the publish step (embeds, cards, API, feed), which needs every page's HTML
and runs while MkDocs wraps the pages in the theme, on one core. A forked process starts with the
caller's memory as it is (nothing is copied or pickled on the way in), does its work, and sends
back only what the step returns (pickled), or the traceback of what went wrong.

Where ``fork`` is missing (Windows) or unsafe (a process with threads: ``mkdocs serve`` once its
server runs, so on every rebuild), the step runs in the calling process when it is waited for:
the same result, just later.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
import traceback
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


class BackgroundError(RuntimeError):
    """The step failed in the other process; the message holds its traceback."""


# `RUNNING_INJURIES_PROCESSES=1` keeps every step in the calling process (the benchmark's stage
# timers count only the time spent in their own process).
ONE_PROCESS = "RUNNING_INJURIES_PROCESSES"


def can_fork() -> bool:
    """Whether a step can run in a forked process: POSIX, and this process runs no other thread
    (a thread holding a lock at the fork would leave the copy of that lock held for ever)."""
    return ("fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
            and os.environ.get(ONE_PROCESS) != "1")


class Job(Generic[T]):
    """A step started by ``start``; ``wait`` gives its result."""

    def __init__(self, step: Callable[[], T], *, fork: bool) -> None:
        self._step = step
        self._process: Any = None
        self._receiver: Any = None
        if fork:
            context = multiprocessing.get_context("fork")
            self._receiver, sender = context.Pipe(duplex=False)
            sys.stdout.flush()
            sys.stderr.flush()
            self._process = context.Process(target=_run, args=(step, sender), daemon=True)
            # Objects that exist now are left out of the child's garbage collections: a collection
            # writes to every object it visits, which would copy the parent's memory page by page.
            gc.freeze()
            try:
                self._process.start()
            finally:
                gc.unfreeze()
            sender.close()  # the child's end: the parent keeps only its own

    @property
    def forked(self) -> bool:
        return self._process is not None

    def cancel(self) -> None:
        """Stop the step if it runs in another process (the build failed: its files are not wanted)."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._receiver.close()

    def wait(self) -> T:
        """The step's result, once it has finished; ``BackgroundError`` if it failed."""
        if self._process is None:
            return self._step()
        try:
            status, value = self._receiver.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            status, value = "error", "the process stopped without a result"
        finally:
            self._receiver.close()
            self._process.join()
        if status != "ok":
            raise BackgroundError(f"{value}\n(exit code {self._process.exitcode})")
        return value


def start(step: Callable[[], T], *, fork: bool | None = None) -> Job[T]:
    """Start ``step`` in a forked process when possible (``fork=None``), or not (``fork=False``)."""
    return Job(step, fork=can_fork() if fork is None else fork)


def _run(step: Callable[[], Any], sender: Any) -> None:
    try:
        result = step()
    except BaseException:  # noqa: BLE001 - every failure goes back to the parent, with its traceback
        sender.send(("error", traceback.format_exc()))
        sender.close()
        sys.exit(1)
    sender.send(("ok", result))
    sender.close()
