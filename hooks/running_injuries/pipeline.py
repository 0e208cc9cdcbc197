"""Load, check and link all content in one pass: the single implementation behind the build,
``make check`` and the benchmark."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import background
from .citations import Bibliography, CitedText, cite, unused_reference_warnings
from .links import Links, build_links
from .load import bodies, load_site
from .model import Site
from .problems import Problems
from .readability import Reading, reading, too_hard_message
from .validate import validate_site


def build_date() -> dt.date:
    """Today, or the date of ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds, tests)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.datetime.now(tz=dt.timezone.utc).date()


@dataclass
class Prepared:
    """Everything the renderers need, and every problem found on the way."""

    root: Path
    site: Site
    bibliography: Bibliography
    cited: dict[str, CitedText]  # by content path, for topics and conditions
    problems: Problems
    today: dt.date
    reading: dict[str, Reading] = field(default_factory=dict)  # by content path

    @functools.cached_property
    def links(self) -> Links:
        """The symptom index and similar conditions: built when first needed (by the pages, never
        by ``make check``, whose problems they cannot change)."""
        return build_links(self.site)


def _grades(content_dir: Path, root: Path) -> dict[str, tuple[bytes, int, Reading]]:
    """The reading grade of each page's body, by path, with the digest of that body and the line it
    starts on: what the build compares with the body it loaded (sending the bodies back took more
    than half as long as grading them)."""
    return {path: (_digest(body), line, reading(body, line)) for path, (body, line) in bodies(content_dir, root).items()}


def _digest(body: str) -> bytes:
    return hashlib.blake2b(body.encode("utf-8"), digest_size=16).digest()


def prepare(content_dir: Path, root: Path, *, today: dt.date | None = None) -> Prepared:
    """Read and check ``content_dir``; paths in problems are relative to ``root``."""
    today = today or build_date()
    problems = Problems()
    # Reading grades need only the bodies: a second process reads and grades them meanwhile.
    grading = background.start(lambda: _grades(content_dir, root))
    try:
        site = load_site(content_dir, root, problems)
        references = content_dir / "references.json"
        bibliography = Bibliography.load(references, references.relative_to(root).as_posix(), problems)
        pages = [*site.topics.values(), *site.conditions.values()]
        validate_site(site, problems, today=today)
        cited = {page.path: cite(page.body, bibliography, path=page.path, first_line=page.body_line,
                                 problems=problems)
                 for page in pages}
    except BaseException:
        grading.cancel()  # no process left behind when something above fails
        raise
    graded = grading.wait()
    grades: dict[str, Reading] = {}
    for page in pages:
        digest, line, grade = graded.get(page.path, (None, 0, None))
        if grade is None or digest != _digest(page.body) or line != page.body_line:  # the file changed meanwhile
            grade = reading(page.body, page.body_line)
        grades[page.path] = grade
        if grade.too_hard:
            problems.warn(page.path, page.body_line, "body", too_hard_message(grade))
    used = {ref.reference.id for text in cited.values() for ref in text.references}
    unused_reference_warnings(bibliography, used, references.relative_to(root).as_posix(), problems)
    return Prepared(root, site, bibliography, cited, problems, today, grades)
