"""The JSON Schemas for editors' tools: in sync with the model, named by every content file, and
agreeing with the model on what is valid."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import ValidationError

from conftest import ROOT
from running_injuries.content.model import ConditionMeta, SymptomDef, TopicMeta
from running_injuries.editors.schema import SCHEMA_COMMENT, out_of_date, render, schemas

SCHEMA_DIR = ROOT / "content" / "schema"


def load_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def as_json(value: Any) -> Any:
    """YAML data as an editor's YAML language server sees it: dates are strings."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def front_matter(path: Path) -> tuple[str, dict[str, Any]]:
    """The first line inside the front-matter, and the front-matter's data."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    block = text[4:text.index("\n---\n", 4)]
    return block.split("\n", 1)[0], yaml.safe_load(block)


def test_committed_schemas_match_the_model() -> None:
    assert out_of_date(ROOT / "content") == [], "run `make schema` and commit content/schema/"
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.json")) == sorted(schemas())


def test_schema_command_writes_and_checks(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    command = [sys.executable, "-m", "running_injuries.editors.schema", "--content", str(tmp_path / "content")]
    missing = subprocess.run([*command, "--check"], env=env, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1
    assert "condition.schema.json: out of date with the model; run `make schema`" in missing.stderr
    written = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert written.returncode == 0, written.stderr
    for name in schemas():
        assert (tmp_path / "content" / "schema" / name).read_text(encoding="utf-8") == \
            (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert subprocess.run([*command, "--check"], env=env, timeout=60).returncode == 0
    stale = tmp_path / "content" / "schema" / "topic.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace('"summary"', '"summry"'), encoding="utf-8")
    changed = subprocess.run([*command, "--check"], env=env, capture_output=True, text=True, timeout=60)
    assert changed.returncode == 1 and "topic.schema.json" in changed.stderr and "condition" not in changed.stderr


def test_schemas_describe_every_model_field() -> None:
    condition, topic = load_schema("condition.schema.json"), load_schema("topic.schema.json")
    assert condition["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert list(condition["properties"]) == list(ConditionMeta.model_fields)
    assert list(topic["properties"]) == list(TopicMeta.model_fields)
    assert condition["additionalProperties"] is False and topic["additionalProperties"] is False
    assert sorted(condition["required"]) == sorted(n for n, f in ConditionMeta.model_fields.items() if f.is_required())
    for name, prop in [*condition["properties"].items(), *topic["properties"].items()]:
        assert prop.get("description"), f"{name} has no description for the editor's tooltip"
    symptoms = load_schema("symptoms.schema.json")
    assert symptoms["additionalProperties"] is False
    (definition,) = symptoms["patternProperties"].values()
    assert definition == {"$ref": "#/$defs/SymptomDef"}
    assert list(symptoms["$defs"]["SymptomDef"]["properties"]) == list(SymptomDef.model_fields)


CONTENT_FILES = sorted((ROOT / "content").glob("*/*.md"))


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_each_content_file_names_its_schema_and_validates(path: Path) -> None:
    kind = {"conditions": "condition", "topics": "topic"}[path.parent.name]
    first_line, data = front_matter(path)
    assert first_line == SCHEMA_COMMENT[kind]
    target = (path.parent / first_line.split("$schema=", 1)[1]).resolve()
    assert target == SCHEMA_DIR / f"{kind}.schema.json"
    errors = list(validator(target.name).iter_errors(as_json(data)))
    assert errors == [], [e.message for e in errors]


def test_symptoms_file_names_its_schema_and_validates() -> None:
    path = ROOT / "content" / "symptoms.yml"
    first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line == SCHEMA_COMMENT["symptoms"]
    assert (path.parent / first_line.split("$schema=", 1)[1]).resolve() == SCHEMA_DIR / "symptoms.schema.json"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(validator("symptoms.schema.json").iter_errors(as_json(data))) == []


# The schema and the model must agree on what is valid: each variant of a valid condition is
# judged by both.
VALID = {
    "title": "Fixture condition", "topic": "aches", "summary": "A test fixture.",
    "symptoms": [{"id": "ache", "frequency": "common"}], "see_a_clinician": ["When a test says so."],
    "reviewed": "2026-11-01",
}
VARIANTS = {
    "valid": {},
    "every optional field": {"also_called": ["Other"], "onset": "gradual", "risk_factors": ["Runners"],
                             "recovery": "Weeks.", "related": ["other-one"], "review_due": "2029-01-01",
                             "reviewed_by": "A fixture reviewer",
                             "illustration": {"highlight": "disc-bulge", "region": "L4-L5"}},
    "picture without a region": {"illustration": {"highlight": "muscle-strain"}},
    "picture highlight outside the list": {"illustration": {"highlight": "bulge"}},
    "picture region outside the list": {"illustration": {"highlight": "disc-wear", "region": "L1-L2"}},
    "picture region that does not fit": {"illustration": {"highlight": "stress-fracture", "region": "L4-L5"}},
    "picture region for a strain": {"illustration": {"highlight": "muscle-strain", "region": "L4"}},
    "picture with unknown key": {"illustration": {"highlight": "disc-wear", "colour": "red"}},
    "unknown key": {"colour": "red"},
    "missing see_a_clinician": {"see_a_clinician": None},
    "no symptoms": {"symptoms": []},
    "frequency outside the list": {"symptoms": [{"id": "ache", "frequency": "often"}]},
    "symptom with unknown key": {"symptoms": [{"id": "ache", "frequency": "common", "notes": "x"}]},
    "topic not an id": {"topic": "Aches"},
    "onset outside the list": {"onset": "slowly"},
    "summary too long": {"summary": "x" * 301},
    "empty title": {"title": ""},
    "not a date": {"reviewed": "26/11/2026"},
    "title not text": {"title": ["a"]},
}


def _model_accepts(data: dict[str, Any]) -> bool:
    parsed = {k: dt.date.fromisoformat(v) if k in ("reviewed", "review_due") and isinstance(v, str)
              and len(v) == 10 and v[4] == "-" else v for k, v in data.items()}
    try:
        ConditionMeta.model_validate(parsed)
    except (ValidationError, ValueError):
        return False
    return True


@pytest.mark.parametrize("name", VARIANTS)
def test_schema_and_model_agree(name: str) -> None:
    data = {**VALID, **VARIANTS[name]}
    data = {k: v for k, v in data.items() if v is not None}
    schema_accepts = validator("condition.schema.json").is_valid(data)
    assert schema_accepts == _model_accepts(data)
    assert schema_accepts == (name in ("valid", "every optional field", "picture without a region"))


def test_render_is_stable() -> None:
    first = {name: render(schema) for name, schema in schemas().items()}
    second = {name: render(schema) for name, schema in schemas().items()}
    assert first == second
    assert all(text.endswith("}\n") for text in first.values())
