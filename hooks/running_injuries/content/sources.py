"""Read one content file: decode it, split front-matter from body, parse YAML with line numbers.

Nothing here knows the schema; it turns text into plain data plus a map from each field's path
(``("symptoms", 2, "id")``) to the file line it stands on, so that later steps can name the line
of any problem they find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problems

FieldPath = tuple[str | int, ...]

_FENCE = re.compile(r"^---[ \t]*$")
# C loader when PyYAML was built with libyaml: many times faster, and it keeps line marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that leaves an impossible date (``2026-02-30``) as text for the schema to report."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


@dataclass(frozen=True)
class Source:
    """One parsed file. ``lines`` maps a field path to its 1-based file line."""

    path: str
    data: Any
    lines: dict[FieldPath, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    start_line: int = 1

    def line_of(self, loc: FieldPath) -> int:
        """The line of ``loc``, or of its nearest parent that is in the file."""
        for end in range(len(loc), 0, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return self.start_line


def field_name(loc: FieldPath) -> str:
    """``("symptoms", 2, "id")`` -> ``symptoms[2].id``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_text(path: Path, rel: str, problems: Problems) -> str | None:
    """The file's text, or ``None`` with a problem when it is unreadable, not UTF-8 or empty."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        problems.add(rel, 0, "", f"cannot read the file: {err.strerror}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.add(rel, line, "", f"the file is not UTF-8 (byte 0x{raw[err.start]:02x}); save it as UTF-8")
        return None
    if not text.strip():
        problems.add(rel, 1, "", "the file is empty")
        return None
    return text.replace("\r\n", "\n")


def parse_yaml(text: str, rel: str, problems: Problems, *, first_line: int = 1) -> Source | None:
    """Parse YAML text whose first line is file line ``first_line``."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Source(rel, None, {}, start_line=first_line)
        lines: dict[FieldPath, int] = {}
        data = _Tree(loader, lines, first_line, rel, problems).build(node, ())
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = first_line + (mark.line if mark else 0)
        problems.add(rel, line, "", f"YAML syntax error: {err.problem or err.context}")
        return None
    except yaml.YAMLError as err:  # any other reader or constructor error
        problems.add(rel, first_line, "", f"YAML error: {err}")
        return None
    except RecursionError:  # an alias inside itself where _Tree leaves the building to PyYAML
        problems.add(rel, first_line, "", "a YAML alias that contains itself, or nesting too deep; "
                     "write the value out")
        return None
    finally:
        loader.dispose()
    return Source(rel, data, lines, start_line=first_line)


def parse_front_matter(text: str, rel: str, problems: Problems) -> Source | None:
    """Split a Markdown file into front-matter (parsed; from file line 2) and body."""
    lines = text.split("\n")
    if not _FENCE.match(lines[0]):
        problems.add(rel, 1, "", "no front-matter: the file must start with a line '---', then the fields, then '---'")
        return None
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        problems.add(rel, 1, "", "the front-matter is not closed: add a line '---' after the fields")
        return None
    parsed = parse_yaml("\n".join(lines[1:end]), rel, problems, first_line=2)
    if parsed is None:
        return None
    if not isinstance(parsed.data, dict):
        problems.add(rel, 2, "", "the front-matter must be a list of 'field: value' lines")
        return None
    return Source(rel, parsed.data, parsed.lines, "\n".join(lines[end + 1:]), end + 2, 1)


_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


class _Tree:
    """One walk over a composed YAML document: its data, each field's line, duplicate keys.

    Plain strings, lists and mappings (all of a content file, nearly) are built here directly;
    every other node (numbers, dates, booleans, merge keys, any other tag) goes to the loader's own
    constructor, so the data is what ``yaml.load`` gives. One walk instead of a walk for the lines
    and the constructor's own: loading thousands of files is a large part of ``make check``.
    """

    def __init__(self, loader: Any, lines: dict[FieldPath, int], first: int, rel: str,
                 problems: Problems) -> None:
        self.loader = loader
        self.lines = lines
        self.first = first
        self.rel = rel
        self.problems = problems
        self.open: set[int] = set()  # the nodes being built: an alias to one of them is a loop

    def build(self, node: yaml.Node, loc: FieldPath) -> Any:
        self.lines[loc] = self.first + node.start_mark.line
        if isinstance(node, yaml.ScalarNode):
            return node.value if node.tag == _STR_TAG else self.loader.construct_object(node, deep=True)
        if id(node) in self.open:
            self.problems.add(self.rel, self.first + node.start_mark.line, field_name(loc),
                              "a YAML alias that contains itself; write the value out")
            return None
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
                return [self.build(item, loc + (index,)) for index, item in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG and all(
                    isinstance(key, yaml.ScalarNode) and key.tag == _STR_TAG for key, _ in node.value):
                return self._mapping(node, loc)
            self._lines_only(node, loc)
            return self.loader.construct_object(node, deep=True)
        finally:
            self.open.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, loc: FieldPath) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key, value in node.value:
            name = key.value
            if name in data:
                self.problems.add(self.rel, self.first + key.start_mark.line, field_name(loc + (name,)),
                                  "this field is given twice; keep one")
            data[name] = self.build(value, loc + (name,))
            self.lines[loc + (name,)] = self.first + key.start_mark.line
        return data

    def _lines_only(self, node: yaml.Node, loc: FieldPath) -> None:
        """Lines and duplicate keys of a node that the loader's constructor builds."""
        _map_lines(node, loc, self.lines, self.first, self.rel, self.problems)


def _map_lines(node: yaml.Node, loc: FieldPath, lines: dict[FieldPath, int], first: int,
               rel: str, problems: Problems) -> None:
    lines[loc] = first + node.start_mark.line
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark)
            if name in seen:
                problems.add(rel, first + key.start_mark.line, field_name(loc + (name,)),
                             "this field is given twice; keep one")
            seen.add(name)
            _map_lines(value, loc + (name,), lines, first, rel, problems)
            lines[loc + (name,)] = first + key.start_mark.line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_lines(item, loc + (index,), lines, first, rel, problems)
