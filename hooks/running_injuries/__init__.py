"""Running Injuries: the pure core of the site generator. Nothing here imports MkDocs:
``hooks/mkdocs_hooks.py`` is the thin adapter that hands MkDocs' events to it.

The subpackages, in the order the build runs them:

- ``content``: read the editors' files and check them (sources, model, load, validate, problems).
- ``knowledge``: what the content says across files (links: the symptom index and similar
  conditions; citations; readability: each body's reading grade).
- ``pipeline``: load, check, link, cite and grade in one pass, for the build, ``make check`` and the
  benchmark.
- ``pages``: the generated pages' Markdown from templates, and what the theme adds (render, stash,
  sanitize, extras, csp, search_view, html_tokens).
- ``publish``: what clinics reuse beside the pages: embeds, cards, oEmbed, the JSON API, the feed.
- ``editors``: the editors' commands: ``make check``, ``make report``, ``make new-*``, ``make schema``.
"""
