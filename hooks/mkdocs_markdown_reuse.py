"""One Markdown converter per build (and process) for the pages, instead of one per page.

MkDocs 1.6 makes a new ``markdown.Markdown`` for every page it renders (``Page.render``), so the
extensions are loaded and configured again each time: a third of a millisecond a page, a third
of a second of a build at a thousand conditions. Python-Markdown's own way to convert many
documents is one instance, ``reset()`` between them. ``Converter.adopt`` gives a page a
``render`` that does what ``Page.render`` does, line for line, with the build's one converter:
MkDocs' own processors for the page (its links and anchors, its title) are registered anew for
each page, as ``Page.render`` registers them, replacing the previous page's.

The output does not change (``tests/test_markdown_reuse.py`` builds the site both ways). It is
used only with MkDocs 1.6, whose ``Page.render`` it follows (``start`` checks), and only for a
page whose ``render`` nothing else has taken over (``mkdocs_render_split``,
``mkdocs_render_cache``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import markdown
import mkdocs
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.toc import get_toc

from mkdocs_render_split import take_next_render

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

# What Page.render (MkDocs 1.6) uses besides the converter.
_PROCESSORS = ("_RawHTMLPreprocessor", "_ExtractAnchorsTreeprocessor", "_RelativePathTreeprocessor",
               "_ExtractTitleTreeprocessor")


class Converter:
    """The build's converter: made from the configuration when the first page needs it."""

    def __init__(self, config: MkDocsConfig) -> None:
        self._config = config
        self._markdown: markdown.Markdown | None = None

    def adopt(self, page: Page) -> None:
        """``on_pre_page``: the page's next ``render`` uses this converter, unless something else
        already renders the page its own way."""
        take_next_render(page, lambda config, files: self._render(page, config, files))

    def _render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self._converter()
        md.reset()
        # From here, Page.render of MkDocs 1.6.
        raw_html_ext = mkdocs_pages._RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = mkdocs_pages._ExtractTitleTreeprocessor()
        extract_title_ext._register(md)

        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = extract_title_ext.title
        page.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative_path_ext.links_to_anchors

    def _converter(self) -> markdown.Markdown:
        if self._markdown is None:
            self._markdown = markdown.Markdown(extensions=self._config["markdown_extensions"],
                                               extension_configs=self._config["mdx_configs"] or {})
        return self._markdown


def start(config: MkDocsConfig) -> Converter | None:
    """The build's converter, or ``None`` where MkDocs is not the version this module follows."""
    if not mkdocs.__version__.startswith("1.6.") or not all(hasattr(mkdocs_pages, name) for name in _PROCESSORS):
        return None
    return Converter(config)
