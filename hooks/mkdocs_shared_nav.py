"""Material's site navigation, rendered once for all the pages that would each render it the same.

Material writes the whole navigation (the sidebar, and the drawer on phones) into every page. At
a thousand conditions that is two fifths of the theme's time, and it grows with the number of
pages times the number of topics in the nav. A page outside the nav (a condition, a symptom)
marks no nav item as active, so its navigation differs from that of a sibling (a page outside
the nav in the same folder) only in its links, which are relative to the page; and those are
the same for all the siblings unless a link points into the page's own folder. So siblings
share one rendering: ``overrides/partials/nav.html`` renders Material's own
(``base-theme/partials/nav.html``) for the first of them and keeps it in a ``NavSlot``, and the
others reuse it. Any other page renders its own, as before.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jinja2

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

BASE_THEME = "base-theme"  # the prefix of the theme's own templates, without overrides/


class NavSlot:
    """What ``overrides/partials/nav.html`` gets for one page: the navigation its siblings
    rendered (``html``), or where to keep its own for them (``keep``)."""

    def __init__(self, cache: dict[tuple[str, ...], str], key: tuple[str, ...]) -> None:
        self._cache = cache
        self._key = key

    @property
    def html(self) -> str | None:
        return self._cache.get(self._key)

    def keep(self, html: str) -> str:
        self._cache[self._key] = html
        return html


class SharedNav:
    """The navigation renderings of one build, by the folder of the pages that share them."""

    def __init__(self, nav: Navigation, config: MkDocsConfig) -> None:
        self._in_nav = {page.file.src_uri for page in nav.pages}
        self._cache: dict[tuple[str, ...], str] = {}
        # Every site path the navigation links to, and each folder on the way to it.
        self._linked: set[tuple[str, ...]] = set()
        self._usable = True
        paths = [*(item.url for item in _links(nav.items)), nav.homepage.url if nav.homepage else "",
                 config.extra.get("homepage"), config.theme.get("logo")]
        for path in paths:
            if not isinstance(path, str) or not path:
                continue
            parsed = urlsplit(path)
            if parsed.scheme or parsed.netloc or path.startswith(("/", "#")):
                continue  # MkDocs writes these as they are, on every page
            if posixpath.normpath(path).startswith(".."):
                self._usable = False  # written relative to each page in another way: not shared
            parts = _parts(path)
            self._linked.update(tuple(parts[:end]) for end in range(1, len(parts) + 1))

    def slot(self, page: Page) -> NavSlot | None:
        """The slot this page shares with its siblings, or ``None`` if it renders its own."""
        if not self._usable or page.file.src_uri in self._in_nav:
            return None
        folders = _page_folders(page.url)
        if not folders or tuple(folders) in self._linked:
            return None
        return NavSlot(self._cache, tuple(folders[:-1]))


def with_base_theme(env: jinja2.Environment, config: MkDocsConfig) -> jinja2.Environment:
    """``env`` able to load the theme's own templates as ``base-theme/<name>``, past the
    overrides of ``custom_dir`` (an override can then include the template it wraps)."""
    custom = config.theme.custom_dir
    dirs = [d for d in config.theme.dirs if custom is None or d != custom]
    base = jinja2.PrefixLoader({BASE_THEME: jinja2.FileSystemLoader(dirs)}, delimiter="/")
    env.loader = jinja2.ChoiceLoader([env.loader, base]) if env.loader is not None else base
    return env


def _links(items: Iterable[Any]) -> Iterator[Any]:
    """The nav's pages and links, inside sections too."""
    for item in items:
        if getattr(item, "children", None):
            yield from _links(item.children)
        if isinstance(getattr(item, "url", None), str):
            yield item


def _parts(path: str) -> list[str]:
    """A site path's folders, normalized as ``mkdocs.utils.get_relative_url`` does."""
    path = posixpath.normpath("/" + path)[1:]
    return path.split("/") if path else []


def _page_folders(url: str) -> list[str]:
    """The folders that links are written relative to on the page at ``url`` (without a last
    part that names a file, as ``mkdocs.utils.get_relative_url`` reads it)."""
    folder, _, last = url.rpartition("/")
    return _parts(folder if "." in last else url)
