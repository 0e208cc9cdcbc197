"""Run one step of the build in a second process while the build goes on, on the second core.

Used for four steps: the reading grades (``pipeline``), worked out while the content is loaded,
checked and cited; the generated pages' Markdown source (``render``: both processes take pages
one at a time from ``Claims``); about half the generated pages' HTML (the adapter's
``mkdocs_render_split``), rendered while MkDocs renders the rest; and the publish step (embeds,
cards, API, feed), which needs every page's HTML and runs while MkDocs wraps the pages in the
theme, on one core. When its own work is done, that process wraps generated pages in the theme
too, from the end of MkDocs' list while MkDocs goes on from the front (the adapter's
``mkdocs_theme_split``, with ``Ends``). Once the pages are written, the build joins the publish
step: the two processes take its conditions one at a time from ``Claims``. A forked process
starts with the caller's memory as it is (nothing is copied or pickled on the way in), does its
work, and sends back only what the step returns (pickled; ``stream``: each item as soon as it is
ready), or the traceback of what went wrong.

Where ``fork`` is missing (Windows) or unsafe (a process with threads: ``mkdocs serve`` once its
server runs, so on every rebuild), or no process can be started, the step runs in the calling
process when it is waited for: the same result, just later. So does a step whose process failed
or was killed: if the step fails again, its own error is raised, as without a fork.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import itertools
import logging
import multiprocessing
import os
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

try:
    import fcntl
except ImportError:  # Windows: no fork either, so no second process to share with
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")


class BackgroundError(RuntimeError):
    """The step failed in the other process; the message holds its traceback."""


# `RUNNING_INJURIES_PROCESSES=1` keeps every step in the calling process (the benchmark's stage
# timers count only the time spent in their own process).
ONE_PROCESS = "RUNNING_INJURIES_PROCESSES"


log = logging.getLogger(__name__)


def can_fork() -> bool:
    """Whether a step can run in a forked process: POSIX, this process runs no other thread (a
    thread holding a lock at the fork would leave the copy of that lock held for ever), and it is
    not itself such a process (which may not have children)."""
    return ("fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
            and os.environ.get(ONE_PROCESS) != "1" and not multiprocessing.current_process().daemon)


_children = 0  # forked processes not yet done: objects stay frozen while any runs


def _fork(target: Callable[[Any], None]) -> tuple[Any, Any]:
    """Start ``target(sender)`` in a forked process; the process, and the pipe end to receive on."""
    global _children
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    sys.stdout.flush()
    sys.stderr.flush()
    process = context.Process(target=target, args=(sender,), daemon=True)
    _release_free_memory()
    # Objects that exist now are left out of garbage collections, the child's and (until the
    # child is done: ``_thaw``) the parent's: a collection writes to every object it visits, which
    # would copy the memory the two processes share, page by page.
    gc.freeze()
    _children += 1
    try:
        process.start()
    except BaseException:
        _thaw()
        receiver.close()
        sender.close()
        raise
    sender.close()  # the child's end: the parent keeps only its own
    return process, receiver


def _release_free_memory() -> None:
    """Give the memory that the C allocator holds free back to the system before a fork (glibc's
    ``malloc_trim``; nothing elsewhere). A page that is free but still mapped would otherwise be
    shared by both processes, and copied by the first write of either: at 3,000 conditions the
    two used 60 MB more at their peak."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc
        return None


def _thaw() -> None:
    """A child is done: once none runs, the parent's collections may visit every object again."""
    global _children
    _children -= 1
    if _children == 0:
        gc.unfreeze()


class Job(Generic[T]):
    """A step started by ``start``; ``wait`` gives its result."""

    def __init__(self, step: Callable[[], T], *, fork: bool) -> None:
        self._step = step
        self._process: Any = None
        self._receiver: Any = None
        if fork:
            try:
                self._process, self._receiver = _fork(functools.partial(_run, step))
            except OSError as error:  # no process to be had (a limit, memory): the step runs here
                log.debug(f"Could not start a second process: {error}")

    @property
    def forked(self) -> bool:
        return self._process is not None

    def cancel(self) -> None:
        """Stop the step if it runs in another process (the build failed: its files are not wanted)."""
        if self._process is not None and not self._receiver.closed:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._receiver.close()
            _thaw()

    def wait(self) -> T:
        """The step's result, once it has finished (run here again if its process failed)."""
        if self._process is None:
            return self._step()
        try:
            status, value = self._receiver.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            status, value = "error", "the process stopped without a result"
        finally:
            self._receiver.close()
            self._process.join()
            _thaw()
        if status != "ok":
            # The other process failed or was killed (out of memory, say): the step runs here,
            # as it would without a fork. A step that fails again raises its own error.
            log.debug(f"The second process failed (exit code {self._process.exitcode}); running its "
                      f"step here:\n{value}")
            return self._step()
        return value


def start(step: Callable[[], T], *, fork: bool | None = None) -> Job[T]:
    """Start ``step`` in a forked process when possible (``fork=None``), or not (``fork=False``)."""
    return Job(step, fork=can_fork() if fork is None else fork)


class Stream(Generic[T]):
    """Items that a step yields in a forked process (started by ``stream``), received in order as
    the step sends them, while it goes on with the next."""

    def __init__(self, items: Callable[[], Iterable[T]]) -> None:
        self._process, self._receiver = _fork(functools.partial(_run_stream, items))
        self._ended = False

    def __iter__(self) -> Iterator[T]:
        """Each item once it has arrived; ``BackgroundError`` if the step failed."""
        while not self._ended:
            try:
                status, value = self._receiver.recv()
            except EOFError:  # the child died without a word (killed, out of memory)
                status, value = "error", "the process stopped without a result"
            if status == "item":
                yield value
                continue
            self._finish()
            if status != "end":
                raise BackgroundError(f"{value}\n(exit code {self._process.exitcode})")

    def cancel(self) -> None:
        """Stop the step if it still runs, and drop what it has not yet sent."""
        if not self._ended and self._process.is_alive():
            self._process.terminate()
        self._finish()

    def _finish(self) -> None:
        if not self._ended:
            self._ended = True
            self._receiver.close()
            self._process.join()
            _thaw()


def stream(items: Callable[[], Iterable[T]]) -> Stream[T] | None:
    """Start ``items`` in a forked process, or ``None`` where a step cannot fork (``can_fork``)
    or no process could be started: the caller then does the work itself."""
    if not can_fork():
        return None
    try:
        return Stream(items)
    except OSError as error:
        log.debug(f"Could not start a second process: {error}")
        return None


def _run_stream(items: Callable[[], Iterable[Any]], sender: Any) -> None:
    _send(sender, lambda: itertools.chain((("item", item) for item in items()), [("end", None)]))


def _run(step: Callable[[], Any], sender: Any) -> None:
    _send(sender, lambda: [("ok", step())])


def _send(sender: Any, messages: Callable[[], Iterable[tuple[str, Any]]]) -> None:
    """In the forked process: send each message as it comes, or the traceback of a failure."""
    try:
        for message in messages():
            sender.send(message)
    except BaseException:  # noqa: BLE001 - every failure goes back to the parent, with its traceback
        sender.send(("error", traceback.format_exc()))
        sender.close()
        sys.exit(1)
    sender.close()


class _Shared:
    """A few integers that a process and the processes it forks afterwards read and change one
    caller at a time. They live in a temporary file, read and written under a POSIX record lock,
    which the system releases if its holder dies: a child killed while it holds the lock never
    blocks the parent. Without ``fcntl`` (no fork either), plain values in this process."""

    def __init__(self, *initial: int) -> None:
        self._values = list(initial)
        self._file = tempfile.TemporaryFile() if fcntl is not None else None
        if self._file is not None:
            os.pwrite(self._file.fileno(), self._pack(self._values), 0)

    def update(self, change: Callable[[list[int]], T]) -> T:
        """``change(values)``, which may change the list it gets, with no other caller in between."""
        if self._file is None:
            return change(self._values)
        descriptor = self._file.fileno()
        fcntl.lockf(descriptor, fcntl.LOCK_EX)
        try:
            data = os.pread(descriptor, 8 * len(self._values), 0)
            values = [int.from_bytes(data[at:at + 8], "little", signed=True) for at in range(0, len(data), 8)]
            result = change(values)
            os.pwrite(descriptor, self._pack(values), 0)
        finally:
            fcntl.lockf(descriptor, fcntl.LOCK_UN)
        return result

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    @staticmethod
    def _pack(values: list[int]) -> bytes:
        return b"".join(value.to_bytes(8, "little", signed=True) for value in values)


class Claims:
    """Hands out the numbers ``0`` to ``count - 1``, each once, to whichever process asks next:
    the one that made this object, or a process it forked afterwards. Two processes that work
    through one list of tasks this way finish together, whichever of them is faster. The next
    number is shared as ``_Shared`` shares it."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._next = _Shared(0)

    def __iter__(self) -> Iterator[int]:
        """The numbers this process claims, until none is left."""
        while (number := self._next.update(_take_next)) < self.count:
            yield number

    def close(self) -> None:
        self._next.close()


def _take_next(values: list[int]) -> int:
    values[0] += 1
    return values[0] - 1


class Ends:
    """Hands out the numbers ``0`` to ``count - 1``, each once, from both ends: one process asks
    for each number as it reaches it, going up (``front``: MkDocs' page loop, which cannot skip
    ahead), another takes numbers from the top down whenever it is free (``back``), until the two
    meet; so both finish together. Shared as ``_Shared`` shares it."""

    def __init__(self, count: int) -> None:
        self.count = count
        # Above the highest number taken from the front, and the lowest taken from the back.
        self._ends = _Shared(0, count)

    def front(self, number: int) -> bool:
        """Take ``number`` for the front, unless the back has it: the back has taken every number
        from its lowest up."""
        return self._ends.update(lambda ends: _take_front(ends, number))

    def back(self) -> Iterator[int]:
        """The numbers taken from the back, from the last, until none is left."""
        while (number := self._ends.update(_take_back)) is not None:
            yield number

    def close(self) -> None:
        self._ends.close()


def _take_front(ends: list[int], number: int) -> bool:
    if number >= ends[1]:
        return False
    ends[0] = max(ends[0], number + 1)
    return True


def _take_back(ends: list[int]) -> int | None:
    if ends[1] <= ends[0]:
        return None
    ends[1] -= 1
    return ends[1]
