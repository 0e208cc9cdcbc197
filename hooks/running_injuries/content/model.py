"""The content schema: every field an editor can write, declared once.

The JSON Schemas under ``content/schema/`` (for editors' tools) and the content API schema are
derived from these models; a test keeps the committed files in sync.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator
from pydantic import Strict as StrictType
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
REVIEW_INTERVAL_YEARS = 3

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Sentence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
IsoDate = Annotated[dt.date, StrictType(), Field(json_schema_extra={"format": "date"})]
Frequency = Literal["common", "occasional"]
Onset = Literal["sudden", "gradual", "varies"]


def default_review_due(reviewed: dt.date) -> dt.date:
    """``reviewed`` plus the review interval (29 February falls back to 28 February)."""
    try:
        return reviewed.replace(year=reviewed.year + REVIEW_INTERVAL_YEARS)
    except ValueError:
        return reviewed.replace(year=reviewed.year + REVIEW_INTERVAL_YEARS, day=28)


class _Content(BaseModel):
    # Unknown keys are errors: a typo in a field name must never be silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Reviewed(_Content):
    reviewed: IsoDate = Field(description="Date of the last clinical review (YYYY-MM-DD).")
    review_due: IsoDate | None = Field(
        default=None,
        description=f"When the next review is due; defaults to reviewed + {REVIEW_INTERVAL_YEARS} years.",
    )
    reviewed_by: ShortText | None = Field(default=None, description="Who reviewed it, for example a clinician's name and role.")

    @model_validator(mode="after")
    def _due_after_reviewed(self) -> "_Reviewed":
        if self.review_due is not None and self.review_due < self.reviewed:
            raise PydanticCustomError(
                "review_due_before_reviewed",
                "must not be before reviewed ({reviewed})",
                {"reviewed": self.reviewed.isoformat()},
            )
        return self

    @property
    def next_review(self) -> dt.date:
        return self.review_due or default_review_due(self.reviewed)


class SymptomUse(_Content):
    """A symptom as one condition lists it."""

    id: Slug = Field(description="An id from content/symptoms.yml.")
    frequency: Frequency = Field(description="How often the source says it occurs with this condition.")
    note: Sentence | None = Field(default=None, description="Optional: one short sentence.")


# The picture of where it hurts (templates/illustration.html.j2): the lower spine from the side,
# bones L3 to S1 and the discs between them, with one part highlighted.
IllustrationHighlight = Literal["muscle-strain", "disc-bulge", "disc-wear", "stress-fracture"]
IllustrationRegion = Literal["L3", "L4", "L5", "L3-L4", "L4-L5", "L5-S1"]
# Where each highlight can be drawn, and what to write instead of a region that does not fit.
_DISCS, _BONES = ("L3-L4", "L4-L5", "L5-S1"), ("L3", "L4", "L5")
ILLUSTRATION_REGIONS: dict[str, tuple[str, ...]] = {
    "muscle-strain": (), "disc-bulge": _DISCS, "disc-wear": _DISCS, "stress-fracture": _BONES,
}
_REGION_ADVICE = {
    "muscle-strain": "a muscle strain is drawn along the whole lower back: leave region out",
    **dict.fromkeys(("disc-bulge", "disc-wear"), "a disc lies between two bones: write both, such as 'L4-L5'"),
    "stress-fracture": "a stress fracture is in one bone: write one, such as 'L4'",
}


class Illustration(_Content):
    """What a condition's picture highlights, and where, as its sources say."""

    # The same rule for editors' tools: the regions each highlight allows.
    model_config = ConfigDict(json_schema_extra={"allOf": [
        {"if": {"properties": {"highlight": {"const": highlight}}},
         "then": {"properties": {"region": {"enum": [*regions, None]}}}}
        for highlight, regions in ILLUSTRATION_REGIONS.items()
    ]})

    highlight: IllustrationHighlight = Field(
        description="What the picture highlights: muscle-strain (the back muscles and ligaments), disc-bulge "
                    "(a disc pushed out of place, pressing on a nerve root), disc-wear (a flatter, drier disc) "
                    "or stress-fracture (a crack in a bone of the spine).")
    region: IllustrationRegion | None = Field(
        default=None,
        description="Where, if the sources name it: a disc as its two bones (L3-L4, L4-L5, L5-S1) for disc-bulge "
                    "and disc-wear, a bone (L3, L4, L5) for stress-fracture. Leave it out when they do not "
                    "(the picture then shows an example) and for muscle-strain.")

    @field_validator("region")
    @classmethod
    def _region_fits_highlight(cls, region: str | None, info: ValidationInfo) -> str | None:
        highlight = info.data.get("highlight")  # absent if it was not valid: reported on its own
        if region is not None and highlight is not None and region not in ILLUSTRATION_REGIONS[highlight]:
            raise PydanticCustomError("illustration_region", _REGION_ADVICE[highlight] + " (got '{region}')",
                                      {"region": region})
        return region


class ConditionMeta(_Reviewed):
    """Front-matter of ``content/conditions/<id>.md``."""

    title: ShortText = Field(description="The condition's name, in plain words.")
    also_called: list[ShortText] = Field(default_factory=list, description="Other names; shown and searchable.")
    topic: Slug = Field(description="Id of the topic: content/topics/<id>.md.")
    summary: Sentence = Field(description="One or two plain sentences, at most 300 characters.")
    symptoms: list[SymptomUse] = Field(min_length=1, description="At least one symptom.")
    onset: Onset | None = Field(default=None, description="How it usually starts: sudden, gradual or varies.")
    risk_factors: list[ShortText] = Field(default_factory=list, description="Who is at risk: short phrases.")
    recovery: Sentence | None = Field(default=None, description="Typical recovery, in one sentence.")
    see_a_clinician: list[Sentence] = Field(min_length=1, description="When to seek care: at least one.")
    related: list[Slug] = Field(default_factory=list, description="Ids of other conditions.")
    illustration: Illustration | None = Field(
        default=None, description="Optional: the picture of where it happens in the lower back.")


class TopicMeta(_Reviewed):
    """Front-matter of ``content/topics/<id>.md``."""

    title: ShortText = Field(description="The topic's name, in plain words.")
    summary: Sentence = Field(description="One or two plain sentences, at most 300 characters.")


class SymptomDef(_Content):
    """One entry of the controlled symptom vocabulary, ``content/symptoms.yml``."""

    label: ShortText = Field(description="The symptom in plain words.")
    description: Sentence = Field(description="One sentence that explains it.")
    also_called: list[ShortText] = Field(default_factory=list, description="Other names, such as medical terms.")


# ---------------------------------------------------------------------------------------------
# Loaded content: the typed objects the rest of the pipeline works with.


@dataclass(frozen=True)
class _Page:
    """A Markdown content file: front-matter fields, body, and where each field stands."""

    id: str
    path: str
    body: str
    body_line: int  # the file line on which the body starts
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, compare=False, repr=False)
    meta: ConditionMeta | TopicMeta = field(kw_only=True)  # each kind narrows it to its own

    @property
    def title(self) -> str:
        return self.meta.title

    def line_of(self, *loc: str | int) -> int:
        """The file line of a front-matter field, for problems found after loading."""
        return self.lines.get(tuple(loc)) or self.lines.get(tuple(loc[:1])) or 1


@dataclass(frozen=True)
class Condition(_Page):
    meta: ConditionMeta = field(kw_only=True)


@dataclass(frozen=True)
class Topic(_Page):
    meta: TopicMeta = field(kw_only=True)


@dataclass(frozen=True)
class Symptom:
    id: str
    path: str
    line: int
    meta: SymptomDef

    @property
    def label(self) -> str:
        return self.meta.label


@dataclass
class Site:
    """All content, keyed and sorted by id."""

    topics: dict[str, Topic] = field(default_factory=dict)
    conditions: dict[str, Condition] = field(default_factory=dict)
    symptoms: dict[str, Symptom] = field(default_factory=dict)

    def conditions_of(self, topic_id: str) -> list[Condition]:
        return [c for c in self.conditions.values() if c.meta.topic == topic_id]

    def symptoms_of(self, condition: Condition) -> list[tuple[SymptomUse, Symptom]]:
        """The symptoms ``condition`` lists, in its order, each with its vocabulary entry.

        An unknown id is a content error that stops the build before anything renders; it is
        left out here so that no caller needs its own fallback.
        """
        return [(use, self.symptoms[use.id]) for use in condition.meta.symptoms if use.id in self.symptoms]
