"""Reading level of a page body: the Flesch-Kincaid grade (``textstat``) of the words a reader reads.

Headings, tables, code, HTML and citations are left out, and Markdown syntax is stripped, so the
score is of the sentences a reader reads. Each paragraph and each list item ends a sentence, so an
item without a full stop does not run into the next. Every sentence keeps the file line it starts
on, so that a warning can point at the longest ones.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

READING_GRADE_LIMIT = 9.0  # plain-language guidance for health information: reading age 9 to 11
SYLLABLE_LANGUAGE = "en-US"  # see _flesch_kincaid_grade
# Reading formulas need a sample of about 100 words: a grade from a few lines is noise, so a
# shorter body gets a grade (for the report) but never a warning.
MIN_WORDS = 100

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
# Inline syntax, removed from the whole body at once; none of these patterns crosses a line end.
# The lookahead lets the regex skip at once every position where no alternative can start (the
# first one can match empty spaces, which made the search try them all: a hot spot at scale).
_INLINE_RE = re.compile(
    r"(?=[ \t\[`<{*_])(?:"
    r"[ \t]*\[[^\]\n]*@[^\]\n]*\]"                      # citations: [@key], [@a; @b]
    r"|`+[^`\n]*`+"                                     # code spans
    r"|</?[A-Za-z][^>\n]*>"                              # HTML tags
    r"|\{:?[^}\n]*\}"                                   # attribute lists
    r"|(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)"                 # emphasis markers
    r")"
)
# Links keep their text; images go.
_LINK_RE = re.compile(r"(?P<image>!?)\[(?P<text>[^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])")
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
        return self.words >= MIN_WORDS and self.grade > READING_GRADE_LIMIT


def _blank_out(match: re.Match[str]) -> str:
    return "\n" * match.group().count("\n")


def _link_text(match: re.Match[str]) -> str:
    return "" if match.group("image") else match.group("text")


def paragraphs(body: str, first_line: int = 1) -> list[list[tuple[int, str]]]:
    """The prose of ``body`` as paragraphs, each a list of (file line, plain text) pieces."""
    raw_lines = _NOT_PROSE_RE.sub(_blank_out, body).split("\n")
    plain_lines = _INLINE_RE.sub("", _LINK_RE.sub(_link_text, "\n".join(raw_lines))).split("\n")
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, (raw, plain) in enumerate(zip(raw_lines, plain_lines), start=first_line):
        if not raw.strip() or _SKIP_LINE_RE.match(raw):
            if current:
                blocks.append(current)
            current = []
            continue
        if _LIST_ITEM_RE.match(raw):  # each list item reads as a sentence of its own
            if current:
                blocks.append(current)
            current = []
            plain = _LIST_ITEM_RE.sub("", plain, count=1)
        text = " ".join(plain.split())
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


def prose_text(sentences: list[Sentence]) -> str:
    """The text that is scored: every sentence, in order, one after another."""
    return " ".join(s.text for s in sentences)


def reading(body: str, first_line: int = 1) -> Reading:
    """The Flesch-Kincaid grade of ``body`` (Markdown), rounded to one decimal."""
    sentences = [s for block in paragraphs(body, first_line) for s in _sentences(block)]
    text = prose_text(sentences)
    words = sum(s.words for s in sentences)
    if not words:
        return Reading(0.0, 0, ())
    return Reading(round(_flesch_kincaid_grade(text), 1), words, tuple(sentences))


def _flesch_kincaid_grade(text: str) -> float:
    """textstat's Flesch-Kincaid grade, with each word's syllables counted once per process.

    Syllables: textstat (pinned to 0.7.8) looks a word up in the CMU Pronouncing Dictionary only
    for the language ``en`` / ``en_XX``, and parsing that 3.6 MB dictionary takes longer than all
    the rest of ``make check``. Under the tag ``en-US`` it counts with Pyphen's en_US hyphenation
    patterns instead, as textstat did before 0.7.5. Nothing is downloaded either way.

    Speed: textstat caches whole texts only, so it hyphenates every word of every page again;
    counting each distinct word once keeps ``make check`` fast at thousands of pages. The words,
    counters and formula are textstat's own; a test checks the grade equals
    ``textstat.flesch_kincaid_grade``.
    """
    from textstat.backend import metrics, selections  # only when there is text to score

    words = selections.list_words(text, lowercase=True)
    if not words:
        return 0.0
    syllables = sum(_syllables(word) for word in words)
    return 0.39 * metrics.words_per_sentence(text) + 11.8 * syllables / len(words) - 15.59


@functools.cache
def _syllables(word: str) -> int:
    from textstat.backend import counts

    return counts.count_syllables(word, SYLLABLE_LANGUAGE)


def textstat_grade(text: str) -> float:
    """textstat's own ``flesch_kincaid_grade`` under the same language: what the test compares with."""
    from textstat.textstat import textstatistics

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
