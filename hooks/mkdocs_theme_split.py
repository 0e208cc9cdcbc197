"""Generated pages wrapped in the theme by the publish step's process too, once its own work is done.

MkDocs 1.x wraps every page in the theme in one loop, on one core. The publish step (embeds,
cards, API) runs beside that loop in a second process (``running_injuries.background``) and
finishes first: at 1,000 conditions it then waited 0.3 to 0.7 s. Now, when it is done, that
process takes generated pages from the end of the loop's list and builds them with MkDocs' own
page step (``_build_page``: ``on_page_context``, the template, ``on_post_page``, writing the
file), while the loop goes on from the front; the two meet in the middle (``background.Ends``),
so both finish together however fast each is. The adapter puts the condition pages last in
MkDocs' order, so those are what the other process takes.

A page the other process has taken still goes through the loop, so that every plugin sees every
page in order (the search plugin indexes it there), but the theme renders nothing for it:
``overrides/main.html`` extends an empty template when the context says ``ri_elsewhere``, and
MkDocs writes no file for empty output (its "Page skipped" line for those pages is dropped).

The output does not change, and no message is lost: a page whose step logged anything, or that
the other process never finished (it failed, or was killed), is built again by the build itself
in ``on_post_build`` (``finish``), where every message is logged and ``--strict`` counts it.
It is used only with MkDocs 1.6 (its private ``_build_page``), only where the build may fork
(``background.can_fork``), not with ``--dirty``, for pages that use the theme's ``main.html``,
and only when no plugin but the adapter and the search plugin handles ``page_context``, and none
but the adapter ``post_page``.
"""

from __future__ import annotations

import logging
import os
import re
from typing import TYPE_CHECKING, Any

import mkdocs
from mkdocs.commands import build as mkdocs_build
from mkdocs.structure.files import InclusionLevel

import mkdocs_render_split
from running_injuries import background

if TYPE_CHECKING:
    from collections.abc import Iterable

    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

# The plugins whose page events the other process may run for a page (besides the adapter): the
# search plugin's on_page_context only indexes the page, in the build's loop as before.
_SEARCH_PLUGINS = ("mkdocs.contrib.search", "material.plugins.search.plugin")

# MkDocs' line for a page whose template wrote nothing (mkdocs/commands/build.py, 1.6).
_SKIPPED = re.compile(r"Page skipped: '(.*)'\. Generated empty output\.", re.DOTALL)


class ThemeSplit:
    """The generated pages of one build, shared between MkDocs' loop (from the front) and the
    publish step's process (from the back)."""

    def __init__(self, config: MkDocsConfig, nav: Navigation, env: jinja2.Environment,
                 doc_files: list[File], pages: list[Page]) -> None:
        self._config = config
        self._nav = nav
        self._env = env
        self._doc_files = doc_files
        self._pages = pages
        self._number = {page.file.src_uri: number for number, page in enumerate(pages)}
        self._ends = background.Ends(len(pages))
        self._elsewhere: set[str] = set()  # left by the loop to the other process
        self._building: Page | None = None  # the page this process builds from the back
        self._parent = os.getpid()
        self._quiet = _DropSkipped(self._elsewhere)
        logging.getLogger(mkdocs_build.__name__).addFilter(self._quiet)

    def elsewhere(self, page: Page) -> bool:
        """``on_page_context``: whether the other process builds this page, so that the theme
        renders nothing for it here. Claims it for this process otherwise."""
        if page is self._building:
            return False
        number = self._number.get(page.file.src_uri)
        if number is None:
            return False
        if self._ends.front(number):
            return False
        self._elsewhere.add(page.file.src_uri)
        return True

    def build_from_back(self) -> list[str]:
        """In the publish step's process: build pages from the back until the loop is met; the
        src_uris of those built without a log message (the build builds the others again)."""
        # Forked, nothing is printed: every log record is counted (the build logs it again).
        counter = mkdocs_render_split.count_logging() if os.getpid() != self._parent else None
        done = []
        for number in self._ends.back():
            page = self._pages[number]
            if counter is not None:
                counter.count = 0
            try:
                self._build(page)
            except Exception:  # noqa: BLE001 - the build builds this page again, and reports it
                continue
            if counter is None or not counter.count:
                done.append(page.file.src_uri)
        return done

    def finish(self, done: Iterable[str]) -> None:
        """``on_post_build``: build every page that the loop left to the other process and that
        process did not build (``done``: the src_uris it sent back), logging as the loop would."""
        self.close()
        missing = self._elsewhere.difference(done)
        for page in self._pages:
            if page.file.src_uri in missing:
                self._build(page)

    def close(self) -> None:
        logging.getLogger(mkdocs_build.__name__).removeFilter(self._quiet)
        self._ends.close()

    def _build(self, page: Page) -> None:
        """MkDocs' page step, without the search plugin: the loop has indexed the page already
        (and the adapter's ``on_page_context`` puts back the content the search plugin changes)."""
        events = self._config.plugins.events
        every = events["page_context"]
        events["page_context"] = [handler for handler in every if _module(handler) not in _SEARCH_PLUGINS]
        self._building = page
        try:
            mkdocs_build._build_page(page, self._config, self._doc_files, self._nav, self._env)
        finally:
            self._building = None
            events["page_context"] = every


def start(config: MkDocsConfig, files: Files, nav: Navigation, env: jinja2.Environment,
          pages: set[str], *, owner: str, dirty: bool) -> ThemeSplit | None:
    """The split for the generated ``pages`` (src_uris), or ``None`` where it cannot be done
    safely (see the module's docstring). ``owner`` is the adapter module's name."""
    if dirty or not background.can_fork() or not _supported(config, owner):
        return None
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    shared = [file.page for file in doc_files
              if file.src_uri in pages and file.page is not None
              and file.page.meta.get("template", "main.html") == "main.html"]
    if not shared:
        return None
    return ThemeSplit(config, nav, env, doc_files, shared)


def _supported(config: MkDocsConfig, owner: str) -> bool:
    if not mkdocs.__version__.startswith("1.6.") or not hasattr(mkdocs_build, "_build_page"):
        return False
    events = config.plugins.events
    return (all(_module(handler) == owner for handler in events.get("post_page", ()))
            and all(_module(handler) in (owner, *_SEARCH_PLUGINS) for handler in events.get("page_context", ())))


def _module(handler: Any) -> str | None:
    return getattr(handler, "__module__", None)


class _DropSkipped(logging.Filter):
    """Drops MkDocs' "Page skipped" line for the pages the other process builds."""

    def __init__(self, src_uris: set[str]) -> None:
        super().__init__()
        self._src_uris = src_uris

    def filter(self, record: logging.LogRecord) -> bool:
        match = _SKIPPED.fullmatch(record.getMessage())
        return match is None or match.group(1) not in self._src_uris
