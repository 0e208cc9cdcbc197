"""Load, check and link all content in one pass: the single implementation behind the build,
``make check`` and the benchmark."""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .content.load import load_site
from .content.model import Site
from .content.problems import Problems
from .content.validate import validate_site
from .knowledge.citations import Bibliography, CitedText, cite, unused_reference_warnings
from .knowledge.links import Links, build_links
from .knowledge.readability import Reading, reading, too_hard_message


def build_date() -> dt.date:
    """Today, or the date of ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds, tests)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.datetime.now(tz=dt.timezone.utc).date()


@dataclass
class Prepared:
    """Everything the renderers need, and every problem found on the way."""

    root: Path
    site: Site
    bibliography: Bibliography
    cited: dict[str, CitedText]  # by content path, for topics and conditions
    problems: Problems
    today: dt.date
    reading: dict[str, Reading] = field(default_factory=dict)  # by content path

    @functools.cached_property
    def links(self) -> Links:
        """The symptom index and similar conditions, built when the pages first need them."""
        return build_links(self.site)


def process_pool() -> ProcessPoolExecutor | None:
    """One process on the second core for pure-core work (grades, clinics' files), or None: one core,
    RUNNING_INJURIES_WORKERS=0 (the benchmark's stage timers), or no pool here. It forks while no
    other thread runs, else starts afresh (a fork must not inherit ``mkdocs serve``'s threads)."""
    if (os.cpu_count() or 1) < 2 or os.environ.get("RUNNING_INJURIES_WORKERS") == "0":
        return None
    fork = threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
    try:
        return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork" if fork else "spawn"),
                                   initializer=_start_worker, initargs=(os.getpid(),))
    except (OSError, NotImplementedError, ImportError):  # no semaphores or shared memory here
        return None


def _start_worker(parent: int) -> None:
    """In the pool's process: leave Ctrl-C to the build (a terminal sends it to the whole process
    group), and end once the build's process is gone: killed (SIGTERM, SIGKILL), it cannot stop its
    pool, and a forked worker, which holds both ends of its task pipe, would wait for tasks forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


def _end_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def prepare(content_dir: Path, root: Path, *, today: dt.date | None = None,
            executor: Executor | None = None) -> Prepared:
    """Read and check ``content_dir``; paths in problems are relative to ``root``. With an
    ``executor`` (a process pool), the reading grades are worked out there meanwhile."""
    today = today or build_date()
    problems = Problems()
    site = load_site(content_dir, root, problems)
    pages = [*site.topics.values(), *site.conditions.values()]
    bodies, lines = [page.body for page in pages], [page.body_line for page in pages]
    graded = executor.map(reading, bodies, lines, chunksize=64) if executor else map(reading, bodies, lines)
    references = content_dir / "references.json"
    bibliography = Bibliography.load(references, references.relative_to(root).as_posix(), problems)
    validate_site(site, problems, today=today)
    cited = {page.path: cite(page.body, bibliography, path=page.path, first_line=page.body_line, problems=problems)
             for page in pages}
    grades = {page.path: grade for page, grade in zip(pages, graded)}
    for page in pages:
        if grades[page.path].too_hard:
            problems.warn(page.path, page.body_line, "body", too_hard_message(grades[page.path]))
    used = {ref.reference.id for text in cited.values() for ref in text.references}
    unused_reference_warnings(bibliography, used, references.relative_to(root).as_posix(), problems)
    return Prepared(root, site, bibliography, cited, problems, today, grades)
