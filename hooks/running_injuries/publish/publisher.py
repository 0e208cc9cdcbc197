"""What clinics use beside the pages, written into the built site after every page.

For each condition: the embed (the page's own sanitized HTML, no site chrome), the card, the
oEmbed response and the JSON document; and once: the index, the JSON Schema, the Atom feed and
the embed scripts and styles. These URLs are a contract with clinics: never change them.

Nothing here renders content again: the embed reuses the HTML of the condition page (only its
relative links are moved to reach the same addresses, by the sanitizer), the API splits that same
HTML into sections with absolute links. Markup comes from templates (autoescape on), JSON from the
models in ``api_model``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from markupsafe import Markup

from ..content.model import Condition
from ..knowledge.citations import FormattedReference
from ..pages.render import GeneratedPage, long_date, template, url_from
from ..pages.sanitize import sanitize_html, sanitize_relinking
from ..pipeline import Prepared
from . import api_model as api
from .sections import split_sections

ASSETS_DIR = Path(__file__).parent.parent / "assets"
# Where each asset is published (site paths); /embed.js is what clinics paste, never move it.
ASSETS = {
    "embed.js": "embed.js",
    "embed-frame.js": "assets/embed-frame.js",
    "embed.css": "assets/embed.css",
}
# Where publish writes (folders, files): no other file of the site may be there, or one of the two
# would silently overwrite the other.
RESERVED_FOLDERS = ("embed/", "api/", "oembed/")
RESERVED_FILES = frozenset({*ASSETS.values(), "feed.xml"})


def reserved(site_path: str) -> bool:
    """Whether the publish step writes ``site_path`` (``embed.js``, ``api/v1/x.json``, ...)."""
    return site_path in RESERVED_FILES or site_path.startswith(RESERVED_FOLDERS)


# The embed loads only its own stylesheet and script, and nothing else can run or load.
EMBED_CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
             "base-uri 'none'; form-action 'none'")
OEMBED_WIDTH = 600
OEMBED_HEIGHT = {"full": 800, "card": 420}
OEMBED_CACHE_AGE = 86400  # a day: content changes rarely, and review dates must not go stale


def start_publishing(prepared: Prepared, html_by_src_uri: Mapping[str, str], generated: Mapping[str, GeneratedPage],
                     site_dir: Path, *, site_url: str, site_name: str,
                     executor: Executor | None = None) -> Callable[[], list[str]]:
    """Write embeds, cards, oEmbed, the JSON API, its schema, the feed and the embed assets.

    Args:
        prepared: the checked content; generated: the generated pages, by source URI.
        html_by_src_uri: the sanitized content HTML of each generated page, by source URI.
        site_dir: the built site, written into; site_name: shown in every embed and attribution.
        site_url: the site's address (``https://example.org/``), for canonical and absolute URLs.
        executor: where the conditions' files are written (``write_conditions``), for example a
            process pool, so that the build goes on meanwhile; without one, here and now.

    Returns:
        A function that waits for every file and gives the build's warnings, by condition.
    """
    publisher = _Publisher(prepared, generated, site_dir, site_url, site_name)
    conditions = sorted(prepared.site.conditions.values(), key=lambda c: c.id)
    jobs = [publisher.job(condition, html_by_src_uri.get(publisher.src_uri(condition))) for condition in conditions]
    for folder in ("api/v1/conditions", "oembed"):
        (site_dir / folder).mkdir(parents=True, exist_ok=True)
    chunks = [jobs[start:start + _CHUNK] for start in range(0, len(jobs), _CHUNK)]
    written = []  # what the executor's process is writing
    for chunk in chunks:
        if executor is None:
            write_conditions(site_dir, chunk)
        else:
            written.append(executor.submit(write_conditions, site_dir, chunk))
    publisher.index([publisher.summary(condition) for condition in conditions])
    publisher.schema()
    publisher.feed()
    publisher.assets()

    # Only a partial (dirty) rebuild can skip a page; a full build always renders them all. (The
    # jobs, which hold every page's HTML, are not kept: a condition's is freed once it is written.)
    warnings = [f"No rendered page for condition '{job.id}': its embed and API document were not written"
                for job in jobs if job.html is None]

    def finish() -> list[str]:
        for future in written:
            future.result()  # raises what the worker raised
        return warnings

    return finish


_CHUNK = 100  # conditions a task: few tasks to send, and the last one ends soon after the others


@dataclass(frozen=True)
class ConditionJob:
    """One condition's clinic files, as data that another process can take: the page's HTML and
    what the templates and the API document need besides it."""

    id: str
    site_url: str  # the site's absolute address, and the page's: for the API's and embed's links
    page_url: str
    html: str | None  # None: no page was rendered (only in a partial rebuild)
    embed: dict[str, Any]  # the embed's template context
    card: dict[str, Any]  # the card's template context
    oembed: dict[str, Any]  # the oEmbed response
    document: dict[str, Any]  # the API document as JSON data, but for its lead and sections


def write_conditions(site_dir: Path, jobs: list[ConditionJob]) -> None:
    """Write each condition's embed, card, oEmbed response and API document into ``site_dir``."""
    files = _Files(site_dir)
    for job in jobs:
        path = f"embed/{job.id}/"
        if job.html is not None:
            # Links made absolute once for the whole page: moved from there for the embed, and
            # split for the API (one pass, not one per section).
            absolute = absolute_links(job.html, job.page_url)
            content = Markup(moved_links(absolute, job.page_url, job.site_url, path))
            files.write(path + "index.html", template("embed.html.j2").render(**job.embed, content=content))
            split = split_sections(absolute)
            sections = [{"id": s.id, "heading": s.heading, "html": s.html} for s in split.sections]
            document = {**job.document, "lead_html": split.lead, "sections": sections}
            files.write(f"api/v1/conditions/{job.id}.json", dump_json(document))
        files.write(path + "card/index.html", template("embed_card.html.j2").render(**job.card))
        files.write(f"oembed/{job.id}.json", dump_json(job.oembed))


# --------------------------------------------------------------------------------------------
# Writing files


def dump_json(data: Any) -> str:
    """Stable, readable JSON: sorted keys, two-space indent, UTF-8 text, a final newline.

    orjson writes exactly what ``json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)``
    writes (tests/test_publish.py compares them) about ten times as fast: the standard library
    indents in pure Python, a large part of the publish step at thousands of conditions. What orjson
    cannot write (an integer beyond 64 bits, say) goes to the standard library.
    """
    try:
        return orjson.dumps(data, option=_ORJSON_OPTIONS).decode("utf-8")
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


_ORJSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


class _Files:
    """Writes the files of the site, each folder made once, not once per file (thousands at scale)."""

    def __init__(self, site_dir: Path) -> None:
        self._root = os.fspath(site_dir)
        self._folders: set[str] = set()

    def write(self, path: str, text: str) -> None:
        """Write ``text`` as UTF-8, unchanged (no newline translation), to ``path`` in the site."""
        target = os.path.join(self._root, path)
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        with open(target, "wb") as out:
            out.write(text.encode("utf-8"))


def _rfc3339(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def absolute_links(html: str, base_url: str) -> str:
    """Sanitized ``html`` with relative ``href`` and ``src`` resolved against ``base_url`` (a
    page's address: no query, no fragment), as the sanitizer rewrites them."""
    return sanitize_relinking(html, ("rewrite_with_base", base_url))


def moved_links(absolute_html: str, page_url: str, site_url: str, to_path: str) -> str:
    """``absolute_links``' HTML of the page at ``page_url``, its links as the page at ``to_path`` (a
    site path such as ``embed/x/``) writes them: the page's own anchors as fragments, the rest of
    the site relative, other sites as they are. (Under a ``site_url`` that the sanitizer writes
    otherwise, such as ``https://Example.ORG:443/``, links to the site stay absolute.)

    Why: an embed sits at the same depth as its page, so ``../../symptoms/y/`` works unchanged,
    but a link to a sibling condition (``../other/``) would land on the other embed.
    """
    up = "../" * to_path.count("/")
    return absolute_html.replace(f'="{page_url}#', '="#').replace(f'="{site_url}', f'="{up}')


@dataclass(frozen=True)
class _Urls:
    """Every address of one condition, absolute."""

    page: str
    embed: str
    card: str
    oembed: str
    api: str


class _Publisher:
    def __init__(self, prepared: Prepared, generated: Mapping[str, GeneratedPage], site_dir: Path,
                 site_url: str, site_name: str) -> None:
        self.prepared = prepared
        self.site = prepared.site
        self.generated = generated
        self.site_dir = site_dir
        self.files = _Files(site_dir)
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self.site_name = site_name
        self._reference_html: dict[str, str] = {}  # sanitized once per source, not per citing page

    # -- addresses -------------------------------------------------------------------------------

    @staticmethod
    def src_uri(condition: Condition) -> str:
        return f"conditions/{condition.id}.md"

    def page_path(self, condition: Condition) -> str:
        page = self.generated.get(self.src_uri(condition))
        return page.url if page is not None else f"conditions/{condition.id}/"

    def urls(self, condition: Condition) -> _Urls:
        base = self.site_url
        return _Urls(
            page=base + self.page_path(condition),
            embed=f"{base}embed/{condition.id}/",
            card=f"{base}embed/{condition.id}/card/",
            oembed=f"{base}oembed/{condition.id}.json",
            api=f"{base}api/v1/conditions/{condition.id}.json",
        )

    # -- embeds ----------------------------------------------------------------------------------

    def _embed_context(self, condition: Condition, page_path: str, variant: str) -> dict[str, Any]:
        meta = condition.meta
        due = meta.next_review
        return {
            "id": condition.id,
            "variant": variant,
            "title": meta.title,
            "summary": meta.summary,
            "site_name": self.site_name,
            "canonical_url": self.urls(condition).page,
            "csp": EMBED_CSP,
            "stylesheet": url_from(page_path)(ASSETS["embed.css"]),
            "script": url_from(page_path)(ASSETS["embed-frame.js"]),
            "reviewed": meta.reviewed,
            "reviewed_by": meta.reviewed_by,
            "due": due,
            "overdue": due < self.prepared.today,
            "licence_name": api.LICENCE_NAME,
            "licence_url": api.LICENCE_URL,
        }

    def job(self, condition: Condition, html: str | None) -> ConditionJob:
        """What ``write_conditions`` needs to write this condition's files."""
        urls, meta = self.urls(condition), condition.meta
        symptoms = [(symptom.label, use) for use, symptom in self.site.symptoms_of(condition)]
        width, height = OEMBED_WIDTH, OEMBED_HEIGHT["full"]
        title = f"{condition.title} | {self.site_name}"
        iframe = template("embed_iframe.html.j2").render(src=urls.embed, width=width, height=height,
                                                         title=title).strip()
        oembed = {  # oEmbed 1.0, type "rich": the full embed in an iframe
            "version": "1.0",
            "type": "rich",
            "html": iframe,
            "width": width,
            "height": height,
            "title": condition.title,
            "provider_name": self.site_name,
            "provider_url": self.site_url,
            "cache_age": OEMBED_CACHE_AGE,
        }
        return ConditionJob(
            id=condition.id, site_url=self.site_url, page_url=urls.page, html=html,
            embed=self._embed_context(condition, f"embed/{condition.id}/", "full"),
            card={**self._embed_context(condition, f"embed/{condition.id}/card/", "card"),
                  "meta": meta, "symptoms": symptoms},
            oembed=oembed, document=self.document(condition))

    # -- the API ---------------------------------------------------------------------------------

    def summary(self, condition: Condition) -> api.ConditionSummary:
        meta, urls = condition.meta, self.urls(condition)
        return api.ConditionSummary(
            id=condition.id, title=meta.title, also_called=list(meta.also_called), topic=meta.topic,
            summary=meta.summary, url=urls.page, api_url=urls.api,
            reviewed=meta.reviewed, review_due=meta.next_review,
        )

    def attribution(self, condition: Condition) -> api.Attribution:
        meta = condition.meta
        url = self.urls(condition).page
        text = (f"{meta.title}, from {self.site_name} ({url}). Reviewed {long_date(meta.reviewed)}; "
                f"next review due {long_date(meta.next_review)}. Licensed under {api.LICENCE_NAME} "
                f"({api.LICENCE_URL}).")
        return api.Attribution(text=text, site_name=self.site_name, url=url, licence=api.Licence())

    def _clean_reference_html(self, formatted: FormattedReference) -> str:
        """A formatted reference's HTML through the sanitizer, once per source for the whole build."""
        html = self._reference_html.get(formatted.id)
        if html is None:
            html = self._reference_html[formatted.id] = sanitize_html(str(formatted.html))
        return html

    def references(self, condition: Condition) -> list[api.Reference]:
        references = []
        bibliography = self.prepared.bibliography
        for cited in self.prepared.cited[condition.path].references:
            formatted = cited.reference
            source = bibliography.reference(formatted.id)
            references.append(api.Reference(
                number=cited.number, id=formatted.id, text=formatted.text,
                html=self._clean_reference_html(formatted),
                identifiers=api.Identifiers(doi=source.doi, pmid=source.pmid, pmcid=source.pmcid),
                links=api.ReferenceLinks(**formatted.links),
            ))
        return references

    def document(self, condition: Condition) -> dict[str, Any]:
        """``/api/v1/conditions/<id>.json`` as JSON data, but for the page's lead and sections
        (``write_conditions`` adds them)."""
        meta = condition.meta
        urls = self.urls(condition)
        topic = self.site.topics.get(meta.topic)
        symptoms = [
            api.SymptomEntry(id=use.id, label=symptom.label, frequency=use.frequency, note=use.note,
                             url=f"{self.site_url}symptoms/{use.id}/")
            for use, symptom in self.site.symptoms_of(condition)
        ]
        related = [
            api.RelatedCondition(id=other.id, title=other.title, url=self.urls(other).page,
                                 api_url=self.urls(other).api)
            for other in self.prepared.links.related.get(condition.id, [])
        ]
        document = api.ConditionDocument(
            id=condition.id, title=meta.title, also_called=list(meta.also_called), topic=meta.topic,
            topic_title=topic.title if topic else meta.topic, summary=meta.summary,
            url=urls.page, embed_url=urls.embed, card_url=urls.card, oembed_url=urls.oembed,
            symptoms=symptoms, onset=meta.onset, risk_factors=list(meta.risk_factors),
            recovery=meta.recovery, see_a_clinician=list(meta.see_a_clinician), related=related,
            lead_html="", sections=[], references=self.references(condition),
            reviewed=meta.reviewed, review_due=meta.next_review, reviewed_by=meta.reviewed_by,
            attribution=self.attribution(condition),
        )
        return document.model_dump(mode="json")

    def index(self, summaries: list[api.ConditionSummary]) -> None:
        """``/api/v1/conditions.json``: every condition, sorted by id."""
        index = api.ConditionIndex(site_name=self.site_name, site_url=self.site_url, licence=api.Licence(),
                                   conditions=summaries)
        self.files.write("api/v1/conditions.json", dump_json(index.model_dump(mode="json")))

    def schema(self) -> None:
        """``/api/v1/schema.json``: derived from the models, so it always matches the documents."""
        url = f"{self.site_url}api/v1/schema.json"
        self.files.write("api/v1/schema.json", dump_json(api.api_json_schema(url)))

    # -- the feed and the assets -----------------------------------------------------------------

    def _feed_entry(self, c: Condition) -> dict[str, Any]:
        urls = self.urls(c)
        return {
            "id": urls.page,
            "title": c.meta.title,
            "summary": c.meta.summary,
            "url": urls.page,
            "api_url": urls.api,
            "topic": c.meta.topic,
            "updated": _rfc3339(c.meta.reviewed),
            "reviewed": c.meta.reviewed,
            "due": c.meta.next_review,
        }

    def feed(self) -> None:
        """``/feed.xml``: Atom, an entry per condition updated on its last review, newest first.

        The feed's ``<updated>`` is the latest review date, never the build time, so an unchanged
        site gives a byte-identical feed.
        """
        conditions = sorted(self.site.conditions.values(), key=lambda c: (-c.meta.reviewed.toordinal(), c.id))
        entries = [self._feed_entry(c) for c in conditions]
        latest = conditions[0].meta.reviewed if conditions else self.prepared.today
        text = template("feed.xml.j2").render(
            site_name=self.site_name, site_url=self.site_url, feed_url=f"{self.site_url}feed.xml",
            updated=_rfc3339(latest), entries=entries, licence_name=api.LICENCE_NAME,
        )
        self.files.write("feed.xml", text)

    def assets(self) -> None:
        for name, path in ASSETS.items():
            target = self.site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ASSETS_DIR / name, target)
