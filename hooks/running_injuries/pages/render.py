"""Markdown sources of the generated pages, from Jinja templates.

Each generated page is Markdown with HTML blocks: section headings are Markdown (so they reach
the table of contents), everything that comes from content fields is HTML from a template with
autoescape on, so no field can inject markup. The editor's body stays Markdown.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import jinja2
from markupsafe import Markup, escape

from ..content.model import REVIEW_INTERVAL_YEARS, Condition, Illustration, Symptom, Topic
from ..editors.report import EDITORIAL_URL, rows as report_rows, summary as report_summary
from ..knowledge.citations import FormattedReference, render_reference_list
from ..knowledge.links import ComparisonRow
from ..knowledge.readability import READING_GRADE_LIMIT
from ..pipeline import Prepared
from .stash import Stash

# No time scale for "gradual": it spans weeks for some conditions and years for others.
ONSET_WORDS = {"sudden": "suddenly.", "gradual": "gradually.", "varies": "it varies."}
FREQUENCY_HEADING = {"common": "Commonly listed", "occasional": "Occasionally listed"}

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("running_injuries", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@functools.lru_cache(maxsize=4096)
def long_date(day: dt.date) -> str:
    """``7 March 2025``: how pages, embeds, the feed and the API's attribution write a date (a few
    hundred dates, written tens of thousands of times at scale: each is formatted once)."""
    return f"{day.day} {day:%B %Y}"


_ENV.filters["longdate"] = long_date

# A sentence ends at ".", "!" or "?" before a space and a capital letter, digit or opening mark.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def first_sentence(text: str) -> str:
    """The first sentence of a summary (all of it if it is one sentence): a card's one line."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


_ENV.filters["first_sentence"] = first_sentence


@jinja2.pass_context
def _stash(context: Any, html: str) -> Markup:
    """``{% filter stash %}<html block>{% endfilter %}`` or ``{{ block | stash }}``: a placeholder in
    the Markdown, the HTML put back after Markdown (``pages.stash``), so Markdown does
    not parse it. The placeholder stands between blank lines, a paragraph of its own, as the block
    would have stood as raw HTML; the surrounding line breaks stay."""
    text = str(escape(html))  # markup stays as it is; plain text is escaped, as {{ }} would
    core = text.strip()
    if not core:
        return Markup(text)
    start = text.index(core)
    token = context["stash"].put(Markup(core))
    return Markup(f"{text[:start]}\n\n{token}\n\n{text[start + len(core):]}")  # all of it markup already


_ENV.filters["stash"] = _stash


def template(name: str) -> jinja2.Template:
    return _ENV.get_template(name)


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once a process, for an environment that is made anew for each build (the
    theme's, in ``mkdocs serve``: a sixth of a rebuild at 100 conditions). Jinja checks each entry
    against its template's source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


THEME_TEMPLATES = CompiledTemplates()


def _segments(path: str) -> list[str]:
    """A site path's segments, with ``.`` and ``..`` resolved (never above the site root)."""
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if segments:
                segments.pop()
        elif segment and segment != ".":
            segments.append(segment)
    return segments


def url_from(page_url: str) -> Callable[[str], str]:
    """A function giving the relative URL from ``page_url`` (``conditions/x/``) to a site path.

    ``posixpath.relpath`` gives the same for site paths, but it asks the operating system for the
    working folder on every call: tens of thousands of links at scale.
    """
    base = _segments(page_url if page_url.endswith("/") else posixpath.dirname(page_url))

    def url(target: str) -> str:
        parts = _segments(target)
        common = 0
        for mine, theirs in zip(base, parts):
            if mine != theirs:
                break
            common += 1
        rel = "/".join([".."] * (len(base) - common) + parts[common:])
        if not rel:
            return "./"
        return rel + "/" if target.endswith("/") else rel

    return url


def front_matter(title: str, description: str, **extra: Any) -> Markup:
    """YAML front-matter for a generated page (JSON is valid YAML and escapes everything).

    The title is stored HTML-escaped: MkDocs themes print ``page.title`` without escaping.
    """
    fields = {"title": html.escape(title), "description": description, **extra}
    return Markup("\n".join(f"{key}: {json.dumps(value)}" for key, value in fields.items()))


@dataclass(frozen=True)
class GeneratedPage:
    """One page to add to the site: where it goes, its Markdown, and the content file behind it."""

    src_uri: str
    url: str
    markdown: str
    kind: str
    id: str
    source_path: str | None = None
    # The HTML kept out of Markdown's way, by placeholder (stash.py): our templates' blocks, put back
    # after the sanitizer, and the citation markers in the editors' text, put back before it (a
    # marker may stand in a heading's id or a link's title, which the sanitizer then cleans).
    stash: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    markers: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class CardItem:
    href: str
    title: str
    summary: str
    also_called: tuple[str, ...] = ()
    illustration: Illustration | None = None  # a condition's picture, small on its card


@dataclass(frozen=True)
class ReferenceEntry:
    reference: FormattedReference
    pages: tuple[CardItem, ...]  # the pages that cite it, as links


@dataclass(frozen=True)
class CompareTable:
    topic: Topic
    symptoms: tuple[Symptom, ...]
    rows: tuple[ComparisonRow, ...]  # a condition and its cells, one per symptom (None: not listed)

    @property
    def see_a_clinician(self) -> list[str]:
        """When to seek care, as the topic's conditions say it: each distinct item once, in order."""
        return list(dict.fromkeys(item for row in self.rows for item in row.condition.meta.see_a_clinician))


class Renderer:
    """Renders every generated page from prepared content."""

    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.site = prepared.site
        self.symptom_meta = {sid: s.meta for sid, s in self.site.symptoms.items()}  # for every condition

    # -- helpers ---------------------------------------------------------------------------------

    def cards(self, items: list[CardItem], page_url: str) -> Markup:
        return Markup(template("cards.html.j2").render(items=items, url=url_from(page_url)))

    def condition_cards(self, topic: Topic) -> list[CardItem]:
        """A topic's conditions as cards, by title: on its hub and on the home page."""
        return [CardItem(f"conditions/{c.id}/", c.title, c.meta.summary, tuple(c.meta.also_called), c.meta.illustration)
                for c in sorted(self.site.conditions_of(topic.id), key=lambda c: (c.title.casefold(), c.id))]

    def topic_cards(self, page_url: str) -> Markup:
        """The home page's topics, each with (the first few of) its conditions as cards."""
        topics = [(t, self.condition_cards(t)) for t in self.site.topics.values()]
        return Markup(template("home_topics.html.j2").render(topics=topics, url=url_from(page_url)))

    # -- pages -----------------------------------------------------------------------------------

    @staticmethod
    def _page(kind: str, page_id: str, page_url: str, *, source_path: str | None = None,
              markers: dict[str, str] | None = None, **context: Any) -> GeneratedPage:
        """The page at ``page_url`` (from ``<page_url>.md``), rendered from ``templates/<kind>.md.j2``,
        its HTML blocks stashed."""
        stash = Stash("b")
        markdown = template(f"{kind}.md.j2").render(**context, stash=stash, url=url_from(page_url))
        return GeneratedPage(page_url.rstrip("/") + ".md", page_url, markdown, kind, page_id, source_path,
                             stash=stash.items, markers=markers if markers is not None else {})

    def _content_page(self, kind: str, page: Condition | Topic, page_url: str, **context: Any) -> GeneratedPage:
        """A condition's or a topic's page: what both have (the editors' body with its citations, the
        reference list, the review dates) and ``context``, what each has of its own."""
        cited = self.prepared.cited[page.path]
        due = page.meta.next_review
        return self._page(
            kind, page.id, page_url,
            source_path=page.path,
            markers=cited.markers,
            front_matter=front_matter(page.title, page.meta.summary),
            meta=page.meta,
            body=Markup(cited.stashed),
            references=render_reference_list(cited) if cited.references else None,
            due=due,
            overdue=due < self.prepared.today,
            **context,
        )

    def condition(self, condition: Condition) -> GeneratedPage:
        return self._content_page(
            "condition", condition, f"conditions/{condition.id}/",
            condition=condition,
            symptoms=self.symptom_meta,
            onset_words=ONSET_WORDS,
            related=self.prepared.links.related.get(condition.id, []),
            similar=self.prepared.links.similar.get(condition.id, []),
        )

    def topic(self, topic: Topic) -> GeneratedPage:
        items = self.condition_cards(topic)
        return self._content_page(
            "topic", topic, f"{topic.id}/",
            topic=topic,
            cards=self.cards(items, f"{topic.id}/"),
            illustrated=any(item.illustration for item in items),  # the hub shows the overview picture
        )

    def symptom(self, symptom: Symptom) -> GeneratedPage:
        listings = self.prepared.links.by_symptom.get(symptom.id, [])
        groups = [(freq, [item for item in listings if item.use.frequency == freq]) for freq in FREQUENCY_HEADING]
        return self._page(
            "symptom", symptom.id, f"symptoms/{symptom.id}/",
            source_path=symptom.path,
            front_matter=front_matter(symptom.label, symptom.meta.description),
            symptom=symptom,
            meta=symptom.meta,
            groups=[(freq, items) for freq, items in groups if items],
            frequency_heading=FREQUENCY_HEADING,
        )

    def compare(self) -> GeneratedPage:
        """One table per topic: a row per condition, a column per symptom any of them lists.

        The tables come from the index in ``links`` (built once, linear in the content)."""
        tables = []
        for topic in self.site.topics.values():
            comparison = self.prepared.links.comparisons.get(topic.id)
            if comparison is None:
                continue
            tables.append(CompareTable(topic, tuple(self.site.symptoms[s] for s in comparison.symptom_ids),
                                       comparison.rows))
        return self._page(
            "compare", "compare", "compare/",
            front_matter=front_matter("Compare symptoms",
                                      "See side by side which symptoms our sources list for each "
                                      "condition, and tick yours to sort them."),
            tables=tables,
            onset_words=ONSET_WORDS,
        )

    def references(self) -> GeneratedPage:
        """Every source that some page cites, in the order of the reference list, with its pages."""
        citing: dict[str, list[CardItem]] = {}
        pages: list[Condition | Topic] = [*self.site.topics.values(), *self.site.conditions.values()]
        for page in pages:
            href = f"{page.id}/" if isinstance(page, Topic) else f"conditions/{page.id}/"
            for cited in self.prepared.cited[page.path].references:
                citing.setdefault(cited.reference.id, []).append(CardItem(href, page.title, ""))
        bibliography = self.prepared.bibliography
        entries = [ReferenceEntry(bibliography.format(key), tuple(citing[key]))
                   for key in bibliography.keys() if key in citing]
        return self._page(
            "references", "references", "references/",
            front_matter=front_matter("References", "Every source this site cites, each with the pages that cite it."),
            entries=entries,
        )

    def pages(self) -> list[GeneratedPage]:
        """Every generated page, in a stable order (the sitemap's and the search index's): topics,
        symptoms, the comparison, the references, the editorial status, then the conditions."""
        return [
            *(self.topic(t) for t in self.site.topics.values()),
            *(self.symptom(s) for s in self.site.symptoms.values()),
            self.compare(),
            self.references(),
            self.editorial(),
            *(self.condition(c) for c in self.site.conditions.values()),
        ]

    def editorial(self) -> GeneratedPage:
        """For reviewers: review dates, sources and reading grade of every page (``make report``).
        Kind "editorial": not in the nav, ``noindex``, left out of the sitemap and the search."""
        found = report_rows(self.prepared)
        return self._page(
            "editorial", "editorial", EDITORIAL_URL,
            front_matter=front_matter("Editorial status", "Review dates, sources and reading level of "
                                      "every page, for reviewers.", search={"exclude": True}),
            rows=found,
            summary=report_summary(found, self.prepared.today),
            today=self.prepared.today,
            review_years=REVIEW_INTERVAL_YEARS,
            grade_limit=f"{READING_GRADE_LIMIT:g}",
        )
