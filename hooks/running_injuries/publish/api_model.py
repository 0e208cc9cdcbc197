"""The documents of the content API (``/api/v1/``), declared once.

``publish`` builds every document through these models, and ``/api/v1/schema.json`` is derived
from them, so the published schema cannot drift from what is published. Version 1 is a contract
with clinics: fields may be added, never renamed or removed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

from ..content.model import SLUG_PATTERN, Frequency, Onset

API_VERSION = "1"
LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

Id = Annotated[str, Field(pattern=SLUG_PATTERN)]
Url = Annotated[str, Field(min_length=1, json_schema_extra={"format": "uri-reference"})]
Html = Annotated[str, Field(description="Sanitized HTML, the same markup as the page; links are absolute.")]


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Licence(_Document):
    name: Literal["CC BY 4.0"] = LICENCE_NAME
    url: Literal["https://creativecommons.org/licenses/by/4.0/"] = LICENCE_URL


class Attribution(_Document):
    """What a reuser must show: the site's name, a link to the page, the review date, the licence."""

    text: str = Field(description="A ready-made attribution line in plain text.")
    site_name: str
    url: Url = Field(description="The canonical page to link to.")
    licence: Licence


class SymptomEntry(_Document):
    id: Id
    label: str
    frequency: Frequency
    note: str | None
    url: Url = Field(description="The symptom's page on the site.")


class RelatedCondition(_Document):
    id: Id
    title: str
    url: Url
    api_url: Url


class Section(_Document):
    """One ``<h2>`` section of the page, in page order."""

    id: str = Field(description="The heading's anchor on the page.")
    heading: str = Field(description="The heading as plain text.")
    html: Html


class Identifiers(_Document):
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None


class ReferenceLinks(_Document):
    doi: Url | None = None
    pubmed: Url | None = None
    pmc: Url | None = None


class Reference(_Document):
    """A source the page cites, numbered as on the page, in NLM (Vancouver) style."""

    number: int = Field(ge=1)
    id: str = Field(description="The source's key in the site's references.json.")
    text: str = Field(description="The NLM-style reference as plain text, without identifiers.")
    html: Html
    identifiers: Identifiers
    links: ReferenceLinks


class ConditionSummary(_Document):
    """A condition as the index lists it."""

    id: Id
    title: str
    also_called: list[str]
    topic: Id
    summary: str
    url: Url = Field(description="The canonical page.")
    api_url: Url = Field(description="This condition's full document.")
    reviewed: dt.date
    review_due: dt.date


class ConditionIndex(_Document):
    """``/api/v1/conditions.json``: every condition, sorted by id."""

    api_version: Literal["1"] = API_VERSION
    site_name: str
    site_url: Url
    licence: Licence
    conditions: list[ConditionSummary]


class ConditionDocument(_Document):
    """``/api/v1/conditions/<id>.json``: one condition as structured data."""

    api_version: Literal["1"] = API_VERSION
    id: Id
    title: str
    also_called: list[str]
    topic: Id
    topic_title: str
    summary: str
    url: Url = Field(description="The canonical page.")
    embed_url: Url
    card_url: Url
    oembed_url: Url
    symptoms: list[SymptomEntry]
    onset: Onset | None
    risk_factors: list[str]
    recovery: str | None
    see_a_clinician: list[str]
    related: list[RelatedCondition] = Field(description="Related conditions, linked both ways.")
    lead_html: Html = Field(description="The page before its first section: other names, summary, any notice.")
    sections: list[Section]
    references: list[Reference]
    reviewed: dt.date
    review_due: dt.date
    reviewed_by: str | None
    attribution: Attribution


def api_json_schema(schema_url: str) -> dict[str, Any]:
    """One JSON Schema (draft 2020-12) for both documents: each under ``$defs``, either at the top."""
    _, schema = models_json_schema(
        [(ConditionIndex, "serialization"), (ConditionDocument, "serialization")],
        ref_template="#/$defs/{model}",
    )
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": schema_url,
        "title": "Running Injuries content API, version 1",
        "description": "The index (ConditionIndex) and each condition (ConditionDocument).",
        "anyOf": [{"$ref": "#/$defs/ConditionIndex"}, {"$ref": "#/$defs/ConditionDocument"}],
        **schema,
    }
