"""Checks across files: ids that must exist, links that must make sense, review dates."""

from __future__ import annotations

import datetime as dt

from .load import suggest
from .model import Site
from .problems import Problems


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


def check_review_dates(site: Site, today: dt.date, problems: Problems) -> None:
    """A page past its review date is a warning (``make check STRICT=1`` turns it into a failure)."""
    pages = [*site.topics.values(), *site.conditions.values()]
    for page in sorted(pages, key=lambda p: p.path):
        due = page.meta.next_review
        if due < today:
            line = page.line_of("review_due") if page.meta.review_due else page.line_of("reviewed")
            field = "review_due" if page.meta.review_due else "reviewed"
            problems.warn(page.path, line, field,
                          f"review overdue by {(today - due).days} days (was due {due.isoformat()})")


def validate_site(site: Site, problems: Problems, *, today: dt.date) -> None:
    check_references(site, problems)
    check_unused_symptoms(site, problems)
    check_review_dates(site, today, problems)
