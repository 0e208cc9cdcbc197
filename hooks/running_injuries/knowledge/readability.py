"""Reading level of a page body: the Flesch-Kincaid grade (``textstat``) of the words a reader reads.

Headings, tables, code, HTML and citations are left out, and Markdown syntax is stripped, so the
score is of the sentences a reader reads. Each paragraph and each list item ends a sentence, so an
item without a full stop does not run into the next. Every sentence keeps the file line it starts
on, so that a warning can point at the longest ones.

The grade is textstat's (pinned to 0.7.8), but we count its words, sentences and syllables
ourselves: ``make check`` grades thousands of pages, and textstat's counters run several regexes
on every sentence and on the whole text again for each count. Ours give exactly the same numbers
from one split of the text into tokens and a memo of each distinct token's syllables:

- textstat's words (``list_words(text, lowercase=True)``) are the whitespace-separated tokens with
  punctuation removed, and its punctuation rules look no further than the token itself, so a word
  is textstat's own ``list_words`` of one token, and a token that has no word character vanishes;
- its sentence count is the number of its sentence-like fragments, less those of two words or
  fewer (but at least one).

``tests/test_readability.py`` checks that words, counts and grade equal textstat's own functions,
on tricky strings and on the real content.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

READING_GRADE_LIMIT = 9.0  # plain-language guidance for health information: reading age 9 to 11
SYLLABLE_LANGUAGE = "en-US"  # see _syllables
# Reading formulas need a sample of about 100 words: a grade from a few lines is noise, so a
# shorter body gets a grade (for the report) but never a warning.
MIN_WORDS = 100

# Most bodies have no comment and no code block: their text need not be scanned for one.
_NOT_PROSE_MARKERS = ("<!--", "```", "~~~")
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
# Inline syntax and links are removed from the whole body at once; none of these patterns crosses a
# line end. Every alternative starts with a literal character, so that the regex engine jumps from
# one such character to the next: an alternative that starts with a class, a repeat or a lookaround
# makes it try the whole pattern at every position (a hot spot at scale). Hence the citation once
# per blank that may precede it, and the emphasis markers once per character.
_CITATION = r"\[[^\]\n]*@[^\]\n]*\]"                  # [@key], [@a; @b]
_INLINE_RE = re.compile(
    rf" [ \t]*{_CITATION}|\t[ \t]*{_CITATION}|{_CITATION}"  # citations, with the blanks before them
    r"|``*[^`\n]*`+"                                    # code spans
    r"|</?[A-Za-z][^>\n]*>"                              # HTML tags
    r"|\{:?[^}\n]*\}"                                   # attribute lists
    r"|\*(?<!\w\*)[*_]{0,2}|\*[*_]{0,2}(?!\w)"            # emphasis markers (1 to 3 of * and _)
    r"|_(?<!\w_)[*_]{0,2}|_[*_]{0,2}(?!\w)"               # not after a word, or not before one
)
# Links keep their text; images (starting with "!") go.
_LINK_RE = re.compile(r"(?:!\[|\[)(?P<text>[^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])")
_SENTENCE_RE = re.compile(r"[^.!?\s][^.!?]*(?:[.!?]+|$)")

# textstat's sentence-like fragments (``counts.count_sentences``).
_TEXTSTAT_SENTENCE_RE = re.compile(r"\b[^.!?]+[.!?]*")
# Matches a fragment with at least three words, a word being a whitespace-separated token with a
# word character (what textstat's ``count_words`` counts): optional blanks, then three times any
# tokens without a word character, a token with one, and the blanks after it. Possessive, so it
# never backtracks: linear in the fragment.
_THREE_WORDS_RE = re.compile(r"\s*+(?:(?:[^\s\w]++\s++)*+[^\s\w]*+\w\S*+\s*+){3}")


class Sentence(NamedTuple):
    """One sentence and the file line it starts on. (A named tuple: a check makes tens of thousands,
    and one is built about three times faster than a frozen dataclass.)"""

    line: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Reading:
    """The reading grade of one body, and its longest sentences (for pointing at the hard ones)."""

    grade: float
    words: int
    longest: tuple[Sentence, ...]  # at most three, longest first (earlier first among equals)

    @property
    def too_hard(self) -> bool:
        return self.words >= MIN_WORDS and self.grade > READING_GRADE_LIMIT


def _blank_out(match: re.Match[str]) -> str:
    return "\n" * match.group().count("\n")


def _link_text(match: re.Match[str]) -> str:
    return "" if match.group().startswith("!") else match.group("text")


def paragraphs(body: str, first_line: int = 1) -> list[list[tuple[int, str]]]:
    """The prose of ``body`` as paragraphs, each a list of (file line, plain text) pieces."""
    if any(marker in body for marker in _NOT_PROSE_MARKERS):
        body = _NOT_PROSE_RE.sub(_blank_out, body)
    raw_lines = body.split("\n")
    plain_lines = _INLINE_RE.sub("", _LINK_RE.sub(_link_text, body)).split("\n")
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


def _sentences(blocks: list[list[tuple[int, str]]]) -> list[Sentence]:
    """The sentences of a body's paragraphs; a paragraph ends a sentence even without a full stop.

    All paragraphs are split in one go: each ends in a full stop, and no sentence runs past one.
    A sentence starts on the line of the last piece that starts at or before it.
    """
    texts: list[str] = []
    starts: list[int] = []  # where each piece starts in the joined text
    lines: list[int] = []  # and the line it is on
    block_start = 0
    for block in blocks:
        offset = block_start
        for number, piece in block:
            starts.append(offset)
            lines.append(number)
            offset += len(piece) + 1
        text = " ".join(piece for _, piece in block)
        if text.endswith(":"):
            text = text[:-1]
        if text and text[-1] not in ".!?":
            text += "."
        texts.append(text)
        block_start += len(text) + 1
    return [Sentence(lines[bisect_right(starts, match.start()) - 1], match.group().strip())
            for match in _SENTENCE_RE.finditer(" ".join(texts))]


def sentences_of(body: str, first_line: int = 1) -> list[Sentence]:
    """The sentences of ``body`` (Markdown) that are scored, in order."""
    return _sentences(paragraphs(body, first_line))


def prose_text(sentences: list[Sentence]) -> str:
    """The text that is scored: every sentence, in order, one after another."""
    return " ".join(s.text for s in sentences)


def reading(body: str, first_line: int = 1) -> Reading:
    """The Flesch-Kincaid grade of ``body`` (Markdown), rounded to one decimal."""
    sentences = sentences_of(body, first_line)
    text = prose_text(sentences)
    tokens = text.split()  # the sentences' words (each sentence is stripped, so none run together)
    if not tokens:
        return Reading(0.0, 0, ())
    longest = sorted(sentences, key=lambda s: (-s.words, s.line))[:3]  # not all: a build keeps every grade
    return Reading(round(_grade(text, tokens), 1), len(tokens), tuple(longest))


# -- textstat's counts, counted once per token -------------------------------------------------------

def flesch_kincaid_grade(text: str) -> float:
    """textstat's Flesch-Kincaid grade of ``text`` under ``SYLLABLE_LANGUAGE``, unrounded."""
    return _grade(text, text.split())


def _grade(text: str, tokens: list[str]) -> float:
    """The grade of ``text``, split into ``tokens`` at blanks."""
    words, syllables = _words_and_syllables(tokens)
    if not words:
        return 0.0
    # As computed here since the start (textstat multiplies 11.8 by the syllables per word, which
    # may differ in the last bit).
    return 0.39 * (words / count_sentences(text)) + 11.8 * syllables / words - 15.59


def list_words(text: str) -> list[str]:
    """textstat's ``list_words(text, lowercase=True)``, one token at a time."""
    return [word for token in text.split() for word in _textstat_words(token)]


def count_sentences(text: str) -> int:
    """textstat's ``count_sentences``: its fragments, less those of two words or fewer (at least one)."""
    if not text:
        return 0
    fragments = _TEXTSTAT_SENTENCE_RE.findall(text)
    short = list(map(_THREE_WORDS_RE.match, fragments)).count(None)
    return max(1, len(fragments) - short)


class _TokenSyllables(dict[str, int]):
    """The syllables of a token's word, filled in on first use; 0 for a token that is no word.

    A word has at least one syllable (textstat counts hyphenation points plus one), so 0 tells
    that the token is no word.
    """

    def __missing__(self, token: str) -> int:
        words = _textstat_words(token)  # [] or [word]: a token has no blank to split at
        # max(): textstat never counts fewer than one for a word; should it ever, the word still
        # counts as a word rather than stopping the build.
        count = max(_syllables(words[0]), 1) if words else 0
        self[token] = count
        return count


_TOKEN_SYLLABLES = _TokenSyllables()


def _words_and_syllables(tokens: list[str]) -> tuple[int, int]:
    """How many of ``tokens`` are words, and their syllables: one dict lookup per token."""
    counts = list(map(_TOKEN_SYLLABLES.__getitem__, tokens))
    return len(counts) - counts.count(0), sum(counts)


def _textstat_words(token: str) -> list[str]:
    from textstat.backend import selections  # only when there is text to score

    return selections.list_words(token, lowercase=True)


@functools.cache
def _syllables(word: str) -> int:
    """textstat's syllable count of ``word`` under ``SYLLABLE_LANGUAGE``.

    textstat (pinned to 0.7.8) looks a word up in the CMU Pronouncing Dictionary only for the
    language ``en`` / ``en_XX``, and parsing that 3.6 MB dictionary takes longer than all the rest
    of ``make check``. Under the tag ``en-US`` it counts with Pyphen's en_US hyphenation patterns
    instead, as textstat did before 0.7.5. Nothing is downloaded either way.
    """
    from textstat.backend import counts

    return counts.count_syllables(word, SYLLABLE_LANGUAGE)


def _quote(text: str, limit: int = 90) -> str:
    return f'"{text}"' if len(text) <= limit else f'"{text[:limit - 1].rstrip()}…"'


def too_hard_message(result: Reading) -> str:
    """The warning for a body above the limit: its grade and its longest sentences."""
    longest = "; ".join(f"line {s.line} ({s.words} words) {_quote(s.text)}" for s in result.longest)
    return (f"reading grade {result.grade:.1f} is above {READING_GRADE_LIMIT:g} (Flesch-Kincaid); "
            f"shorten sentences and prefer short words. Longest sentences: {longest}")
