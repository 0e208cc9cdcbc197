"""Reading level of a page body: the Flesch-Kincaid grade (``textstat``) of the words a reader reads.

Markdown syntax, HTML, code and citations are stripped first. Each paragraph, list item and
heading-free block ends a sentence, so a list item without a full stop does not run into the next.
Every sentence keeps the file line it starts on, so a warning can point at the longest ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

READING_GRADE_LIMIT = 9.0  # plain-language guidance for health information: reading age 9 to 11
SYLLABLE_LANGUAGE = "en-US"  # see _flesch_kincaid_grade

# Blocks that are not prose: replaced by as many newlines as they span, so line numbers hold.
_NOT_PROSE_RE = re.compile(
    r"<!--.*?-->"                                    # HTML comments
    r"|^[ \t]*(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^[ \t]*(?P=fence)[ \t]*$",  # fenced code
    re.DOTALL | re.MULTILINE,
)
_SKIP_LINE_RE = re.compile(
    r"^\s*(?:#{1,6}\s|#{1,6}$|!!!|\?\?\?|\|"        # headings, admonition markers, table rows
    r"|\*\[[^\]]*\]:|\[[^\]]*\]:|-{3,}\s*$|\*{3,}\s*$|={3,}\s*$)"  # abbreviations, link refs, rules
)
_LIST_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_CITATION_RE = re.compile(r"\s*\[[^\]\n]*@[^\]\n]*\]")
_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK_RE = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_CODE_SPAN_RE = re.compile(r"`+[^`]*`+")
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][^>]*>")
_ATTR_LIST_RE = re.compile(r"\{:?[^}]*\}")
_EMPHASIS_RE = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)")
_SENTENCE_RE = re.compile(r"[^.!?\s][^.!?]*(?:[.!?]+|$)")


@dataclass(frozen=True)
class Sentence:
    line: int  # the file line it starts on
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Reading:
    """The reading grade of one body, with its sentences (for pointing at the hard ones)."""

    grade: float
    words: int
    sentences: tuple[Sentence, ...]

    def longest(self, count: int = 3) -> list[Sentence]:
        """The ``count`` longest sentences, longest first (earlier first among equals)."""
        return sorted(self.sentences, key=lambda s: (-s.words, s.line))[:count]

    @property
    def too_hard(self) -> bool:
        return self.grade > READING_GRADE_LIMIT


def _blank_out(match: re.Match[str]) -> str:
    return "\n" * match.group().count("\n")


def _plain(line: str) -> str:
    line = _CITATION_RE.sub("", line)
    line = _IMAGE_RE.sub("", line)
    line = _LINK_RE.sub(r"\1", line)
    line = _CODE_SPAN_RE.sub("", line)
    line = _HTML_TAG_RE.sub("", line)
    line = _ATTR_LIST_RE.sub("", line)
    line = _EMPHASIS_RE.sub("", line)
    return " ".join(line.split())


def paragraphs(body: str, first_line: int = 1) -> list[list[tuple[int, str]]]:
    """The prose of ``body`` as paragraphs, each a list of (file line, plain text) pieces."""
    body = _NOT_PROSE_RE.sub(_blank_out, body)
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(body.split("\n"), start=first_line):
        if not raw.strip() or _SKIP_LINE_RE.match(raw):
            if current:
                blocks.append(current)
            current = []
            continue
        is_item = bool(_LIST_ITEM_RE.match(raw))
        if is_item and current:  # each list item reads as a sentence of its own
            blocks.append(current)
            current = []
        text = _plain(_LIST_ITEM_RE.sub("", raw, count=1))
        if text:
            current.append((number, text))
    if current:
        blocks.append(current)
    return blocks


def _sentences(block: list[tuple[int, str]]) -> list[Sentence]:
    text, starts = "", []
    for number, piece in block:
        starts.append((len(text), number))
        text += piece + " "
    text = text.rstrip()
    if text.endswith(":"):
        text = text[:-1]
    if text and text[-1] not in ".!?":
        text += "."
    found = []
    for match in _SENTENCE_RE.finditer(text):
        line = max(n for offset, n in starts if offset <= match.start())
        found.append(Sentence(line, match.group().strip()))
    return found


def reading(body: str, first_line: int = 1) -> Reading:
    """The Flesch-Kincaid grade of ``body`` (Markdown), rounded to one decimal."""
    sentences = [s for block in paragraphs(body, first_line) for s in _sentences(block)]
    text = " ".join(s.text for s in sentences)
    words = sum(s.words for s in sentences)
    if not words:
        return Reading(0.0, 0, ())
    return Reading(round(_flesch_kincaid_grade(text), 1), words, tuple(sentences))


def _flesch_kincaid_grade(text: str) -> float:
    """textstat's Flesch-Kincaid grade, counting syllables with Pyphen's en_US hyphenation.

    textstat (pinned to 0.7.8) looks a word up in the CMU Pronouncing Dictionary only for the
    language ``en`` / ``en_XX``, and parsing that 3.6 MB dictionary takes longer than the rest
    of ``make check`` together. Under the tag ``en-US`` it counts with Pyphen's en_US patterns
    instead, as textstat did before 0.7.5. Nothing is downloaded either way.
    """
    from textstat.textstat import textstatistics  # only when there is text to score

    scorer = textstatistics()  # our own instance: textstat's module-level one is shared state
    scorer.set_lang(SYLLABLE_LANGUAGE)
    return float(scorer.flesch_kincaid_grade(text))


def _quote(text: str, limit: int = 90) -> str:
    return f'"{text}"' if len(text) <= limit else f'"{text[:limit - 1].rstrip()}…"'


def too_hard_message(result: Reading) -> str:
    """The warning for a body above the limit: its grade and its longest sentences."""
    longest = "; ".join(f"line {s.line} ({s.words} words) {_quote(s.text)}" for s in result.longest())
    return (f"reading grade {result.grade:.1f} is above {READING_GRADE_LIMIT:g} (Flesch-Kincaid); "
            f"shorten sentences and prefer short words. Longest sentences: {longest}")
