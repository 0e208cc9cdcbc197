"""What the site search indexes for the pages that grow with the content.

Material's search plugin indexes every word of every page by default. At 1,000 conditions that is
about 7 MB of JSON (0.5 MB gzip) that every reader's browser downloads before the first search,
and parsing every page for it is one of the build's largest costs. A condition page is instead
indexed by what a reader searches for: its title and other names, its summary, its symptoms
(with their other names, such as "sciatica") and who is at risk; the comparison page by its
title, summary and one heading per topic. The search result still leads to the full page, and
topic, symptom and hand-written pages keep their full text.

The view is HTML from a template (autoescape on). It has no title heading: the search plugin
titles the first section with the page's title and links it to the top of the page. The
comparison page's topic headings keep the page's ids, so those results link to the right table.
"""

from __future__ import annotations

from markupsafe import Markup

from ..pipeline import Prepared
from .render import GeneratedPage, template


def search_view(page: GeneratedPage, prepared: Prepared, *, description: str) -> Markup | None:
    """The HTML to index for ``page`` (whose meta description is given), or ``None`` to index
    the page's own content."""
    site = prepared.site
    if page.kind == "condition" and page.id in site.conditions:
        condition = site.conditions[page.id]
        symptoms = [symptom for _, symptom in site.symptoms_of(condition)]
        return Markup(template("search_view.html.j2").render(kind="condition", condition=condition,
                                                             meta=condition.meta, symptoms=symptoms))
    if page.kind == "compare":
        topics = [topic for topic in site.topics.values() if site.conditions_of(topic.id)]
        return Markup(template("search_view.html.j2").render(kind="compare", description=description, topics=topics))
    return None
