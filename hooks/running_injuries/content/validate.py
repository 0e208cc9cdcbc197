"""Checks across files: ids that must exist, links that must make sense, review dates."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterator

from .load import suggest
from .model import Condition, Site, Topic
from .problems import Problems
from .sources import FieldPath, field_name


def check_references(site: Site, problems: Problems) -> None:
    """Every topic, symptom and related id a condition names must exist."""
    for condition in site.conditions.values():
        meta, path = condition.meta, condition.path
        if meta.topic not in site.topics:
            problems.add(path, condition.line_of("topic"), "topic",
                         f"unknown topic '{meta.topic}'{suggest(meta.topic, site.topics)}")
        seen: set[str] = set()
        for index, use in enumerate(meta.symptoms):
            loc = ("symptoms", index, "id")
            if use.id not in site.symptoms:
                problems.add(path, condition.line_of(*loc), f"symptoms[{index}].id",
                             f"unknown symptom '{use.id}'{suggest(use.id, site.symptoms)}")
            elif use.id in seen:
                problems.add(path, condition.line_of(*loc), f"symptoms[{index}].id",
                             f"symptom '{use.id}' is listed twice")
            seen.add(use.id)
        for index, other in enumerate(meta.related):
            line = condition.line_of("related", index)
            if other == condition.id:
                problems.add(path, line, f"related[{index}]", "a condition cannot be related to itself")
            elif other not in site.conditions:
                problems.add(path, line, f"related[{index}]",
                             f"unknown condition '{other}'{suggest(other, site.conditions)}")


def check_unused_symptoms(site: Site, problems: Problems) -> None:
    """A symptom that no condition lists is a warning: it has no page worth reading."""
    used = {use.id for condition in site.conditions.values() for use in condition.meta.symptoms}
    for symptom in site.symptoms.values():
        if symptom.id not in used:
            problems.warn(symptom.path, symptom.line, symptom.id, "no condition lists this symptom")


def _pages(site: Site) -> list[Topic | Condition]:
    """Every topic and condition, by file."""
    return sorted([*site.topics.values(), *site.conditions.values()], key=lambda p: p.path)


def _body_lines_matching(page: Topic | Condition, pattern: re.Pattern[str]) -> Iterator[tuple[int, str]]:
    """Each line of the page's body that ``pattern`` finds something in, with its line number in
    the file. The whole body is searched first: most bodies have no match, and one search of the
    body is much cheaper than one per line (``make check`` at thousands of pages)."""
    if not pattern.search(page.body):
        return
    for offset, line in enumerate(page.body.split("\n")):
        if pattern.search(line):
            yield page.body_line + offset, line


def check_review_dates(site: Site, today: dt.date, problems: Problems) -> None:
    """A page past its review date is a warning (``make check STRICT=1`` turns it into a failure)."""
    for page in _pages(site):
        due = page.meta.next_review
        if due < today:
            line = page.line_of("review_due") if page.meta.review_due else page.line_of("reviewed")
            field = "review_due" if page.meta.review_due else "reviewed"
            problems.warn(page.path, line, field,
                          f"review overdue by {(today - due).days} days (was due {due.isoformat()})")


_PLACEHOLDER_RE = re.compile(r"\bTODO\b")
_PLACEHOLDER_MESSAGE = "placeholder text from the scaffold: replace the TODO before this is published"


def _strings(value: Any, loc: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, loc + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, loc + (index,))


def check_placeholders(site: Site, problems: Problems) -> None:
    """A ``TODO`` left by ``make new-*`` is a warning: a draft passes ``make check`` while it is
    written, but ``make check STRICT=1`` (on main, before publishing) fails on it."""
    for page in _pages(site):
        for loc, text in _strings(page.meta.model_dump(exclude_none=True)):
            if _PLACEHOLDER_RE.search(text):
                problems.warn(page.path, page.line_of(*loc), field_name(loc), _PLACEHOLDER_MESSAGE)
        for number, _ in _body_lines_matching(page, _PLACEHOLDER_RE):
            problems.warn(page.path, number, "body", _PLACEHOLDER_MESSAGE)
    for symptom in site.symptoms.values():
        for loc, text in _strings(symptom.meta.model_dump(exclude_none=True), (symptom.id,)):
            if _PLACEHOLDER_RE.search(text):
                problems.warn(symptom.path, symptom.line, field_name(loc), _PLACEHOLDER_MESSAGE)


# An image written as Markdown (![alt](src)) or HTML (<img src=...>) whose source names another
# site: absolute (scheme://) or protocol-relative (//).
_REMOTE_IMAGE_RE = re.compile(
    r"!\[[^\]]*\]\(\s*<?\s*(?:[a-z][a-z0-9+.-]*:)?//"
    r"|<img\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:[a-z][a-z0-9+.-]*:)?//",
    re.IGNORECASE,
)


def check_remote_images(site: Site, problems: Problems) -> None:
    """Images must be files of this site. One loaded from another site would tell that site who
    reads which health page, and it would travel into embeds and the API that clinics reuse."""
    for page in _pages(site):
        for number, _ in _body_lines_matching(page, _REMOTE_IMAGE_RE):
            problems.add(page.path, number, "body",
                         "an image from another website: put the image file in docs/ and link it "
                         "from there, so that no other site learns who reads this page")


def validate_site(site: Site, problems: Problems, *, today: dt.date) -> None:
    check_references(site, problems)
    check_unused_symptoms(site, problems)
    check_review_dates(site, today, problems)
    check_placeholders(site, problems)
    check_remote_images(site, problems)
