"""MkDocs adapter: hands MkDocs' events to the pure core in ``running_injuries``.

Everything MkDocs-specific lives here, so that a port to another generator touches only this file
and the theme overrides. Each handler has MkDocs 1.6's exact signature.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import replace
from html import unescape
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import escape
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files

import mkdocs_markdown_reuse
import mkdocs_render_cache
import mkdocs_render_split
import mkdocs_shared_nav
import mkdocs_theme_split
from running_injuries import background
from running_injuries.collector import full_collections_held_back
from running_injuries.csp import with_csp_meta
from running_injuries.page_extras import PageExtras, PageInfo
from running_injuries.pipeline import Prepared, prepare
from running_injuries.problems import ContentError, Severity
from running_injuries.publish import Done, Publishing, reserved
from running_injuries.render import GeneratedPage, Renderer, refresh_templates
from running_injuries.report import build_summary, without_unlisted_pages
from running_injuries.sanitize import sanitize_html
from running_injuries.search_view import search_view
from running_injuries.stash import anchor_ids, restore
from running_injuries.template_cache import template_cache

if TYPE_CHECKING:
    from collections.abc import Callable

    import jinja2

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.running_injuries")

_TOPICS_MARKER = "<!-- topics -->"


class _State:
    """What one build has prepared; rebuilt on every (re)build so serve never shows stale content."""

    prepared: Prepared
    renderer: Renderer
    generated: dict[str, GeneratedPage]
    html: dict[str, str]
    extras: PageExtras
    publishing: Publishing | None = None
    publish_job: background.Job[tuple[Done, list[str]]] | None = None
    rendering: mkdocs_render_split.RenderSplit | None = None
    theme_split: mkdocs_theme_split.ThemeSplit | None = None
    nav: Navigation | None = None
    cache: mkdocs_render_cache.RenderCache | None = None
    shared_nav: mkdocs_shared_nav.SharedNav | None = None
    converter: mkdocs_markdown_reuse.Converter | None = None


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
    if prepared.problems.errors:
        error = ContentError(prepared.problems.errors)
        raise Abort(f"Content has {len(prepared.problems.errors)} error(s); see the lines above. "
                    f"Nothing was built.\n{error.report()}")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check all content, and put its topics in the nav.

    Priority: default. Runs first, so that bad content stops the build before any page is written.
    """
    content_dir, root = _content_dir(config)
    refresh_templates()  # mkdocs serve: a template edited since the last build
    with full_collections_held_back():  # the objects made here live until the build ends
        prepared = prepare(content_dir, root)
        _report(prepared)
        _state.prepared = prepared
        _state.renderer = Renderer(prepared)
        _state.generated = {page.src_uri: page for page in _state.renderer.pages()}
    _state.html = {}
    _state.extras = PageExtras(prepared)
    _state.publishing = None
    _state.publish_job = None
    _state.rendering = None
    _state.theme_split = None
    _state.nav = None
    _state.cache = None
    _state.shared_nav = None
    _state.converter = None
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
    """Add the generated pages. Nothing is written into ``docs_dir``.

    A file of ``docs/`` (or of the theme) at an address the publish step writes stops the build:
    those addresses belong to the embeds and API that clinics use.
    """
    taken = sorted(f.src_uri for f in files if reserved(f.dest_uri))
    if taken:
        raise Abort("These files would take addresses that the embeds and the API use; rename or move "
                    "them: " + ", ".join(taken))
    # Condition pages last in MkDocs' order: the publish step's process wraps the last pages of its
    # loop in the theme (``mkdocs_theme_split``), and the build still indexes them for search, which
    # costs little for a condition page (``search_view``) and much for a long symptom page.
    pages = sorted(_state.generated.values(), key=lambda page: page.kind == "condition")
    for page in pages:
        files.append(File.generated(config, page.src_uri, content=page.markdown))
    return files


def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
    """Start rendering every other generated page in a second process (``mkdocs_render_split``),
    make room for the navigation that pages outside the nav share (``mkdocs_shared_nav``), and
    have one Markdown converter for the build's pages (``mkdocs_markdown_reuse``).

    Priority: default. The last event before MkDocs reads and renders the pages.
    """
    _state.shared_nav = mkdocs_shared_nav.SharedNav(nav, config)
    _state.nav = nav
    _state.converter = mkdocs_markdown_reuse.start(config)
    # `mkdocs serve`: what the previous build rendered is reused where nothing it read changed. Its
    # first build renders every page here too, so that the first rebuild can reuse them all.
    serving = bool(os.environ.get(_SERVING))
    _state.cache = mkdocs_render_cache.RenderCache(config, files) if serving else None
    _state.rendering = None if serving else mkdocs_render_split.start(
        config, files, set(_state.generated), owner=__name__, dirty=os.environ.get(_DIRTY) == "1",
        keep=lambda page: _state.html.pop(page.file.src_uri))
    return nav


def on_pre_page(page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
    """A page that the second process renders takes its result instead of rendering again; in
    ``mkdocs serve``, a page whose Markdown has not changed takes the previous build's; any other
    page renders with the build's one Markdown converter.

    Priority: default. Runs before MkDocs reads the page.
    """
    if _state.rendering is not None:
        _state.rendering.adopt(page)
    if _state.cache is not None:
        _state.cache.adopt(page)
    if _state.converter is not None:
        _state.converter.adopt(page)
    return page


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill the topic cards marker (an HTML comment, so the source reads well on GitHub)."""
    if _TOPICS_MARKER in markdown:
        markdown = markdown.replace(_TOPICS_MARKER, str(_state.renderer.topic_cards(page.url)))
    return markdown


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Sanitize pages built from content, and keep their HTML for embeds and the API.

    Priority: default. Runs after Markdown has rendered the page, before the theme wraps it.
    """
    generated = _state.generated.get(page.file.src_uri)
    if generated is None:
        return html
    if _state.rendering is not None:
        rendered, kept = _state.rendering.kept(page)
        if rendered:  # this hook has run in the second process: html is what it returned there
            _state.html[page.file.src_uri] = kept
            generated.stash.clear()
            return html
    restored = restore(html, generated.stash)  # the HTML kept out of Markdown's way
    if page.present_anchor_ids is not None:  # so that links to its ids are checked as to any other
        page.present_anchor_ids.update(anchor_ids(generated.stash))
    clean = sanitize_html(restored) if _state.cache is None else _state.cache.sanitized(restored, sanitize_html)
    generated.stash.clear()  # back in the page: no need to keep it (tens of MB at thousands of pages)
    _state.html[page.file.src_uri] = clean
    # Until on_page_context puts the page back, page.content is what the search plugin indexes
    # (running_injuries.search_view): a short view of pages that grow with the content.
    view = search_view(generated, _state.prepared, description=str((page.meta or {}).get("description") or ""))
    return clean if view is None else str(view)


def on_page_context(context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Give the theme the markup the core renders around the content: head metadata and JSON-LD,
    the embed box, the disclaimer, page actions and the print footer. For a page that the publish
    step's process builds (``mkdocs_theme_split``), ``ri_elsewhere`` instead: the theme renders
    nothing for it here.

    Priority: default. Hooks run after the plugins named in mkdocs.yml, so the search plugin has
    indexed the page's search view (see on_page_content); the theme gets the whole page back.
    """
    generated = _state.generated.get(page.file.src_uri)
    if generated is not None:
        page.content = _state.html[page.file.src_uri]
    if _state.theme_split is not None and _state.theme_split.elsewhere(page):
        context["ri_elsewhere"] = True  # the publish step's process builds it: nothing to render here
        return context
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
    context["ri_nav"] = _state.shared_nav.slot(page) if _state.shared_nav is not None else None
    return context


# `mkdocs serve` injects an inline live-reload script that changes on every request, so no policy
# can allow it by hash: pages built for serving carry no CSP. on_startup runs once, before the
# first build; the flags live in the environment, which every build of the process reads.
_SERVING = "RUNNING_INJURIES_SERVING"
_DIRTY = "RUNNING_INJURIES_DIRTY"


def on_startup(*, command: str, dirty: bool) -> None:
    """Note whether this process serves the site for editing (``mkdocs serve``), and whether it
    builds only changed pages (``--dirty``, which the second process does not follow)."""
    os.environ[_SERVING] = "1" if command == "serve" else ""
    os.environ[_DIRTY] = "1" if dirty else ""


def on_shutdown() -> None:
    """The process is about to exit: its objects are left out of the interpreter's last garbage
    collections (``gc.freeze``), which would visit every one of them again only to find that
    everything goes (0.3 s at 1,000 conditions, after the site is written)."""
    gc.freeze()


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    """Give the finished page its Content-Security-Policy ``<meta>`` (hashes of its inline scripts).

    Priority: default. Runs on the final HTML, so every inline script the theme wrote is hashed.
    """
    return output if os.environ.get(_SERVING) else with_csp_meta(output)


def on_post_template(output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
    """The same policy for the theme's own HTML pages (``404.html``); ``sitemap.xml`` (and so its
    ``.gz``) loses the pages for reviewers only, such as ``/editorial/``."""
    if template_name == "sitemap.xml":
        return without_unlisted_pages(output_content, config.site_url)
    if os.environ.get(_SERVING) or not template_name.endswith(".html"):
        return output_content
    return with_csp_meta(output_content)


def on_env(env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """Start the publish step (embeds, cards, API, feed) beside the theme's page writing (this
    process joins it in ``on_post_build``); when that is done, its process wraps generated pages
    in the theme from the end of MkDocs' list (``mkdocs_theme_split``). Let ``overrides/`` include
    the theme's own templates as ``base-theme/...``. The pages are all rendered: the render
    split's process and the serve cache are done with, and the generated Markdown is released.

    Priority: default. Runs once every page's HTML is known and before MkDocs writes the pages:
    the step then runs in a second process (``running_injuries.background``) while this one
    writes the pages, and ``on_post_build`` shares what is left of it.
    """
    env = mkdocs_shared_nav.with_base_theme(env, config)
    env.bytecode_cache = template_cache(env)  # compiled once for both processes, and for serve's rebuilds
    _close_rendering()
    cache, _state.cache = _state.cache, None
    if cache is not None:
        cache.finish()
        log.debug(f"{cache.reused} pages as rendered by the previous build: their Markdown did not change")
    _release_markdown(files)
    publishing = _state.publishing = Publishing(
        _state.prepared, _state.html, _state.generated, Path(config.site_dir),
        site_url=config.site_url or "/", site_name=config.site_name)

    serving, dirty = bool(os.environ.get(_SERVING)), os.environ.get(_DIRTY) == "1"
    theme_split = _state.theme_split = None if serving or _state.nav is None else mkdocs_theme_split.start(
        config, files, _state.nav, env, set(_state.generated), owner=__name__, dirty=dirty)

    def step() -> tuple[Done, list[str]]:
        publishing.site_wide()
        done = publishing.conditions()
        return done, [] if theme_split is None else theme_split.build_from_back()

    _state.publish_job = background.start(step)
    return env


def _close_rendering() -> None:
    """The page loop is over (or the build failed): the render split's process is not needed."""
    rendering, _state.rendering = _state.rendering, None
    if rendering is not None:
        rendering.close()


def _release_markdown(files: Files) -> None:
    """Every page is rendered: the generated pages' Markdown is not read again (their titles come
    from their front-matter, in ``page.meta``). Released before the publish step forks, so that
    neither process holds it: two copies of every page's source, 23 MB at 3,000 conditions."""
    for src_uri in _state.generated:
        file = files.get_file_from_path(src_uri)
        if file is not None:
            file.content_string = ""
            if file.page is not None:
                file.page.markdown = ""
    _state.generated = {uri: replace(page, markdown="") for uri, page in _state.generated.items()}


def on_post_build(*, config: MkDocsConfig) -> None:
    """Finish the publish step: take its conditions that are left, with the second process, then
    wait for it, build any page it took but did not build (``mkdocs_theme_split``), and report
    the step's warnings.

    Priority: default. Runs after every page is written; the step started in ``on_env``.
    """
    publishing, job = _state.publishing, _state.publish_job
    if publishing is None or job is None:
        return
    done_here = publishing.conditions()
    done_there, built_there = job.wait()
    warnings = publishing.finish(done_here, done_there)
    theme_split, _state.theme_split = _state.theme_split, None
    if theme_split is not None:
        theme_split.finish(built_there)
    # Only now: if anything above failed, on_build_error would stop the step's process.
    _state.publishing = _state.publish_job = None
    for warning in warnings:
        log.warning(warning)


def on_build_error(*, error: Exception) -> None:
    """Stop the second process if it still runs: the build failed, its files are not wanted."""
    _close_rendering()
    publishing, job = _state.publishing, _state.publish_job
    _state.publishing = _state.publish_job = None
    theme_split, _state.theme_split = _state.theme_split, None
    if theme_split is not None:
        theme_split.close()
    if job is not None:
        job.cancel()
    if publishing is not None:
        publishing.close()
