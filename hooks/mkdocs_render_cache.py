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
from typing import TYPE_CHECKING, Any, Callable

from mkdocs_render_split import LogCounter, Rendered, every_logger, take_next_render

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


class _Store:
    """Kept between the builds of one process."""

    def __init__(self) -> None:
        self.settings: tuple[Any, ...] | None = None
        self.pages: dict[bytes, Rendered] = {}
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
        self._used_pages: dict[bytes, Rendered] = {}
        self._used_sanitized: dict[bytes, str] = {}
        # The root logger and every logger with handlers of its own (MkDocs' "mkdocs", for one):
        # any record that is printed passes one of them.
        self._loggers = [logger for logger in every_logger() if logger.handlers or logger is logging.root]
        self.reused = 0

    def adopt(self, page: Page) -> None:
        """``on_pre_page``: the page's next ``render`` takes the kept result if its Markdown is the
        same, or renders (as it would have) and keeps the result if that logged nothing. A page
        that another process renders (``mkdocs_render_split``, which brings back the page as
        ``on_page_content`` left it) is left alone."""

        def cached_render(config: MkDocsConfig, files: Files) -> None:
            key = _digest(page.file.src_uri, page.file.url, page.markdown or "")
            kept = _STORE.pages.get(key)
            if kept is None:
                with LogCounter(self._loggers) as counter:
                    page.render(config, files)  # Page.render: the taken call is over
                if counter.count:
                    return
                kept = Rendered.of(page)
            else:
                self.reused += 1
                kept.apply(page, files)
            self._used_pages[key] = kept

        take_next_render(page, cached_render)

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
