"""What the theme adds around a page's content: head metadata (Open Graph, oEmbed discovery,
JSON-LD), and after the content the embed box, the disclaimer, page actions and print footer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from markupsafe import Markup

from ..knowledge.citations import Bibliography
from ..content.model import Condition, Site
from ..pipeline import Prepared
from .render import GeneratedPage, template, url_from


@dataclass(frozen=True)
class PageInfo:
    """What the generator knows of any page (generated or hand-written)."""

    url: str  # site-relative, e.g. "conditions/herniated-disc/"
    title: str
    description: str
    canonical_url: str | None
    site_url: str
    site_name: str
    repository: str
    generated: GeneratedPage | None = None
    source_path: str | None = None  # the file an editor changes: under content/ or docs/

    @property
    def edit_url(self) -> str | None:
        if not (self.repository and self.source_path):
            return None
        return f"{self.repository.rstrip('/')}/edit/main/{self.source_path}"


def script_json(data: Any) -> Markup:
    """JSON that is safe inside ``<script>``: no ``<``, ``>`` or ``&`` can end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def condition_json_ld(condition: Condition, site: Site, bibliography: Bibliography,
                      cited_keys: list[str], canonical_url: str | None) -> dict[str, Any]:
    """schema.org ``MedicalWebPage`` about a ``MedicalCondition``."""
    meta = condition.meta
    about: dict[str, Any] = {
        "@type": "MedicalCondition",
        "name": meta.title,
        "description": meta.summary,
        "signOrSymptom": [{"@type": "MedicalSymptom", "name": symptom.label}
                          for _, symptom in site.symptoms_of(condition)],
    }
    if meta.also_called:
        about["alternateName"] = list(meta.also_called)
    if meta.risk_factors:
        about["riskFactor"] = [{"@type": "MedicalRiskFactor", "name": f} for f in meta.risk_factors]
    page: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": meta.title,
        "description": meta.summary,
        "lastReviewed": meta.reviewed.isoformat(),
        "about": about,
        "mainEntity": about,
    }
    if canonical_url:
        page["url"] = canonical_url
    if meta.reviewed_by:
        page["reviewedBy"] = {"@type": "Organization", "name": meta.reviewed_by}
    citations = []
    for key in cited_keys:
        formatted = bibliography.format(key)
        citation: dict[str, Any] = {"@type": "ScholarlyArticle", "name": formatted.text}
        if formatted.links:
            citation["sameAs"] = list(formatted.links.values())
        citations.append(citation)
    if citations:
        page["citation"] = citations
    return page


class PageExtras:
    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared

    def _condition(self, info: PageInfo) -> Condition | None:
        page = info.generated
        if page is None or page.kind != "condition":
            return None
        return self.prepared.site.conditions.get(page.id)

    def head(self, info: PageInfo) -> Markup:
        condition, kind = self._condition(info), info.generated.kind if info.generated else "page"
        json_ld = oembed_url = api_url = None
        if condition is not None:
            cited = self.prepared.cited[condition.path]
            json_ld = script_json(condition_json_ld(condition, self.prepared.site, self.prepared.bibliography,
                                                    [r.reference.id for r in cited.references], info.canonical_url))
            oembed_url = f"{info.site_url}oembed/{condition.id}.json"
            api_url = f"{info.site_url}api/v1/conditions/{condition.id}.json"
        return Markup(template("page_head.html.j2").render(
            kind=kind,
            site_name=info.site_name,
            feed_url=f"{info.site_url}feed.xml",
            title=info.title,
            description=info.description,
            canonical_url=info.canonical_url,
            noindex=kind == "editorial",
            oembed_url=oembed_url,
            api_url=api_url,
            json_ld=json_ld,
            compare_assets=url_from(info.url)("assets/") if kind == "compare" else None,
        ))

    def after(self, info: PageInfo) -> Markup:
        condition = self._condition(info)
        page = info.generated
        reviewed = review_due = None
        if page is not None and page.kind in ("condition", "topic"):
            source = (self.prepared.site.conditions.get(page.id) if page.kind == "condition"
                      else self.prepared.site.topics.get(page.id))
            if source is not None:
                reviewed, review_due = source.meta.reviewed, source.meta.next_review
        return Markup(template("page_after.html.j2").render(
            id=page.id if page else "",
            embed_id=condition.id if condition is not None else None,
            embed_js_url=f"{info.site_url}embed.js",
            for_clinics_url=url_from(info.url)("for-clinics/"),
            report_url=self.report_url(info),
            edit_url=info.edit_url,
            canonical_url=info.canonical_url,
            reviewed=reviewed,
            review_due=review_due,
        ))

    @staticmethod
    def report_url(info: PageInfo) -> str | None:
        """A new GitHub issue, pre-filled with the page's address and a checklist."""
        if not info.repository:
            return None
        body = (f"Page: {info.canonical_url or info.url}\nSource file: {info.source_path or 'generated'}\n\n"
                "What is wrong or unclear?\n\n\nWhere does the correct information come from "
                "(a reference, if you have one)?\n")
        query = urlencode({"title": f"Problem with page: {info.title}", "body": body, "labels": "content"},
                          quote_via=quote)
        return f"{info.repository.rstrip('/')}/issues/new?{query}"
