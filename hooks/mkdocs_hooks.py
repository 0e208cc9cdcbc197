"""MkDocs adapter: hands MkDocs' events to the pure core in ``running_injuries``.

Everything MkDocs-specific lives here, so that a port to another generator touches only this file
and the theme overrides. Each handler has MkDocs 1.6's exact signature, and uses only MkDocs'
public API: events, ``File.generated`` and the theme's template blocks.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import escape
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files

from running_injuries.content.problems import Severity
from running_injuries.editors.report import build_summary, without_unlisted_pages
from running_injuries.pages.csp import with_csp_meta
from running_injuries.pages.extras import PageExtras, PageInfo
from running_injuries.pages.render import THEME_TEMPLATES, GeneratedPage, Renderer
from running_injuries.pages.sanitize import sanitize_html
from running_injuries.pages.search_view import search_view
from running_injuries.pages.stash import anchor_ids, restore
from running_injuries.pipeline import Prepared, prepare, process_pool
from running_injuries.publish.publisher import reserved, start_publishing

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.running_injuries")

_TOPICS_MARKER = "<!-- topics -->"


class _State:
    """What one build has prepared, set anew by every (re)build so serve never shows stale content;
    the class attributes (``serving``, ``workers``) hold for the whole process."""

    prepared: Prepared
    renderer: Renderer
    generated: dict[str, GeneratedPage]
    html: dict[str, str]  # the sanitized content HTML of each generated page, for embeds and the API
    extras: PageExtras
    publishing: Callable[[], list[str]]  # waits for the publish step (on_env): its warnings
    workers: ProcessPoolExecutor | None = None  # the second core's process: grades, the publish step
    serving = False  # `mkdocs serve`: its live-reload script is inline and changes on every request


_state = _State()


def _content_dir(config: MkDocsConfig) -> tuple[Path, Path]:
    """The content folder, and the folder that problem paths are relative to."""
    override = os.environ.get("RUNNING_INJURIES_CONTENT")
    if override:  # tests and the benchmark build other content with the same configuration
        content = Path(override).resolve()
        return content, content.parent
    root = Path(config.config_file_path).resolve().parent
    return root / "content", root


def _report(prepared: Prepared) -> None:
    """Log every problem at once; abort the build (no traceback) when any is an error."""
    for problem in prepared.problems:
        (log.warning if problem.severity is Severity.WARNING else log.error)(str(problem))
    for line in build_summary(prepared):
        log.info(line)
    errors = prepared.problems.errors
    if errors:  # listed again last, below anything else the engine printed
        raise Abort(f"Content has {len(errors)} error(s); see the lines above. Nothing was built.\n"
                    + "\n".join(map(str, errors)))


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check all content, and put its topics in the nav.

    Priority: default. Runs first, so that bad content stops the build before any page is written.
    """
    content_dir, root = _content_dir(config)
    if _State.workers is None:  # mkdocs serve keeps its process between rebuilds
        _State.workers = process_pool()
    prepared = prepare(content_dir, root, executor=_State.workers)
    _report(prepared)
    _state.prepared = prepared
    _state.renderer = Renderer(prepared)
    _state.generated = {page.src_uri: page for page in _state.renderer.pages()}
    _state.html = {}
    _state.extras = PageExtras(prepared)
    # A nav title becomes page.title, which Material prints unescaped: escape it like the titles of
    # generated pages (render.front_matter). Markup, so that Material's `| e` does not escape twice.
    topics = [{escape(t.title): f"{t.id}.md"} for t in prepared.site.topics.values()]
    fixed = config.extra.get("nav_after_topics", [])
    config.nav = [{"Home": "index.md"}, *topics, *fixed]
    return config


def on_serve(server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., None]) -> LiveReloadServer:
    """Watch the content folder in use: ``watch:`` in mkdocs.yml names only the repository's
    ``content/``, not a folder given by ``RUNNING_INJURIES_CONTENT``."""
    server.watch(str(_content_dir(config)[0]))
    return server


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    """Add the generated pages (nothing is written into ``docs_dir``). A file of ``docs/`` or of the
    theme at an address of the clinics' embeds and API (the publish step's), or a generated page at
    one of those or at a hand-written page's (a topic named ``about``), stops the build."""
    taken = sorted(f.src_uri for f in files if reserved(f.dest_uri))
    if taken:
        raise Abort("These files would take addresses that the embeds and the API use; rename or move "
                    "them: " + ", ".join(taken))
    written = {f.dest_uri: f"{Path(config.docs_dir).name}/{f.src_uri}" for f in files}
    clashes = []
    for page in _state.generated.values():
        file = File.generated(config, page.src_uri, content=page.markdown)
        owner = written.get(file.dest_uri) or ("the clinics' embeds and API" if reserved(file.dest_uri) else None)
        if owner:
            clashes.append(f"{page.source_path or 'the generated page'}:1: the address /{page.url} of '{page.id}' "
                           f"is taken by {owner}: give one of them another name")
        else:
            files.append(file)
    if clashes:
        raise Abort("Two pages would have one address:\n" + "\n".join(clashes))
    return files


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill the topic cards marker (an HTML comment, so the source reads well on GitHub), and in the
    hand-written pages the site's address: clinics copy ``{{ site_url }}embed.js`` into their sites."""
    if _TOPICS_MARKER in markdown:
        markdown = markdown.replace(_TOPICS_MARKER, str(_state.renderer.topic_cards(page.url)))
    if page.file.src_uri not in _state.generated:
        markdown = markdown.replace("{{ site_url }}", config.site_url or "/")
    return markdown


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Sanitize pages built from content, and keep their HTML for embeds and the API.

    What Markdown made of the page (the editors' text, which may hold raw HTML, with its citation
    markers back in place) goes through the sanitizer; the blocks our templates wrote
    (autoescaped, kept out of Markdown's way by the stash) come back after it, as they are.

    Priority: default. Runs after Markdown has rendered the page, before the theme wraps it.
    """
    generated = _state.generated.get(page.file.src_uri)
    if generated is None:
        return html
    if page.present_anchor_ids is not None:  # so that links to its ids are checked as to any other
        page.present_anchor_ids.update(anchor_ids({**generated.markers, **generated.stash}))
    clean = restore(sanitize_html(restore(html, generated.markers)), generated.stash)
    generated.stash.clear()  # back in the page: no need to keep it (tens of MB at thousands of pages)
    generated.markers.clear()
    _state.html[page.file.src_uri] = clean
    # Until on_page_context puts the page back, page.content is what the search plugin indexes
    # (running_injuries.pages.search_view): a short view of pages that grow with the content.
    view = search_view(generated, _state.prepared, description=str((page.meta or {}).get("description") or ""))
    return clean if view is None else str(view)


def on_page_context(context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Give the theme the markup the core renders around the content: head metadata and JSON-LD,
    the embed box, the disclaimer, page actions and the print footer.

    Priority: default. Hooks run after the plugins named in mkdocs.yml, so the search plugin has
    indexed the page's search view (see on_page_content); the theme gets the whole page back.
    """
    generated = _state.generated.get(page.file.src_uri)
    if generated is not None:
        page.content = _state.html.pop(page.file.src_uri)  # the publish step has its own reference
    docs_name = Path(config.docs_dir).name
    info = PageInfo(
        url=page.url,
        # page.title of a generated page holds its title HTML-escaped (render.front_matter): the plain one
        title=unescape(str(page.title)) if generated else str(page.title or config.site_name),
        description=str((page.meta or {}).get("description") or config.site_description or ""),
        canonical_url=page.canonical_url,
        site_url=config.site_url or "/",
        site_name=config.site_name,
        repository=config.extra.get("repository", ""),
        generated=generated,
        source_path=generated.source_path if generated else f"{docs_name}/{page.file.src_uri}",
    )
    page.edit_url = info.edit_url  # to the content file, not the generated page
    context["ri_head"] = _state.extras.head(info)
    context["ri_after"] = _state.extras.after(info)
    return context


def on_startup(*, command: str, dirty: bool) -> None:
    """Note whether this process serves the site for editing (``mkdocs serve``): its pages carry no
    Content-Security-Policy, since no policy can allow the live-reload script by hash."""
    _State.serving = command == "serve"


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    """Give the finished page its Content-Security-Policy ``<meta>`` (hashes of its inline scripts).

    Priority: default. Runs on the final HTML, so every inline script the theme wrote is hashed.
    """
    # The page is written next and nothing reads its content after this (the search plugin indexed
    # it in on_page_context): MkDocs keeps every page to the end, their HTML need not stay too.
    page.content = None
    return output if _State.serving else with_csp_meta(output)


def on_post_template(output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
    """The same policy for the theme's own HTML pages (``404.html``); ``sitemap.xml`` (and so its
    ``.gz``) loses the pages for reviewers only, such as ``/editorial/``."""
    if template_name == "sitemap.xml":
        return without_unlisted_pages(output_content, config.site_url)
    if _State.serving or not template_name.endswith(".html"):
        return output_content
    return with_csp_meta(output_content)


def on_env(env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """Start the publish step (embeds, cards, oEmbed, the JSON API, the feed): the conditions' files
    are written in the second core's process while MkDocs writes the pages (else here, now).
    Priority: default. Runs once every page's HTML is known, before MkDocs writes the pages."""
    _state.publishing = start_publishing(_state.prepared, _state.html, _state.generated, Path(config.site_dir),
                                         site_url=config.site_url or "/", site_name=config.site_name,
                                         executor=_State.workers)
    env.bytecode_cache = THEME_TEMPLATES  # mkdocs serve makes a new environment for every rebuild
    return env


def on_post_build(*, config: MkDocsConfig) -> None:
    """Wait for the publish step and report its warnings. Priority: default (every page is written)."""
    try:
        warnings = _state.publishing()
    finally:
        if not _State.serving:  # mkdocs serve keeps it for the next rebuild
            _stop_workers()
    for warning in warnings:
        log.warning(warning)


def on_build_error(*, error: Exception) -> None:
    """The build failed: its files are not wanted, so the second process stops at once."""
    _stop_workers(cancel=True)


def on_shutdown() -> None:
    """``mkdocs serve`` stops: so does its process pool."""
    _stop_workers()


def _stop_workers(*, cancel: bool = False) -> None:
    workers, _State.workers = _State.workers, None
    if workers is not None:
        workers.shutdown(cancel_futures=cancel)
