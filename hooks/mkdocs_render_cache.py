"""What ``mkdocs serve``'s rebuilds can reuse: pages whose Markdown has not changed.

MkDocs 1.x rebuilds the whole site after every edit (its ``--dirty`` reload would serve stale
pages here: see the README), and an edit to one condition file changes the Markdown of only a
few pages: that page, its topic, the comparison, the symptom pages it lists. For the life of the
server process, this module keeps what rendering each page left on it (the same attributes that
``mkdocs_render_split`` carries between processes) and the sanitized HTML made from it, and a
rebuild takes them for every page whose inputs are all the same:

- rendering reads the page's Markdown (after ``on_page_markdown``), its address, the address of
  every file (links are checked and rewritten against them) and the Markdown and validation
  settings. The page's Markdown and address are the key; when any file or setting differs from
  the previous build's, nothing is reused;
- sanitizing reads only the HTML it is given, which is its key;
- a page whose rendering logged anything is never kept, so its messages come on every build;
- what a build did not use is dropped after it: the cache holds one build's pages, no more, and
  its keys are digests, not the texts.

It assumes that rendering a page reads nothing but those: true of the Markdown extensions in
``mkdocs.yml``, not of ones that include other files (``pymdownx.snippets``, say), which would
need their files in the key.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


@dataclass(frozen=True)
class _Rendered:
    content: str
    toc: Any
    title: str | None
    anchor_ids: frozenset[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # by the src_uri of the file linked to


class _Store:
    """Kept between the builds of one process."""

    def __init__(self) -> None:
        self.settings: tuple[Any, ...] | None = None
        self.pages: dict[bytes, _Rendered] = {}
        self.sanitized: dict[bytes, str] = {}


_STORE = _Store()


class RenderCache:
    """One build's use of the cache: ``adopt`` each page before it renders, ``sanitized`` for its
    HTML, ``finish`` after the last page."""

    def __init__(self, config: MkDocsConfig, files: Files) -> None:
        settings = (
            tuple((f.src_uri, f.dest_uri, f.url, f.inclusion.name) for f in files),
            repr(config.markdown_extensions), repr(config.mdx_configs), repr(config.validation),
        )
        if settings != _STORE.settings:
            _STORE.settings, _STORE.pages, _STORE.sanitized = settings, {}, {}
        self._used_pages: dict[bytes, _Rendered] = {}
        self._used_sanitized: dict[bytes, str] = {}
        self._loggers = [logging.getLogger(), *(logger for logger in logging.root.manager.loggerDict.values()
                                                if isinstance(logger, logging.Logger) and logger.handlers)]
        self.reused = 0

    def adopt(self, page: Page) -> None:
        """``on_pre_page``: the page's next ``render`` takes the kept result if its Markdown is the
        same, or renders (as it would have) and keeps the result if that logged nothing. A page
        that another process renders (``mkdocs_render_split``, which brings back the page as
        ``on_page_content`` left it) is left alone."""
        if "render" in vars(page):
            return
        render = page.render

        def cached_render(config: MkDocsConfig, files: Files) -> None:
            vars(page).pop("render", None)  # Page.render again, for any later call
            key = _digest(page.file.src_uri, page.file.url, page.markdown or "")
            kept = _STORE.pages.get(key)
            if kept is None:
                with _Counting(self._loggers) as counter:
                    render(config, files)
                if counter.count:
                    return
                links, anchors = page.links_to_anchors, page.present_anchor_ids
                kept = _Rendered(page.content or "", page.toc, page._title_from_render,
                                 None if anchors is None else frozenset(anchors),
                                 None if links is None else {f.src_uri: dict(v) for f, v in links.items()})
            else:
                self.reused += 1
                page.content = kept.content
                page.toc = kept.toc
                page._title_from_render = kept.title
                page.present_anchor_ids = set(kept.anchor_ids) if kept.anchor_ids is not None else None
                if kept.links_to_anchors is not None:
                    page.links_to_anchors = {files.get_file_from_path(uri): dict(links)  # type: ignore[misc]
                                             for uri, links in kept.links_to_anchors.items()}
            self._used_pages[key] = kept

        page.render = cached_render  # type: ignore[method-assign]

    def sanitized(self, html: str, sanitize: Callable[[str], str]) -> str:
        """``sanitize(html)``, kept from the previous build when ``html`` is the same."""
        key = _digest(html)
        clean = _STORE.sanitized.get(key)
        if clean is None:
            clean = sanitize(html)
        self._used_sanitized[key] = clean
        return clean

    def finish(self) -> None:
        """After the last page: keep what this build used, and only that."""
        _STORE.pages, _STORE.sanitized = self._used_pages, self._used_sanitized


def _digest(*texts: str) -> bytes:
    """A key for ``texts`` that does not keep them: 128 bits of BLAKE2b, so no two differ by chance."""
    digest = hashlib.blake2b(digest_size=16)
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.digest()


class _Counting(logging.Handler):
    """Counts the log records emitted while it is installed: on the root logger and on every
    logger with handlers of its own (MkDocs' ``mkdocs``, for one), where any record that is
    printed passes."""

    def __init__(self, loggers: list[logging.Logger]) -> None:
        super().__init__(logging.NOTSET)
        self.count = 0
        self._loggers = loggers

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def __enter__(self) -> _Counting:
        for logger in self._loggers:
            logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        for logger in self._loggers:
            logger.removeHandler(self)
