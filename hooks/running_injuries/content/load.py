"""Load ``content/`` into typed objects, collecting every problem instead of stopping at the first.

Each file is read and checked on its own here (syntax, schema, file name); checks that need
several files at once (unknown ids, unused symptoms) live in ``validate``.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .model import SLUG_PATTERN, Condition, ConditionMeta, Site, Symptom, SymptomDef, Topic, TopicMeta
from .problems import Problems
from .sources import FieldPath, Source, field_name, parse_front_matter, parse_yaml, read_text

_SLUG = re.compile(SLUG_PATTERN)
M = TypeVar("M", bound=BaseModel)


def suggest(word: str, choices: list[str] | set[str] | Any) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _message(error: Any, model: type[BaseModel]) -> tuple[FieldPath, str]:
    """A plain-language message for one pydantic error, and the field it is about."""
    loc: FieldPath = tuple(error["loc"])
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        return loc, "this required field is missing"
    if kind == "extra_forbidden":
        fields = _fields_at(model, loc[:-1])
        return loc, f"unknown field{suggest(loc[-1], fields)}; allowed: {', '.join(fields)}"
    if kind == "literal_error":
        return loc, f"must be one of {ctx.get('expected', '')} (got {value!r})"
    if kind == "string_pattern_mismatch":
        return loc, f"{value!r} is not a valid id: use lowercase letters, digits and single hyphens"
    if kind.startswith("date") or (loc and loc[-1] in ("reviewed", "review_due")):
        return loc, f"must be a date written YYYY-MM-DD (got {value!r})"
    if kind == "too_short" and isinstance(value, list):
        return loc, "needs at least one entry"
    if kind == "string_too_short":
        return loc, "must not be empty"
    if kind == "string_too_long":
        return loc, f"is {len(value)} characters long; at most {ctx.get('max_length')} allowed"
    if kind == "string_type":
        return loc, f"must be text (got {type(value).__name__} {value!r}); put it in quotes"
    if kind == "list_type":
        return loc, f"must be a list (got {type(value).__name__}); write [a, b] or one '- item' a line"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return loc, "must be a set of 'field: value' lines"
    if kind == "review_due_before_reviewed":
        return ("review_due",), str(error["msg"])
    return loc, str(error["msg"])


def _fields_at(model: type[BaseModel], loc: FieldPath) -> list[str]:
    """The field names allowed at ``loc`` inside ``model`` (descending into nested models)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = current.model_fields[part].annotation
        current = next((a for a in getattr(annotation, "__args__", ()) if isinstance(a, type)
                        and issubclass(a, BaseModel)), annotation)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def validate_model(model: type[M], source: Source, data: Any, problems: Problems,
                   prefix: FieldPath = ()) -> M | None:
    """``model`` built from ``data``, or ``None`` with one problem per schema error."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        for error in err.errors(include_url=False):
            loc, message = _message(error, model)
            loc = prefix + loc
            problems.add(source.path, source.line_of(loc), field_name(loc), message)
        return None


def _check_id(path: Path, rel: str, problems: Problems) -> bool:
    if _SLUG.match(path.stem):
        return True
    problems.add(rel, 1, "", f"the file name '{path.name}' is not a valid id: use lowercase letters, "
                 "digits and single hyphens, for example 'herniated-disc.md'")
    return False


def _markdown_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.md") if not p.name.startswith(".")) if folder.is_dir() else []


def _load_page(path: Path, root: Path, model: type[M], problems: Problems) -> tuple[str, M, Source] | None:
    rel = path.relative_to(root).as_posix()
    valid_id = _check_id(path, rel, problems)
    text = read_text(path, rel, problems)
    source = parse_front_matter(text, rel, problems) if text is not None else None
    meta = validate_model(model, source, source.data, problems) if source is not None else None
    if meta is None or source is None or not valid_id:
        return None
    return path.stem, meta, source


def load_symptoms(path: Path, root: Path, problems: Problems) -> dict[str, Symptom]:
    rel = path.relative_to(root).as_posix()
    if not path.is_file():
        problems.add(rel, 0, "", "the symptom list is missing")
        return {}
    text = read_text(path, rel, problems)
    source = parse_yaml(text, rel, problems) if text is not None else None
    if source is None:
        return {}
    if not isinstance(source.data, dict):
        problems.add(rel, 1, "", "must map each symptom id to its label and description")
        return {}
    symptoms: dict[str, Symptom] = {}
    for key in sorted(source.data, key=str):
        line = source.line_of((key,))
        if not isinstance(key, str) or not _SLUG.match(key):
            problems.add(rel, line, str(key), "is not a valid symptom id: use lowercase letters, digits and single hyphens")
            continue
        meta = validate_model(SymptomDef, source, source.data[key], problems, prefix=(key,))
        if meta is not None:
            symptoms[key] = Symptom(key, rel, line, meta)
    return symptoms


def load_site(content_dir: Path, root: Path, problems: Problems) -> Site:
    """Read every content file under ``content_dir``; paths in problems are relative to ``root``."""
    site = Site()
    if not content_dir.is_dir():
        problems.add(str(content_dir), 0, "", "the content folder does not exist")
        return site
    site.symptoms = load_symptoms(content_dir / "symptoms.yml", root, problems)
    for path in _markdown_files(content_dir / "topics"):
        if loaded := _load_page(path, root, TopicMeta, problems):
            topic_id, meta, source = loaded
            site.topics[topic_id] = Topic(topic_id, source.path, source.body, source.body_line,
                                          source.lines, meta=meta)
    for path in _markdown_files(content_dir / "conditions"):
        if loaded := _load_page(path, root, ConditionMeta, problems):
            condition_id, meta, source = loaded
            site.conditions[condition_id] = Condition(condition_id, source.path, source.body,
                                                      source.body_line, source.lines, meta=meta)
    return site
