"""``make report``: the editorial state of every page, for reviewers.

    python -m running_injuries.editors.report [--content DIR]

One row per topic and condition: when it was reviewed, when the next review is due, how many days
overdue (or until due), how many sources it cites, and its reading grade. The same rows fill the
``/editorial/`` page of the built site, which no menu links and search engines are told not to
index (``noindex``, and it is left out of ``sitemap.xml`` and the site search).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urljoin

from .check import content_counts, content_root, plural
from ..pipeline import Prepared, prepare
from ..knowledge.readability import READING_GRADE_LIMIT

EDITORIAL_URL = "editorial/"


@dataclass(frozen=True)
class ReportRow:
    kind: str  # "topic" or "condition"
    id: str
    title: str
    path: str  # the content file
    url: str  # site-relative
    reviewed: dt.date
    review_due: dt.date
    days_overdue: int  # negative: days until the review is due
    citations: int  # distinct sources cited
    grade: float  # Flesch-Kincaid reading grade of the body
    words: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def too_hard(self) -> bool:
        return self.grade > READING_GRADE_LIMIT

    @property
    def due_words(self) -> str:
        """``12 days overdue``, ``due today`` or ``in 1,095 days``."""
        days = self.days_overdue
        if days > 0:
            return f"{days:,} day{'s' if days != 1 else ''} overdue"
        if days == 0:
            return "due today"
        return f"in {-days:,} day{'s' if days != -1 else ''}"


def rows(prepared: Prepared) -> list[ReportRow]:
    """Every topic and condition, the most overdue (or soonest due) first, then by file."""
    found = []
    pages = [*(("topic", t, f"{t.id}/") for t in prepared.site.topics.values()),
             *(("condition", c, f"conditions/{c.id}/") for c in prepared.site.conditions.values())]
    for kind, page, url in pages:
        due = page.meta.next_review
        cited = prepared.cited.get(page.path)
        reading = prepared.reading.get(page.path)
        found.append(ReportRow(
            kind=kind, id=page.id, title=page.title, path=page.path, url=url,
            reviewed=page.meta.reviewed, review_due=due, days_overdue=(prepared.today - due).days,
            citations=len(cited.references) if cited else 0,
            grade=reading.grade if reading else 0.0, words=reading.words if reading else 0,
        ))
    return sorted(found, key=lambda r: (r.review_due, r.path))


# -- terminal -------------------------------------------------------------------------------------

_HEADINGS = ("Page", "Reviewed", "Review due", "Overdue / due", "Citations", "Grade")


def table(report_rows: list[ReportRow]) -> str:
    """A plain-text table, aligned for a terminal; ``!`` marks what needs attention."""
    cells = [_HEADINGS] + [
        (row.path, row.reviewed.isoformat(), row.review_due.isoformat(),
         ("! " if row.overdue else "") + row.due_words, str(row.citations),
         f"{row.grade:.1f}" + (" !" if row.too_hard else ""))
        for row in report_rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(_HEADINGS))]
    right = {4, 5}  # numbers line up on the right

    def line(values: tuple[str, ...]) -> str:
        return "  ".join(v.rjust(w) if i in right else v.ljust(w)
                         for i, (v, w) in enumerate(zip(values, widths))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(values) for values in cells[1:])])


def summary(report_rows: list[ReportRow], today: dt.date) -> str:
    overdue = sum(row.overdue for row in report_rows)
    hard = sum(row.too_hard for row in report_rows)
    uncited = sum(row.kind == "condition" and row.citations == 0 for row in report_rows)
    return (f"{plural(len(report_rows), 'page')} as of {today.isoformat()}: {overdue} overdue for review, "
            f"{hard} above reading grade {READING_GRADE_LIMIT:g}, {plural(uncited, 'condition')} citing no source.")


def build_summary(prepared: Prepared) -> list[str]:
    """The lines the build logs after checking content: what it holds and what needs attention.

    A condition that cites no source is not an error (the seed document's own sources are few),
    but the summary names it so that editors see it on every build.
    """
    site = prepared.site
    lines = [f"Content: {content_counts(prepared)}."]
    uncited = sorted(c.id for c in site.conditions.values() if not prepared.cited[c.path].references)
    if uncited:
        lines.append(f"Conditions citing no source ({len(uncited)}): {', '.join(uncited)}")
    lines.append(summary(rows(prepared), prepared.today))
    return lines


# -- the built site -------------------------------------------------------------------------------

_SITEMAP_URL_RE = re.compile(r"[ \t]*<url>\s*<loc>(?P<loc>[^<]*)</loc>.*?</url>[ \t]*\n?", re.DOTALL)


def without_unlisted_pages(sitemap_xml: str, site_url: str | None,
                           unlisted: tuple[str, ...] = (EDITORIAL_URL,)) -> str:
    """``sitemap.xml`` without the pages meant for reviewers only (``unlisted``, site-relative)."""
    drop = {urljoin(site_url or "/", url) for url in unlisted}

    def keep(match: re.Match[str]) -> str:
        return "" if match.group("loc").strip() in drop else match.group()

    return _SITEMAP_URL_RE.sub(keep, sitemap_xml)


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m running_injuries.editors.report",
                                     description="Review dates, citations and reading grade of every page.")
    parser.add_argument("--content", type=Path,
                        default=Path(os.environ.get("RUNNING_INJURIES_CONTENT") or "content"),
                        help="the content folder (default: content, or $RUNNING_INJURIES_CONTENT)")
    args = parser.parse_args(argv)
    content_dir = args.content.resolve()
    prepared = prepare(content_dir, content_root(content_dir, Path.cwd().resolve()))
    report_rows = rows(prepared)
    print(table(report_rows), file=out)
    print(file=out)
    print(summary(report_rows, prepared.today), file=out)
    print(f"The built site has the same table at /{EDITORIAL_URL} (make build, then site/{EDITORIAL_URL}).",
          file=out)
    if prepared.problems.errors:
        print(f"The content also has {len(prepared.problems.errors)} error(s): run make check.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
