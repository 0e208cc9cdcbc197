"""Running Injuries: the pure core of the site generator.

The pipeline, one module a step:

- ``sources``: read a content file, split front-matter from body, parse YAML with line numbers.
- ``model``: the content schema (pydantic), the one place field names and rules are declared.
- ``load``: read ``content/`` into typed objects, collecting every problem.
- ``validate``: checks across files (unknown ids, review dates, unused symptoms).
- ``links``: the symptom index, related links both ways, similar conditions.
- ``citations``: Pandoc-style ``[@key]`` citations, numbered, formatted in NLM style.
- ``render``: Markdown and HTML for the generated pages, from Jinja templates.
- ``sanitize``: the allow-list that keeps content from injecting markup.
- ``publish``: embeds, the JSON content API, oEmbed and the Atom feed.

Nothing here imports MkDocs: ``hooks/mkdocs_hooks.py`` is the thin adapter.
"""
