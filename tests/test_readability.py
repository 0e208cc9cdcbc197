"""Our own count of textstat's words, sentences and syllables gives exactly textstat's numbers.

``readability`` counts them itself, a token at a time, because textstat's counters are the hot spot
of ``make check`` at thousands of pages. These tests hold it to textstat's own functions: on tricky
strings, on random strings made of tricky pieces, and on the real content.
"""

from __future__ import annotations

import datetime as dt
import pickle
import random
import re

import pytest
from textstat.backend import counts, metrics, selections

from conftest import ROOT, textstat_grade
from running_injuries.pipeline import prepare
from running_injuries.knowledge.readability import (_INLINE_RE, _LINK_RE, SYLLABLE_LANGUAGE, _link_text, count_sentences,
                                          flesch_kincaid_grade, list_words, prose_text, reading, sentences_of)

TRICKY = [
    "",
    "Run",
    "run.",
    "Don't run if it hurts. I don't know. We'll see, they're fine, you've done it, I'd go.",
    "'Tis the season. 'tis. The runners' shoes. The runner's shoe. ''s and 's and s' and '''.",
    "It's 'quoted' and \"double quoted\" and ‘curly’ and “curly double”, O'Neill's rock 'n' roll.",
    "A well-known, long-standing, 10-km race. Up-to-date advice-for-runners.",
    "Rest, e.g. a week. Ice, i.e. cold. Mr. Smith ran 3.5 km in 20.5 min. Then 3.5km.",
    "Wait... what?! Really?! No!!! Yes?? Maybe… not.",
    "The café is near the naïve runner's Straße; İstanbul's ÉLAN. Ångström.",
    "The pain — sharp, sudden — went away—slowly. – And – then — .",
    "— (1) (2) [3] * ** *** -- ... ! ? ; : , ' \" — .",
    "(1) Rest. (2) Ice. (3) Compress the knee. 4) Elevate it.",
    "snake_case_word and _underscored_ and __dunder__ words.",
    "Tabs\tand\nnew lines\r\nand\u00a0no-break\u2003em spaces. End.",
    "a. b. c. d e. f g h. i j k l.",
    "One two. Three four five. Six.",
    "'S 'T 'D 'VE 'LL 'RE 's 't 'd 've 'll 're 'x 'é.",
    "?!. .!? Hello",
    "100% of 3/4 runners (75%) said #1 @home & more $5 +/- 2.",
]

# Pieces for random strings: words, apostrophes, sentence ends, punctuation, blanks.
PIECES = ["run", "Don", "'t", "'s", "'tis", "'", "''", "s'", "café", "İ", "ß", "x_y", "well-known", "e.g.", "3.5",
          "km", "...", "…", "?!", "!", "?", ".", ",", ";", ":", "—", "–", "-", "(1)", "(", ")", '"', "“", "”",
          " ", " ", " ", "  ", "\t", "\n", "\u00a0", "a", "I", "ve", "ll", "re", "d", "7", "_"]


def random_strings(pieces: list[str], count: int, longest: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, longest))) for _ in range(count)]


REAL = prepare(ROOT / "content", ROOT, today=dt.date(2026, 11, 26))
REAL_PAGES = [*REAL.site.topics.values(), *REAL.site.conditions.values()]
REAL_TEXTS = [prose_text(sentences_of(page.body, page.body_line)) for page in REAL_PAGES]
REAL_BODIES = [page.body for page in REAL_PAGES]


def textstat_counters_grade(text: str) -> float:
    """The grade as readability computed it with textstat's own counters (before counting itself)."""
    words = selections.list_words(text, lowercase=True)
    if not words:
        return 0.0
    syllables = sum(counts.count_syllables(word, SYLLABLE_LANGUAGE) for word in words)
    return 0.39 * metrics.words_per_sentence(text) + 11.8 * syllables / len(words) - 15.59


def check_same_as_textstat(text: str) -> None:
    assert list_words(text) == selections.list_words(text, lowercase=True)
    assert counts.count_words(text) == len(list_words(text))
    assert count_sentences(text) == counts.count_sentences(text)
    assert flesch_kincaid_grade(text) == textstat_counters_grade(text)
    # textstat's own grade counts the syllables of the whole text, not of each word: the same but for
    # "İ", the one word character whose lower case ("i̇") has a character that is not (and that
    # count_syllables strips when it lists a word again). A known difference, older than our counting.
    if "İ" not in text:
        assert flesch_kincaid_grade(text) == pytest.approx(metrics.flesch_kincaid_grade(text, SYLLABLE_LANGUAGE),
                                                           abs=1e-9)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_strings_count_as_in_textstat(text: str) -> None:
    check_same_as_textstat(text)


def test_random_strings_count_as_in_textstat() -> None:
    for text in random_strings(PIECES, 1500, 40, seed=20261126):
        check_same_as_textstat(text)


def test_real_content_counts_as_in_textstat() -> None:
    assert REAL_TEXTS and REAL_BODIES
    for text in [*REAL_TEXTS, *REAL_BODIES]:  # the scored prose, and the raw Markdown as a harder case
        check_same_as_textstat(text)


def test_what_the_tricky_strings_count() -> None:
    """Spot checks, so that the comparison above is known to cover the interesting cases."""
    assert list_words("Don't 'tis runners' ''s well-known e.g. 3.5 — (1) café") == [
        "don't", "'tis", "runners", "'s", "wellknown", "eg", "35", "1", "café"]
    assert count_sentences("") == 0
    assert count_sentences("Run") == 1
    assert count_sentences("One two. Three four five. Six.") == 1  # fragments of two words or fewer do not count
    assert count_sentences("Wait... what?! Really?! No!!! Yes?? Maybe… not.") == 1


@pytest.mark.parametrize("body", [*TRICKY, *(f"- {text}\n\n{text}:\n" for text in TRICKY), *REAL_BODIES])
def test_reading_grade_is_textstats(body: str) -> None:
    result = reading(body, first_line=3)
    sentences = sentences_of(body, first_line=3)
    text = prose_text(sentences)
    assert result.words == sum(s.words for s in sentences) == len(text.split())
    assert list(result.longest) == sorted(sentences, key=lambda s: (-s.words, s.line))[:3]
    assert result.grade == (round(textstat_counters_grade(text), 1) if result.words else 0.0)
    if result.words and "İ" not in text:  # see check_same_as_textstat
        assert result.grade == round(textstat_grade(text), 1)


# The inline-syntax and link regexes, written plainly: readability's are written for speed (each
# alternative starts with a literal character) and must remove exactly the same.
PLAIN_INLINE_RE = re.compile(
    r"[ \t]*\[[^\]\n]*@[^\]\n]*\]"                        # citations: [@key], [@a; @b]
    r"|`+[^`\n]*`+"                                     # code spans
    r"|</?[A-Za-z][^>\n]*>"                              # HTML tags
    r"|\{:?[^}\n]*\}"                                   # attribute lists
    r"|(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)"                 # emphasis markers
)
PLAIN_LINK_RE = re.compile(r"(?P<image>!?)\[(?P<text>[^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])")
MARKDOWN_PIECES = ["a", "run", "The knee", ".", " ", " ", "  ", "\t", "\n", "*", "**", "***", "_", "__", "x_y", "`", "``",
                   "[", "]", "(", ")", "!", "![", "[@k]", "[@a; @b]", " [@x]", "\t[@y]", "@", "{", "}", "{: .c}", "<",
                   ">", "<br>", "</b>", "<1>", "[link](http://x)", "![img](y.png)", "[t][r]", "[@k](u)", "é", ":"]


def test_fast_inline_and_link_regexes_remove_what_the_plain_ones_do() -> None:
    for text in [*random_strings(MARKDOWN_PIECES, 5000, 30, seed=1126), *REAL_BODIES]:
        plain_links = PLAIN_LINK_RE.sub(lambda m: "" if m.group("image") else m.group("text"), text)
        assert _LINK_RE.sub(_link_text, text) == plain_links, text
        assert _INLINE_RE.sub("", text) == PLAIN_INLINE_RE.sub("", text), text


def test_a_grade_pickles_whole() -> None:
    # The build's process pool sends every grade back pickled, in a compact form of its own.
    for result in REAL.reading.values():
        back = pickle.loads(pickle.dumps(result))
        assert back == result and all(type(s) is type(result.longest[0]) for s in back.longest)
    assert pickle.loads(pickle.dumps(reading(""))) == reading("")
