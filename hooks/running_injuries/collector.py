"""Full garbage collections held back while a build makes the objects it keeps to its end.

Loading, checking, citing and rendering the content make hundreds of thousands of objects that
live until the build ends. Python's cyclic collector counts them as they come and, twice at 1,000
conditions, starts a full collection that visits every object only to free almost nothing. Each
visit also writes to the object it visits, which copies the memory that the process grading the
bodies shares with the build (``background``), page by page. ``full_collections_held_back`` lets
the young generations be collected as usual, and the full collections resume after the step: at
1,000 conditions the steps before MkDocs reads the pages took 1.3 to 1.5 s, and 1.0 to 1.2 s
without them, in three builds of each in turn.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_NEVER = 2**31 - 1  # collections of the middle generation before a full one: never, in practice


@contextmanager
def full_collections_held_back() -> Iterator[None]:
    """No full collection while the block runs; the young generations are collected as usual."""
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, _NEVER)
    try:
        yield
    finally:
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, full)
