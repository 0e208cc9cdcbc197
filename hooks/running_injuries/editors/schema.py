"""JSON Schemas of the content files, for editors' tools, derived from the one model in ``model``.

    python -m running_injuries.editors.schema [--check] [--content DIR]

writes ``content/schema/{condition,topic,symptoms}.schema.json``. Each content file names its
schema in a first comment, ``# yaml-language-server: $schema=../schema/condition.schema.json``, so
editors that run the YAML language server (VS Code's YAML extension, and others) validate and
autocomplete as the editor types. ``--check`` only reports files that are out of date (a test
keeps the committed files in sync with the model).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from ..content.model import ConditionMeta, Slug, SymptomDef, TopicMeta

SCHEMA_FOLDER = "schema"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# The first line of each kind of content file: where its schema is, relative to the file.
SCHEMA_COMMENT = {
    "condition": "# yaml-language-server: $schema=../schema/condition.schema.json",
    "topic": "# yaml-language-server: $schema=../schema/topic.schema.json",
    "symptoms": "# yaml-language-server: $schema=schema/symptoms.schema.json",
}


def _page_schema(model: type[BaseModel], title: str, description: str) -> dict[str, Any]:
    schema = model.model_json_schema()
    return {"$schema": DIALECT, **schema, "title": title, "description": description}


def _symptoms_schema() -> dict[str, Any]:
    schema = TypeAdapter(dict[Slug, SymptomDef]).json_schema()
    # A key that is not a valid id is an error in the loader; say so to the editor too.
    schema["additionalProperties"] = False
    return {
        "$schema": DIALECT,
        "title": "Symptoms (content/symptoms.yml)",
        "description": "The controlled symptom vocabulary: each symptom id (lowercase letters, digits "
                       "and single hyphens) with its label, description and other names.",
        **schema,
    }


def schemas() -> dict[str, dict[str, Any]]:
    """Each schema file's name and content, generated from the model."""
    return {
        "condition.schema.json": _page_schema(
            ConditionMeta, "Condition (content/conditions/<id>.md)",
            "Front-matter of one condition page. The file name is the condition's id and URL."),
        "topic.schema.json": _page_schema(
            TopicMeta, "Topic (content/topics/<id>.md)",
            "Front-matter of a topic hub, such as back-pain. The file name is the topic's id and URL."),
        "symptoms.schema.json": _symptoms_schema(),
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def out_of_date(content_dir: Path) -> list[Path]:
    """The schema files under ``content_dir`` that differ from the model (or are missing)."""
    folder = content_dir / SCHEMA_FOLDER
    return [folder / name for name, schema in schemas().items()
            if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != render(schema)]


def write(content_dir: Path) -> list[Path]:
    """Write every schema file; the paths written."""
    folder = content_dir / SCHEMA_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        (folder / name).write_text(render(schema), encoding="utf-8")
        written.append(folder / name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m running_injuries.editors.schema",
                                     description="Write the content JSON Schemas from the model.")
    parser.add_argument("--check", action="store_true", help="only report files that are out of date")
    parser.add_argument("--content", type=Path, default=Path("content"), help="the content folder")
    args = parser.parse_args(argv)
    if args.check:
        stale = out_of_date(args.content)
        for path in stale:
            print(f"{path}: out of date with the model; run `make schema`", file=sys.stderr)
        return 1 if stale else 0
    for path in write(args.content):
        print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
