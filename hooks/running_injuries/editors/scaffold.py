"""``make new-condition`` / ``new-topic`` / ``new-symptom``: start a page with every field in place.

    python -m running_injuries.editors.scaffold condition ID TOPIC [--content DIR]
    python -m running_injuries.editors.scaffold topic ID [--content DIR]
    python -m running_injuries.editors.scaffold symptom ID [--content DIR]

A new page names every field with a comment that says what it is for, optional ones commented out
(leave out what the source does not say), and the standard body sections. Its placeholder text
passes ``make check`` as written, so an editor can preview it at once, but each placeholder says
``TODO``, which ``make check`` reports as a warning and ``make check STRICT=1`` (run on main before
publishing) refuses. A new symptom is appended to ``symptoms.yml``, leaving the rest as it is.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..content.load import suggest
from ..content.model import SLUG_PATTERN, default_review_due
from ..pipeline import build_date
from .schema import SCHEMA_COMMENT

_SLUG_RE = re.compile(SLUG_PATTERN)
_SYMPTOM_KEY_RE = re.compile(r"^(?P<key>[^\s#:'\"][^:#]*?|'[^']*'|\"[^\"]*\")[ \t]*:(?:\s|$)")

# Top-level URLs the site already uses: a topic named like one would collide with it.
RESERVED_TOPIC_IDS = frozenset({
    "404", "about", "api", "assets", "compare", "conditions", "editorial", "embed", "for-clinics",
    "index", "oembed", "references", "search", "sitemap", "symptoms",
})

# Text written into content files is Markdown and YAML, not HTML: no autoescape. Every value put
# into a template is an id checked against the slug pattern, a title made from one, or a date.
_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("running_injuries", "templates/scaffold"),
    autoescape=False,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


class ScaffoldError(Exception):
    """A new page cannot be created; the message says why and what to do."""


@dataclass(frozen=True)
class Written:
    path: Path
    message: str


def title_from_id(page_id: str) -> str:
    """``herniated-disc`` -> ``Herniated disc``: a starting title the editor can change."""
    return page_id.replace("-", " ").capitalize()


def _check_id(kind: str, page_id: str, example: str) -> None:
    if not page_id:
        raise ScaffoldError(f"give the new {kind}'s id, for example ID={example}")
    if not _SLUG_RE.match(page_id):
        raise ScaffoldError(f"'{page_id}' is not a valid id: use lowercase letters, digits and single "
                            f"hyphens, for example '{example}' (the id is the page's permanent URL)")


def _dates() -> dict[str, str]:
    today = build_date()
    return {"today": today.isoformat(), "review_due": default_review_due(today).isoformat()}


def symptom_ids(symptoms_file: Path) -> list[str]:
    """The symptom ids of ``symptoms.yml`` in file order (top-level keys; no YAML parse needed,
    so a file with an error elsewhere still lists its ids)."""
    if not symptoms_file.is_file():
        return []
    ids = []
    for line in symptoms_file.read_text(encoding="utf-8").splitlines():
        if match := _SYMPTOM_KEY_RE.match(line):
            ids.append(match.group("key").strip("'\""))
    return ids


def _ids(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.md")) if folder.is_dir() else []


def new_condition(content_dir: Path, condition_id: str, topic_id: str) -> Written:
    _check_id("condition", condition_id, "runners-knee")
    path = content_dir / "conditions" / f"{condition_id}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists: condition ids are permanent URLs; edit that file, "
                            "or choose another id")
    topics = _ids(content_dir / "topics")
    if not topic_id:
        raise ScaffoldError(f"give the topic the condition belongs to, for example TOPIC={topics[0] if topics else 'back-pain'}")
    if topic_id not in topics:
        known = ", ".join(topics) or "none yet: add one with make new-topic ID=<id>"
        raise ScaffoldError(f"unknown topic '{topic_id}'{suggest(topic_id, topics)}; topics: {known}")
    symptoms = symptom_ids(content_dir / "symptoms.yml")
    if not symptoms:
        raise ScaffoldError("content/symptoms.yml lists no symptom yet: add one with make new-symptom ID=<id>")
    text = _ENV.get_template("condition.md.j2").render(
        schema_comment=SCHEMA_COMMENT["condition"], title=title_from_id(condition_id), topic=topic_id,
        symptom=symptoms[0], **_dates())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # "x": never overwrite a file that appeared meanwhile
        file.write(text)
    return Written(path, f"Wrote {path}: fill in every TODO, then run make check and make serve.")


def new_topic(content_dir: Path, topic_id: str) -> Written:
    _check_id("topic", topic_id, "knee-pain")
    if topic_id in RESERVED_TOPIC_IDS:
        raise ScaffoldError(f"'{topic_id}' is already a page of the site (/{topic_id}/); choose another id")
    path = content_dir / "topics" / f"{topic_id}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists: topic ids are permanent URLs; edit that file, or "
                            "choose another id")
    text = _ENV.get_template("topic.md.j2").render(
        schema_comment=SCHEMA_COMMENT["topic"], title=title_from_id(topic_id), **_dates())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:
        file.write(text)
    return Written(path, f"Wrote {path}: fill in every TODO, then run make check and make serve.")


def new_symptom(content_dir: Path, symptom_id: str) -> Written:
    _check_id("symptom", symptom_id, "knee-swelling")
    path = content_dir / "symptoms.yml"
    existing = symptom_ids(path)
    if symptom_id in existing:
        raise ScaffoldError(f"{path} already has the symptom '{symptom_id}'; edit it there, or choose another id")
    entry = _ENV.get_template("symptom.yml.j2").render(id=symptom_id, label=title_from_id(symptom_id))
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        separator = "" if not text or text.endswith("\n") else "\n"
        with path.open("a", encoding="utf-8") as file:  # append: the rest of the file stays as it is
            file.write(f"{separator}{entry}")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{SCHEMA_COMMENT['symptoms']}\n{entry}", encoding="utf-8")
    return Written(path, f"Added '{symptom_id}' to {path}: fill in its TODO, list it on a condition, "
                         "then run make check.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m running_injuries.editors.scaffold",
                                     description="Start a new content page with every field in place.")
    parser.add_argument("--content", type=Path,
                        default=Path(os.environ.get("RUNNING_INJURIES_CONTENT") or "content"),
                        help="the content folder (default: content, or $RUNNING_INJURIES_CONTENT)")
    kinds = parser.add_subparsers(dest="kind", required=True)
    condition = kinds.add_parser("condition", help="content/conditions/<id>.md")
    condition.add_argument("id", nargs="?", default="")
    condition.add_argument("topic", nargs="?", default="")
    topic = kinds.add_parser("topic", help="content/topics/<id>.md")
    topic.add_argument("id", nargs="?", default="")
    symptom = kinds.add_parser("symptom", help="an entry of content/symptoms.yml")
    symptom.add_argument("id", nargs="?", default="")
    args = parser.parse_args(argv)
    try:
        if args.kind == "condition":
            written = new_condition(args.content, args.id.strip(), args.topic.strip())
        elif args.kind == "topic":
            written = new_topic(args.content, args.id.strip())
        else:
            written = new_symptom(args.content, args.id.strip())
    except ScaffoldError as err:
        print(f"Cannot create the {args.kind}: {err}", file=sys.stderr)
        return 1
    print(written.message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
