"""Half of the generated pages rendered in a second process, while MkDocs renders the rest.

MkDocs 1.x reads and renders every page in one loop, on one core: at a thousand conditions that
loop (Markdown, then ``on_page_content``, which sanitizes) is a third of the build, while the
second core waits. At ``on_nav``, just before the loop, ``start`` forks a process
(``running_injuries.background.stream``) that runs MkDocs' own page step (``_populate_page``:
``on_pre_page``, reading, ``on_page_markdown``, Markdown, ``on_page_content``) for about half the
generated pages (``SHARE``), and sends back what that step left on each page. The build's loop
still reads each page and runs ``on_page_markdown`` (both cheap); when it comes to render a page
the other process has done, it takes that result instead (``RenderSplit.adopt`` gives the page
object a ``render`` of its own, for that one call).

The output does not change, and no message is lost:

- A page whose step logged anything (a warning about a link, say) or failed comes back empty, and
  the build renders it itself: every message is logged once, in order, by the build, where
  ``--strict`` counts it. (With ``mkdocs -v`` every page logs debug lines as it renders, so the
  build renders them all itself: the same site, just not sooner.)
- It is used only with MkDocs 1.6, whose private ``_populate_page`` and the attributes that
  ``Page.render`` sets it relies on; only where the build may fork (``background.can_fork``: not in
  ``mkdocs serve``'s rebuilds, which run beside the server's threads), not with ``--dirty``, and
  only when no plugin but the adapter handles the page events it takes over.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import mkdocs
from mkdocs.commands import build as mkdocs_build
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page

from running_injuries import background

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.running_injuries")

# The other process's share of the pages: a little over half, because the build's own loop still
# reads each of its pages and takes the result. At 1,000 conditions, with half the other process
# was idle for the last 0.2 s; with 0.52 to 0.54 both were busy to the end and the loop took 0.1
# to 0.15 s less; with 5/9 or 3/5 the build waited for the other process.
SHARE = 0.53

# The events that run inside MkDocs' page step: the other process runs them for its pages.
_PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content")


@dataclass(frozen=True)
class Rendered:
    """What ``Page.render`` leaves on a page (MkDocs 1.6), in a form that can be kept or pickled:
    the files that links point to by their src_uri. ``mkdocs_render_cache`` keeps the same."""

    content: str
    toc: Any
    title: str | None
    anchor_ids: frozenset[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # by the src_uri of the file linked to

    @classmethod
    def of(cls, page: Page) -> Rendered:
        links, anchors = page.links_to_anchors, page.present_anchor_ids
        return cls(page.content or "", page.toc, page._title_from_render,
                   None if anchors is None else frozenset(anchors),
                   None if links is None else {f.src_uri: dict(v) for f, v in links.items()})

    def apply(self, page: Page, files: Files) -> None:
        """Put it on ``page`` as ``Page.render`` would have (each page its own mutable copies)."""
        page.content = self.content
        page.toc = self.toc
        page._title_from_render = self.title
        page.present_anchor_ids = None if self.anchor_ids is None else set(self.anchor_ids)
        if self.links_to_anchors is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): dict(links)  # type: ignore[misc]
                                     for uri, links in self.links_to_anchors.items()}


def take_next_render(page: Page, render: Callable[[MkDocsConfig, Files], None]) -> None:
    """Have the page's next ``render(config, files)`` call ``render`` instead, and any later one
    ``Page.render`` again, unless something has already taken that call (then nothing changes).
    How this module, ``mkdocs_render_cache`` and ``mkdocs_markdown_reuse`` (in that order, in
    ``on_pre_page``) each take over rendering a page."""
    if "render" in vars(page):
        return

    def once(config: MkDocsConfig, files: Files) -> None:
        vars(page).pop("render", None)  # Page.render again, for any later call
        render(config, files)

    page.render = once  # type: ignore[method-assign]


class LogCounter(logging.Handler):
    """Counts the log records that reach it, on the loggers it is installed on (``with``)."""

    def __init__(self, loggers: list[logging.Logger]) -> None:
        super().__init__(logging.NOTSET)
        self.count = 0
        self._loggers = loggers

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def __enter__(self) -> LogCounter:
        for logger in self._loggers:
            logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        for logger in self._loggers:
            logger.removeHandler(self)


def every_logger() -> list[logging.Logger]:
    """The root logger and every named one created so far."""
    return [logging.getLogger(), *(logger for logger in logging.root.manager.loggerDict.values()
                                   if isinstance(logger, logging.Logger))]


class RenderSplit:
    """The other process's pages, taken by the build's loop as it reaches them."""

    def __init__(self, stream: background.Stream[tuple[str, tuple[Rendered, Any] | None]],
                 assigned: set[str]) -> None:
        self._stream = stream
        self._items = iter(stream)
        self._assigned = assigned
        self._received: dict[str, tuple[Rendered, Any] | None] = {}
        self._taken: dict[str, Any] = {}
        self._pid = os.getpid()

    def adopt(self, page: Page) -> None:
        """``on_pre_page``: if the other process renders this page, its next ``render`` takes that
        result. Does nothing in the other process itself."""
        if os.getpid() == self._pid and page.file.src_uri in self._assigned:
            take_next_render(page, lambda config, files: self._render(page, config, files))

    def kept(self, page: Page) -> tuple[bool, Any]:
        """``on_page_content``: whether the other process rendered this page, and what the
        adapter's ``on_page_content`` kept aside there."""
        if page.file.src_uri in self._taken:
            return True, self._taken.pop(page.file.src_uri)
        return False, None

    def close(self) -> None:
        """The loop is over (or the build failed): stop the other process if it still runs."""
        self._stream.cancel()

    def _render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        result = self._take(page.file.src_uri)
        if result is None:  # the other process logged something, or failed: render here
            page.render(config, files)
            return
        rendered, kept = result
        rendered.apply(page, files)
        self._taken[page.file.src_uri] = kept

    def _take(self, src_uri: str) -> tuple[Rendered, Any] | None:
        while src_uri not in self._received:
            try:
                uri, result = next(self._items)
            except StopIteration:
                return None
            except background.BackgroundError as error:  # the build renders the rest itself
                log.debug(f"Rendering in a second process stopped: {error}")
                self._items = iter(())
                return None
            self._received[uri] = result
        return self._received.pop(src_uri)


def start(config: MkDocsConfig, files: Files, pages: set[str], *, owner: str, dirty: bool,
          keep: Callable[[Page], Any]) -> RenderSplit | None:
    """Fork a process that renders ``SHARE`` of ``pages`` (src_uris), spread evenly over MkDocs'
    order, or ``None`` where that cannot be done safely (see the module's docstring). ``owner``
    is the adapter module's name: no other plugin may handle the page events. ``keep(page)``
    runs in that process after a page's step, and what it returns is sent back with the page."""
    if dirty or not _supported(config, owner):
        return None
    ordered = [file for file in files.documentation_pages(inclusion=InclusionLevel.is_included)
               if file.src_uri in pages]
    assigned = [file for index, file in enumerate(ordered) if int((index + 1) * SHARE) > int(index * SHARE)]
    if not assigned:
        return None
    stream = background.stream(lambda: _render_pages(config, files, assigned, keep))
    if stream is None:
        return None
    return RenderSplit(stream, {file.src_uri for file in assigned})


def _supported(config: MkDocsConfig, owner: str) -> bool:
    if not mkdocs.__version__.startswith("1.6.") or not hasattr(mkdocs_build, "_populate_page"):
        return False
    return all(getattr(handler, "__module__", None) == owner
               for event in _PAGE_EVENTS for handler in config.plugins.events.get(event, ()))


def count_logging() -> LogCounter:
    """In the other process: every log record goes to one counter, and nothing is printed."""
    for logger in every_logger():
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.propagate = True
    return LogCounter([logging.getLogger()]).__enter__()  # for the life of that process


def _render_pages(config: MkDocsConfig, files: Files, assigned: list[File],
                  keep: Callable[[Page], Any]) -> Iterator[tuple[str, tuple[Rendered, Any] | None]]:
    """In the other process: MkDocs' page step for each page, and what it left on the page."""
    counter = count_logging()
    for file in assigned:
        counter.count = 0
        if file.page is None:  # as MkDocs' loop does, for a page outside the nav
            Page(None, file, config)
        page = file.page
        assert page is not None
        try:
            mkdocs_build._populate_page(page, config, files)
            kept = keep(page)
        except Exception:  # noqa: BLE001 - the build renders this page again, and reports it
            counter.count += 1
        if counter.count:
            yield file.src_uri, None
            continue
        yield file.src_uri, (Rendered.of(page), kept)
        # Sent: this process needs none of it again, and holds it to its end otherwise.
        page.content = page.markdown = page.toc = page.present_anchor_ids = page.links_to_anchors = None
